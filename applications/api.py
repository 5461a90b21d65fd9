"""/api/v1/letters/: petition letters, their actions, timeline, thread and attachments.

404 for a letter the caller may not see (the queryset is `letters_visible_to`), 403 for one they
see but may not act on (rules.py), 409 when its status forbids the action (the services).
"""

from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.filters import DjangoFilterBackend, SearchFilter
from core.pagination import CursorPagination
from core.parsers import FormParser, JSONParser, MultiPartParser
from core.permissions import RulesPermission
from core.uploads import download_name
from core.views import require_perm

from . import details, selectors
from .filters import LetterFilter
from .models import Letter
from .serializers import (
    LIST_VALUES,
    MAX_ID,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    DecideSerializer,
    EventSerializer,
    LetterCreateSerializer,
    LetterListSerializer,
    LetterSerializer,
    LetterUpdateSerializer,
    MessageSerializer,
    MessageTextSerializer,
    RecommendSerializer,
    RespondSerializer,
    RevisionSerializer,
    WithdrawSerializer,
)
from .services import drafts, review, thread

# A letter's timeline, thread, attachments and revisions are short and whole: no pagination,
# no list filters.
SUB_LIST = {"pagination_class": None, "filter_backends": []}


class LetterPagination(CursorPagination):
    ordering = "-id"


class LetterViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Petition letters: founders write and submit them; reviewers and approvers move them on."""

    serializer_class = LetterSerializer
    permission_classes = [RulesPermission]
    pagination_class = LetterPagination
    filter_backends = [DjangoFilterBackend, SearchFilter]  # no OrderingFilter: the cursor orders
    filterset_class = LetterFilter
    search_fields = ["subject", "body"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    throttle_scopes = {"create": "drafts", "attachments": "uploads"}
    rules_permissions = {
        "create": "applications.add_letter",
        "retrieve": "applications.view_letter",
        "partial_update": "applications.change_letter",
        "submit": "applications.submit_letter",
        "withdraw": "applications.withdraw_letter",
        "claim": "applications.claim_letter",
        "request_info": "applications.request_info_letter",
        "respond": "applications.respond_letter",
        "recommend": "applications.recommend_letter",
        "decide": "applications.decide_letter",
        "events": "applications.view_letter",
        "messages": "applications.view_letter",
        "attachments": "applications.view_letter",
        "attachment_download": "applications.view_letter",
        "revisions": "applications.view_letter",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no real user
            return Letter.objects.none()
        if self.action == "list":
            if self.request.query_params.get("assignee", "").strip().lower() == "me":
                # What you hold you may see: no visibility filter, and the (assignee, status,
                # id) index serves the page.
                letters = selectors.letters_held_by(self.request.user)
            else:
                letters = selectors.letters_visible_to(self.request.user)
            return letters.select_related(None)  # `list` reads LIST_VALUES, joins included
        return selectors.letters_visible_to(self.request.user)

    # Actions whose service locks the letter, checks who may act and returns it: the view
    # hands over the letter's id alone, and the service answers 404 to whoever may not see the
    # letter and 403 to whoever may see it but not act (services.common.lock_for).
    LEAN_LOOKUP_ACTIONS = frozenset(
        {"submit", "withdraw", "claim", "request_info", "respond", "recommend", "decide", "partial_update"}
    )

    def get_object(self):
        if self.action not in self.LEAN_LOOKUP_ACTIONS:
            return super().get_object()
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise Http404 from None
        if not 0 < pk <= MAX_ID:  # beyond any id a database column holds
            raise Http404
        return Letter(pk=pk)

    def filter_queryset(self, queryset):
        # The list's filters and search are the list's: an action on one letter ignores them.
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        return LetterListSerializer if self.action == "list" else LetterSerializer

    @extend_schema(responses={200: LetterListSerializer(many=True)})
    def list(self, request, *args, **kwargs):
        """One query for the page: the columns a row shows (dicts, no model instances)."""
        rows = self.filter_queryset(self.get_queryset()).values(*LIST_VALUES, *details.row_paths())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _letter_response(self, letter, status_code=status.HTTP_200_OK):
        return Response(
            LetterSerializer(letter, context=self.get_serializer_context()).data, status=status_code
        )

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=LetterCreateSerializer, responses={201: LetterSerializer})
    def create(self, request, *args, **kwargs):
        data = self._input(LetterCreateSerializer)
        letter = drafts.letter_create_draft(
            startup=data["startup"],
            category=data["category"],
            subject=data["subject"],
            body=data["body"],
            requested_amount=data.get("requested_amount"),
            details=details.given(data["category"], data),
            by=request.user,
        )
        return self._letter_response(letter, status.HTTP_201_CREATED)

    @extend_schema(request=LetterUpdateSerializer, responses={200: LetterSerializer})
    def partial_update(self, request, *args, **kwargs):
        letter = self.get_object()
        data, given = details.split(self._input(LetterUpdateSerializer))
        letter = drafts.letter_update_draft(letter=letter, by=request.user, details=given, **data)
        return self._letter_response(letter)

    @extend_schema(request=None, responses={200: LetterSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._letter_response(drafts.letter_submit(letter=self.get_object(), by=request.user))

    @extend_schema(request=WithdrawSerializer, responses={200: LetterSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        letter = self.get_object()
        data = self._input(WithdrawSerializer)
        return self._letter_response(drafts.letter_withdraw(letter=letter, by=request.user, **data))

    @extend_schema(request=None, responses={200: LetterSerializer})
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self._letter_response(review.letter_claim(letter=self.get_object(), by=request.user))

    @extend_schema(request=MessageTextSerializer, responses={200: LetterSerializer})
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        letter = self.get_object()
        data = self._input(MessageTextSerializer)
        return self._letter_response(review.letter_request_info(letter=letter, by=request.user, **data))

    @extend_schema(request=RespondSerializer, responses={200: LetterSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        letter = self.get_object()
        data = dict(self._input(RespondSerializer))
        message = data.pop("message")
        letter = review.letter_respond(
            letter=letter, by=request.user, message=message, revision=data or None
        )
        return self._letter_response(letter)

    @extend_schema(request=RecommendSerializer, responses={200: LetterSerializer})
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        letter = self.get_object()
        data = self._input(RecommendSerializer)
        return self._letter_response(review.letter_recommend(letter=letter, by=request.user, **data))

    @extend_schema(request=DecideSerializer, responses={200: LetterSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        letter = self.get_object()
        data = self._input(DecideSerializer)
        return self._letter_response(review.letter_decide(letter=letter, by=request.user, **data))

    @extend_schema(request=None, responses={200: EventSerializer(many=True)})
    @action(detail=True, methods=["get"], **SUB_LIST)
    def events(self, request, pk=None):
        letter = self.get_object()
        events = selectors.events_of(letter)
        return Response(EventSerializer(events, many=True, context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], request=None, responses={200: MessageSerializer(many=True)})
    @extend_schema(methods=["POST"], request=MessageSerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["get", "post"], **SUB_LIST)
    def messages(self, request, pk=None):
        letter = self.get_object()
        if request.method == "GET":
            return Response(MessageSerializer(selectors.messages_of(letter), many=True).data)
        require_perm(self.request.user, "applications.post_message", letter)
        data = self._input(MessageSerializer)
        message = thread.message_post(letter=letter, by=request.user, body=data["body"])
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses={200: AttachmentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(detail=True, methods=["get", "post"], **SUB_LIST)
    def attachments(self, request, pk=None):
        letter = self.get_object()
        if request.method == "GET":
            return Response(AttachmentSerializer(selectors.attachments_of(letter), many=True).data)
        require_perm(self.request.user, "applications.add_attachment", letter)
        data = self._input(AttachmentUploadSerializer)
        attachment = drafts.attachment_add(letter=letter, file=data["file"], by=request.user)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("attachment_id", int, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): bytes},
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]{1,18})", **SUB_LIST)
    def attachment_download(self, request, pk=None, attachment_id=None):
        """The file itself, only to those who may see the letter."""
        letter = self.get_object()
        attachment = letter.attachments.filter(pk=int(attachment_id)).first()
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(attachment.original_name, attachment.content_type),
            content_type=attachment.content_type,
        )

    @extend_schema(request=None, responses={200: RevisionSerializer(many=True)})
    @action(detail=True, methods=["get"], **SUB_LIST)
    def revisions(self, request, pk=None):
        """The versions a founder replaced when answering questions, each with its diff."""
        letter = self.get_object()
        return Response(RevisionSerializer(selectors.revisions_of(letter), many=True).data)
