"""Letters in and out of the JSON API. Validation of shapes only; the rules live in services."""

from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core import serializers
from core.fields import parse_id
from core.money import MoneySerializerField
from startups.models import Startup

from . import details
from .enums import Category
from .models import Attachment, Letter, LetterEvent, Message

MAX_ID = 2**63 - 1


# What the letter was judged on, recorded as it was submitted (Letter.record_submission):
# read-only, a PATCH that names one is refused (LetterUpdateSerializer).
SUBMITTED_FACTS = (
    "submitted_sector",
    "submitted_stage",
    "submitted_stage_since",
    "submitted_is_registered",
    "submitted_registration_number",
)


def _amount(**kwargs):
    return MoneySerializerField(min_value=Decimal("0"), **kwargs)


class LetterSerializer(serializers.ModelSerializer):
    """A letter as everyone who may see it sees it; flat, fed by one query in lists."""

    startup_name = serializers.CharField(source="startup.name", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    assignee_username = serializers.CharField(
        source="assignee.username", read_only=True, default=None, allow_null=True
    )
    reviewed_by_username = serializers.CharField(
        source="reviewed_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Letter
        fields = [
            "id",
            "startup",
            "startup_name",
            "author",
            "category",
            "subject",
            "body",
            "requested_amount",
            "status",
            "queue",
            "assignee",
            "assignee_username",
            "reviewed_by",
            "reviewed_by_username",
            "priority",
            "is_overdue",
            "due_at",
            "reply_due_at",
            "submitted_at",
            *SUBMITTED_FACTS,
            "decided_at",
            "recommended_amount",
            "decided_amount",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_fields(self):
        # The category details of every fulfilling app ("program", "space", ...), for the schema.
        return {**super().get_fields(), **details.output_fields()}

    def to_representation(self, letter):
        # The same dict DRF would build from the fields above, without building them for each
        # response (the API answers every action with the letter). Reads the related rows the
        # services' lock_letter and the lookups fetch with the letter.
        return {**_letter_data(_values_of(letter)), **details.represent(letter)}


# The columns a list row is made of (LetterListSerializer), read with `values()`: no model
# instances, only the names of the related rows it shows.
LIST_VALUES = (
    "id",
    "startup_id",
    "startup__name",
    "author__username",
    "category",
    "subject",
    "body",
    "requested_amount",
    "status",
    "queue_id",
    "assignee_id",
    "assignee__username",
    "reviewed_by_id",
    "reviewed_by__username",
    "priority",
    "is_overdue",
    "due_at",
    "reply_due_at",
    "submitted_at",
    *SUBMITTED_FACTS,
    "decided_at",
    "recommended_amount",
    "decided_amount",
    "created_at",
    "updated_at",
)
_PLAIN = ("id", "category", "subject", "body", "status", "priority", "is_overdue")
_RENAMED = {
    "startup": "startup_id",
    "startup_name": "startup__name",
    "author": "author__username",
    "queue": "queue_id",
    "assignee": "assignee_id",
    "assignee_username": "assignee__username",
    "reviewed_by": "reviewed_by_id",
    "reviewed_by_username": "reviewed_by__username",
}
_AMOUNTS = ("requested_amount", "recommended_amount", "decided_amount")
_MOMENTS = (
    "due_at", "reply_due_at", "submitted_at", "submitted_stage_since", "decided_at", "created_at", "updated_at"
)
# LetterSerializer's format of amounts (the model's DecimalField as DRF maps it).
_AMOUNT_FIELD = MoneySerializerField()
# (output name, row key, format) of each field, in LetterSerializer's order.
_OUTPUT = [
    (
        name,
        _RENAMED.get(name, name),
        "amount" if name in _AMOUNTS else "moment" if name in _MOMENTS else None,
    )
    for name in LetterSerializer.Meta.fields
]


def _values_of(letter) -> dict:
    """A letter instance as a `LIST_VALUES` row."""
    row = {name: getattr(letter, name) for name in LIST_VALUES if "__" not in name}
    row["startup__name"] = letter.startup.name
    row["author__username"] = letter.author.username
    row["assignee__username"] = letter.assignee.username if letter.assignee_id else None
    row["reviewed_by__username"] = letter.reviewed_by.username if letter.reviewed_by_id else None
    return row


def _letter_data(row: dict) -> dict:
    """LetterSerializer's output from a `LIST_VALUES` row."""
    amount, here = _AMOUNT_FIELD.to_representation, timezone.get_current_timezone()
    data = {}
    for name, source, kind in _OUTPUT:
        value = row[source]
        if value is None or kind is None:
            data[name] = value
        elif kind == "amount":
            data[name] = amount(value)
        else:  # DRF's DateTimeField (ISO 8601 in the current time zone, "Z" for UTC), inlined
            text = value.astimezone(here).isoformat()
            data[name] = text[:-6] + "Z" if text.endswith("+00:00") else text
    return data


class LetterListSerializer(LetterSerializer):
    """A list row: the same fields and formats as LetterSerializer, made from a `LIST_VALUES`
    row (a dict) in one pass, without model instances."""

    def to_representation(self, row):
        return {**_letter_data(row), **details.represent_row(row)}


@extend_schema_field(OpenApiTypes.INT)
class StartupOfCallerField(serializers.PrimaryKeyRelatedField):
    """A startup the caller belongs to; any other id is "does not exist" (no leak)."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Startup.objects.none()
        return Startup.objects.filter(memberships__user=request.user)

    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, int) and not 0 < data <= MAX_ID):
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and parse_id(data) is None:
            self.fail("incorrect_type", data_type="str")
        return super().to_internal_value(data)


class LetterCreateSerializer(serializers.Serializer):
    startup = StartupOfCallerField()
    category = serializers.ChoiceField(choices=Category.choices)
    subject = serializers.CharField(max_length=200)
    body = serializers.MultiLineCharField(max_length=50_000)
    requested_amount = _amount(required=False, allow_null=True)

    def get_fields(self):
        # What the chosen category asks for: its handler's fields (checked by the handler).
        return {**super().get_fields(), **details.input_fields()}


class LetterUpdateSerializer(serializers.Serializer):
    """PATCH: what a member may change in a draft (or when answering a question)."""

    category = serializers.ChoiceField(choices=Category.choices, required=False)
    subject = serializers.CharField(max_length=200, required=False)
    body = serializers.MultiLineCharField(max_length=50_000, required=False)
    requested_amount = _amount(required=False, allow_null=True)
    reason = serializers.MultiLineCharField(max_length=10_000, required=False, allow_blank=True)

    def get_fields(self):
        return {**super().get_fields(), **details.input_fields()}

    def to_internal_value(self, data):
        # Not silently ignored like other unknown names: a client that tries to change what
        # the letter was judged on learns that it cannot.
        refused = {
            name: [_("Recorded when the letter was submitted; it cannot be changed.")]
            for name in SUBMITTED_FACTS
            if isinstance(data, Mapping) and name in data
        }
        if refused:
            raise serializers.ValidationError(refused)
        return super().to_internal_value(data)


class MessageTextSerializer(serializers.Serializer):
    message = serializers.MultiLineCharField(max_length=10_000)


class RespondSerializer(MessageTextSerializer):
    """The answer, and optionally a revised subject, body or amount."""

    subject = serializers.CharField(max_length=200, required=False)
    body = serializers.MultiLineCharField(max_length=50_000, required=False)
    requested_amount = _amount(required=False, allow_null=True)


class RecommendSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = serializers.MultiLineCharField(max_length=10_000, required=False, allow_blank=True, default="")
    amount = _amount(required=False, allow_null=True)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = serializers.MultiLineCharField(max_length=10_000, required=False, allow_blank=True, default="")
    amount = _amount(required=False, allow_null=True)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.MultiLineCharField(max_length=10_000, required=False, allow_blank=True, default="")


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None, allow_null=True)
    note = serializers.SerializerMethodField()

    def get_note(self, event) -> str:
        request = self.context.get("request")
        return event.note_for(request.user if request else None)

    class Meta:
        model = LetterEvent
        fields = ["at", "actor", "kind", "from_status", "to_status", "note"]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    body = serializers.MultiLineCharField(max_length=10_000)

    class Meta:
        model = Message
        fields = ["id", "author", "body", "at"]
        read_only_fields = ["id", "author", "at"]


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_by", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return f"/api/v1/letters/{attachment.letter_id}/attachments/{attachment.pk}/"


class AttachmentUploadSerializer(serializers.Serializer):
    # The size and the type are the service's to judge, with clear messages.
    file = serializers.FileField(allow_empty_file=True, max_length=None)


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="revision.number")
    at = serializers.DateTimeField(source="revision.at")
    created_by = serializers.CharField(source="revision.created_by.username")
    reason = serializers.CharField(source="revision.reason")
    subject = serializers.CharField(source="revision.subject")
    body = serializers.CharField(source="revision.body")
    requested_amount = MoneySerializerField(
        source="revision.requested_amount", allow_null=True
    )
    diff = serializers.CharField()
