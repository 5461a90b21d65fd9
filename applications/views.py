"""Petition letter pages. Reads come from the selectors, writes go through the letter and
routing services, and who may do what is asked of the rules (applications/rules.py), exactly as
the API does.

A letter the user may not see is a 404 (it comes from `letters_visible_to`); an action the rules
refuse is a 403; a refusal of a service (the letter's status, an approval limit, a budget) is
shown with `messages.error`, or next to the form field it names, and changes nothing.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.enums import RoleCode
from core.exceptions import DomainError, InvalidInput
from core.money import format_money
from core.uploads import download_name
from core.views import query_without_page, require_perm

from . import details as letter_details
from . import routing_selectors, selectors
from .actions import available_actions
from .enums import Category, Status
from .filters import LetterPageFilter
from .forms import (
    AttachmentForm,
    DecideForm,
    DryRunForm,
    LetterCreateForm,
    LetterEditForm,
    MessageForm,
    PreviewForm,
    RecommendForm,
    RequestInfoForm,
    RespondForm,
    WithdrawForm,
)
from .fulfilment import handler_for
from .rules import member_startup_ids
from .services import drafts, review, thread
from .services.sla import SlaClock

PER_PAGE = 25
# Letters of a queue that wait for a reviewer to claim them (nobody holds them).
WAITING_FOR_REVIEWER = (Status.SUBMITTED, Status.QUEUED, Status.IN_REVIEW)
REVIEWER_STATUSES = (Status.IN_REVIEW, Status.INFO_REQUESTED, Status.PENDING_APPROVAL)


# --- small helpers -----------------------------------------------------------------------------


def _require_role(request, *codes):
    if not request.user.has_role(*codes):
        raise PermissionDenied


def _letter(request, pk):
    """The letter if the user may see it, else 404 (another founder's letter included)."""
    letter = get_object_or_404(selectors.letters_visible_to(request.user), pk=pk)
    if not request.user.has_perm("applications.view_letter", letter):
        raise Http404
    return letter


def _refused(request, exc: DomainError, form=None) -> bool:
    """Show a service's refusal: bad input next to the form's field (or above the form), any
    other refusal as a message. True when the form now carries it (render the form again)."""
    if isinstance(exc, InvalidInput) and form is not None:
        form.add_domain_error(exc)
        return True
    messages.error(request, exc.message)
    return False


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default




# --- lists -------------------------------------------------------------------------------------


def _list_context(request, letters, *, statuses=None, with_overdue=True, clock: SlaClock | None = None) -> dict:
    """A page of `letters` under the filter bar (`LetterPageFilter`, the API's filters and the
    page's own), each row with its SLA badge when the page shows a `clock`."""
    filters = LetterPageFilter(
        request.GET, queryset=letters, request=request, statuses=statuses, with_overdue=with_overdue
    )
    page = Paginator(filters.qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(letter, clock.state(letter) if clock else "", False) for letter in page.object_list]
    return {
        "page": page,
        "letters": page.object_list,
        "rows": rows,
        "filter_form": filters.form,
        "filtered": filters.active,
        "query": query_without_page(request),
        "currency": settings.CURRENCY,
    }


@login_required
def my_letters(request):
    """A founder's letters, of every startup they belong to, newest first."""
    require_perm(request.user, "applications.add_letter")
    context = _list_context(request, selectors.letters_of_my_startups(request.user), with_overdue=False)
    return render(request, "applications/mine.html", context)


@login_required
def my_work(request):
    """The open letters the user holds, the most urgent first, each with its SLA badge."""
    require_perm(request.user, "applications.view_my_work")
    context = _list_context(
        request, selectors.my_work(request.user), statuses=REVIEWER_STATUSES, clock=SlaClock.read()
    )
    return render(request, "applications/my_work.html", context)


@login_required
def awaiting(request):
    """Letters pending approval that this approver may decide now."""
    _require_role(request, RoleCode.APPROVER)
    context = _list_context(
        request, selectors.awaiting_decision(request.user), statuses=(), clock=SlaClock.read()
    )
    return render(request, "applications/awaiting.html", context)


@login_required
def queue_list(request):
    """The reviewer's queues, each with how many letters wait in it."""
    _require_role(request, RoleCode.REVIEWER, RoleCode.ADMIN)
    queues = selectors.queues_with_waiting_counts(request.user)
    mine = set(request.user.review_queues.values_list("pk", flat=True))
    rows = [(queue, queue.pk in mine) for queue in queues]
    return render(request, "applications/queue_list.html", {"rows": rows, "queues": [q for q, _m in rows]})


@login_required
def queue_detail(request, pk):
    """The letters of one queue that nobody holds yet, to claim; the longest waiting first."""
    _require_role(request, RoleCode.REVIEWER, RoleCode.ADMIN)
    queue = get_object_or_404(selectors.queues_of(request.user).select_related("department"), pk=pk)
    letters = selectors.letters_waiting_in_queue(request.user, queue)
    context = _list_context(request, letters, statuses=WAITING_FOR_REVIEWER, clock=SlaClock.read())
    may_claim = (
        request.user.has_role(RoleCode.REVIEWER) and queue.reviewers.filter(pk=request.user.pk).exists()
    )
    own = member_startup_ids(request.user) if may_claim else set()
    context.update(
        queue=queue,
        rows=[
            (letter, sla, may_claim and letter.startup_id not in own) for letter, sla, _no in context["rows"]
        ],
    )
    return render(request, "applications/queue_detail.html", context)


# --- compose and edit --------------------------------------------------------------------------


def _details_form(category: str, data=None, initial=None):
    """The chosen category's own fields (its handler's form), or None when it asks for nothing."""
    if category not in Category.values:
        category = Category.OTHER
    form_class = handler_for(category).details_form_class
    if form_class is None:
        return None
    return form_class(data, initial=initial, prefix="details")


def _compose_page(request, *, form, letter, save):
    """The compose and edit pages: the letter's fields and its category's own ones.

    The category's fields belong to the category that was on the page (`details_for`): when
    the founder changes the category without script, the page comes back with the new
    category's fields to fill in instead of saving (a post without `details_for` is taken as
    meant for the category it names).
    """
    posted = request.method == "POST"
    category = (request.POST if posted else form.initial).get("category") or Category.OTHER
    shown = request.POST.get("details_for", category) if posted else category
    initial = letter_details.stored(letter) if letter is not None and letter.category == category else None
    details_form = _details_form(category, request.POST if posted and shown == category else None, initial)
    if posted and shown != category:
        messages.info(request, _("Fill in what this kind of letter asks for, then save."))
    elif posted and form.is_valid() and (details_form is None or details_form.is_valid()):
        given = letter_details.as_input(category, details_form.cleaned_data if details_form else {})
        try:
            letter = save(form.service_kwargs(), given)
        except DomainError as exc:
            _refused(request, exc, details_form if details_form and exc.field in details_form.fields else form)
        else:
            return redirect(letter)
    context = {
        "form": form,
        "details_form": details_form,
        "category": category,
        "letter": letter,
        "has_startup": "startup" not in form.fields or form.fields["startup"].queryset.exists(),
    }
    return render(request, "applications/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def compose(request):
    """A founder starts a draft for one of their startups."""
    require_perm(request.user, "applications.add_letter")
    form = LetterCreateForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"category": request.GET.get("category", Category.OTHER)},  # ?category=subsidy
        category_fields_url=reverse("letters:category-fields"),
    )

    def save(fields, given):
        letter = drafts.letter_create_draft(
            startup=form.cleaned_data["startup"],
            details=letter_details.given(fields["category"], given),
            by=request.user,
            **fields,
        )
        messages.success(request, _("Your draft is saved. Attach documents, then submit it when it is ready."))
        return letter

    return _compose_page(request, form=form, letter=None, save=save)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """A founder changes their draft."""
    letter = _letter(request, pk)
    require_perm(request.user, "applications.change_letter", letter)
    if "edit" not in available_actions(request.user, letter):
        messages.error(request, _("Only a draft, or a letter a reviewer asked about, can be edited."))
        return redirect(letter)
    initial = {
        "category": letter.category,
        "subject": letter.subject,
        "body": letter.body,
        "requested_amount": letter.requested_amount,
    }
    form = LetterEditForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        category_fields_url=reverse("letters:category-fields"),
    )

    def save(fields, given):
        changes = {name: value for name, value in fields.items() if getattr(letter, name) != value}
        updated = drafts.letter_update_draft(letter=letter, by=request.user, details=given, **changes)
        messages.success(request, _("The draft is saved."))
        return updated

    return _compose_page(request, form=form, letter=letter, save=save)


@login_required
def category_fields(request):
    """htmx: the fields of the category just chosen on the compose or edit page."""
    require_perm(request.user, "applications.add_letter")
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = Category.OTHER
    return render(
        request,
        "applications/_category_fields.html",
        {"details_form": _details_form(category), "category": category},
    )


# --- the letter page ---------------------------------------------------------------------------


def _fact_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _facts(letter) -> list[dict]:
    """The category handler's facts for the reviewer and approver, formatted: a value, or a
    small table."""
    rows = []
    for fact in handler_for(letter.category).facts(letter):
        table = None
        if fact.headers:
            table = {"headers": fact.headers, "rows": [[_fact_value(cell) for cell in row] for row in fact.rows]}
        rows.append({"label": fact.label, "value": _fact_value(fact.value), "url": fact.url, "table": table})
    return rows


def _diff_lines(diff: str) -> list[tuple[str, str]]:
    """A unified diff's lines with the CSS class that colours them (no inline styles)."""
    lines = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            css = "diff-meta"
        elif line.startswith("@@"):
            css = "diff-hunk"
        elif line.startswith("+"):
            css = "diff-add"
        elif line.startswith("-"):
            css = "diff-del"
        else:
            css = "diff-same"
        lines.append((css, line))
    return lines


def _render_detail(request, letter, **forms):
    """The letter page; `forms` replaces the empty forms by bound ones carrying errors."""
    user = request.user
    initial_respond = {
        "subject": letter.subject,
        "body": letter.body,
        "requested_amount": letter.requested_amount,
    }
    amount = letter.recommended_amount if letter.recommended_amount is not None else letter.requested_amount
    context = {
        "letter": letter,
        # Each event with the note this reader may see (staff: the full routing explanation).
        "events": [(event, event.note_for(user)) for event in selectors.events_of(letter)],
        "thread": selectors.messages_of(letter),
        "attachments": selectors.attachments_of(letter),
        "revisions": [
            {"revision": item["revision"], "lines": _diff_lines(item["diff"])}
            for item in selectors.revisions_of(letter)
        ],
        "sla": SlaClock.read().state(letter),
        "actions": available_actions(user, letter),
        "attach_form": AttachmentForm(),
        "message_form": MessageForm(),
        "respond_form": RespondForm(initial=initial_respond),
        "request_info_form": RequestInfoForm(),
        "recommend_form": RecommendForm(initial={"amount": letter.requested_amount}),
        "decide_form": DecideForm(initial={"amount": amount}),
        "facts": None,
        "currency": settings.CURRENCY,
    }
    context.update(forms)
    if context["actions"] & {"recommend", "decide"}:
        context["facts"] = _facts(letter)
    return render(request, "applications/detail.html", context)


@login_required
def detail(request, pk):
    return _render_detail(request, _letter(request, pk))


def _act(request, letter, *, perm, form=None, form_key=None, call, success):
    """Run one action of the letter page: check the rule (403), validate the form, call the
    service; a refusal is shown and changes nothing. Redirects to the letter on success."""
    require_perm(request.user, perm, letter)
    if form is not None and not form.is_valid():
        return _render_detail(request, letter, **{form_key: form})
    try:
        result = call()
    except DomainError as exc:
        if _refused(request, exc, form):
            return _render_detail(request, letter, **{form_key: form})
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("letters:detail", pk=letter.pk)


@login_required
@require_POST
def submit(request, pk):
    letter = _letter(request, pk)
    return _act(
        request,
        letter,
        perm="applications.submit_letter",
        call=lambda: drafts.letter_submit(letter=letter, by=request.user),
        success=_("Your letter is submitted. It will be assigned to a reviewer shortly."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """GET asks for confirmation; POST withdraws."""
    letter = _letter(request, pk)
    require_perm(request.user, "applications.withdraw_letter", letter)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            drafts.letter_withdraw(letter=letter, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if not _refused(request, exc, form):
                return redirect("letters:detail", pk=letter.pk)
        else:
            messages.success(request, _("The letter is withdrawn."))
            return redirect("letters:detail", pk=letter.pk)
    return render(request, "applications/withdraw.html", {"letter": letter, "form": form})


@login_required
@require_POST
def attach(request, pk):
    letter = _letter(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    return _act(
        request,
        letter,
        perm="applications.add_attachment",
        form=form,
        form_key="attach_form",
        call=lambda: drafts.attachment_add(letter=letter, file=form.cleaned_data["file"], by=request.user),
        success=lambda attachment: _("%(name)s is attached.") % {"name": attachment.original_name},
    )


@login_required
def attachment(request, pk, attachment_id):
    """The file itself, streamed only to those who may see the letter."""
    letter = _letter(request, pk)
    document = get_object_or_404(selectors.attachments_of(letter), pk=attachment_id)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=download_name(document.original_name, document.content_type), content_type=document.content_type
    )


@login_required
@require_POST
def post_message(request, pk):
    letter = _letter(request, pk)
    form = MessageForm(request.POST)
    return _act(
        request,
        letter,
        perm="applications.post_message",
        form=form,
        form_key="message_form",
        call=lambda: thread.message_post(letter=letter, by=request.user, body=form.cleaned_data["body"]),
        success=_("Your message is sent."),
    )


@login_required
@require_POST
def respond(request, pk):
    letter = _letter(request, pk)
    initial = {"subject": letter.subject, "body": letter.body, "requested_amount": letter.requested_amount}
    form = RespondForm(request.POST, initial=initial)
    return _act(
        request,
        letter,
        perm="applications.respond_letter",
        form=form,
        form_key="respond_form",
        call=lambda: review.letter_respond(
            letter=letter,
            by=request.user,
            message=form.cleaned_data["message"],
            revision=form.revision() or None,
        ),
        success=_("Your answer is sent to the reviewer."),
    )


@login_required
@require_POST
def claim(request, pk):
    """A reviewer takes a letter of their queue; back to the queue when it is refused."""
    letter = _letter(request, pk)
    require_perm(request.user, "applications.claim_letter", letter)
    try:
        review.letter_claim(letter=letter, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_safe_next(request, reverse("letters:detail", args=[letter.pk])))
    messages.success(request, _("You hold this letter now."))
    return redirect("letters:detail", pk=letter.pk)


@login_required
@require_POST
def request_info(request, pk):
    letter = _letter(request, pk)
    form = RequestInfoForm(request.POST)
    return _act(
        request,
        letter,
        perm="applications.request_info_letter",
        form=form,
        form_key="request_info_form",
        call=lambda: review.letter_request_info(
            letter=letter, by=request.user, message=form.cleaned_data["message"]
        ),
        success=_("Your question is sent to the founders; the SLA clock waits for their answer."),
    )


@login_required
@require_POST
def recommend(request, pk):
    letter = _letter(request, pk)
    form = RecommendForm(request.POST)

    def done(result):
        if result.status == Status.REJECTED:
            return _("The letter is rejected on your recommendation.")
        return _("Your recommendation is recorded; the letter awaits an approver's decision.")

    return _act(
        request,
        letter,
        perm="applications.recommend_letter",
        form=form,
        form_key="recommend_form",
        call=lambda: review.letter_recommend(letter=letter, by=request.user, **form.cleaned_data),
        success=done,
    )


@login_required
@require_POST
def decide(request, pk):
    letter = _letter(request, pk)
    form = DecideForm(request.POST)
    return _act(
        request,
        letter,
        perm="applications.decide_letter",
        form=form,
        form_key="decide_form",
        call=lambda: review.letter_decide(letter=letter, by=request.user, **form.cleaned_data),
        success=lambda result: (
            _("The letter is approved.") if result.status == Status.APPROVED else _("The letter is rejected.")
        ),
    )


# --- routing (admins; edits stay in the Django admin and the API) -------------------------------


@login_required
def admin_departments(request):
    require_perm(request.user, "accounts.view_department")
    departments = routing_selectors.departments_with_counts()
    return render(
        request, "applications/admin/departments.html", {"departments": departments, "tab": "departments"}
    )


@login_required
def admin_queues(request):
    require_perm(request.user, "applications.view_reviewqueue")
    queues = routing_selectors.queues_with_open_counts()
    return render(request, "applications/admin/queues.html", {"queues": queues, "tab": "queues"})


@login_required
def admin_rules(request):
    """The active rule set's rules and the drafts'."""
    require_perm(request.user, "applications.view_ruleset")
    rulesets = routing_selectors.rulesets_in_use()
    return render(request, "applications/admin/rules.html", {"rulesets": rulesets, "tab": "rules"})


@login_required
def admin_dry_run(request):
    """Replay the last 30 days' letters against a draft rule set: which would land elsewhere."""
    require_perm(request.user, "applications.preview_routing")
    form = DryRunForm(request.GET or None)
    result, rows = None, []
    if form.is_bound and form.is_valid():
        result = routing_selectors.dry_run(ruleset=form.cleaned_data["ruleset"])

        def name(queue_id):
            queue = result.queues.get(queue_id)
            return queue.name if queue else "—"

        rows = [
            {
                "move": move,
                "status": Status(move.status).label,
                "now": name(move.queue_id),
                "active": name(move.active_queue_id),
                "draft": name(move.draft_queue_id),
                "active_rule": move.active_rule.describe() if move.active_rule else _("default queue"),
                "draft_rule": move.draft_rule.describe() if move.draft_rule else _("default queue"),
            }
            for move in result.moves
        ]
    context = {"form": form, "result": result, "rows": rows, "days": routing_selectors.DRY_RUN_DAYS, "tab": "dry_run"}
    return render(request, "applications/admin/dry_run.html", context)


@login_required
def admin_preview(request):
    """Which queue (and rule) would a sample letter go to?"""
    require_perm(request.user, "applications.preview_routing")
    form = PreviewForm(request.GET or None)
    preview = None
    if form.is_bound and form.is_valid():
        preview = routing_selectors.preview_queue(**form.cleaned_data)
    return render(
        request, "applications/admin/preview.html", {"form": form, "preview": preview, "tab": "preview"}
    )
