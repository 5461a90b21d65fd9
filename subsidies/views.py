"""Subsidy pages. Reads come from the selectors, writes go through the services, and who may do
what is asked of the rules (subsidies/rules.py), exactly as the API does.

An award the user may not see is a 404; one they may see but not act on is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import csv
from core.exceptions import DomainError, InvalidInput
from core.views import require_perm

from . import charts, selectors
from .enums import DisbursementStatus
from .filters import AwardPageFilter
from .forms import AwardCancelForm, ProgramForm
from .models import Award, Disbursement, Program
from .services import awards, programs

PER_PAGE = 25


def _paid(award) -> tuple:
    """(paid, scheduled) totals from the prefetched tranches."""
    paid = sum((d.amount for d in award.disbursements.all() if d.status == DisbursementStatus.PAID), 0)
    scheduled = sum(
        (d.amount for d in award.disbursements.all() if d.status == DisbursementStatus.SCHEDULED), 0
    )
    return paid, scheduled


# --- Programs (admins and approvers) ------------------------------------------------------------


@login_required
def program_list(request):
    require_perm(request.user, "subsidies.manage_awards")
    page = Paginator(selectors.programs_visible_to(request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = [(program, charts.budget_bar(program)) for program in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "can_add": request.user.has_perm("subsidies.add_program"),
        "today": timezone.localdate(),
    }
    return render(request, "subsidies/program_list.html", context)


@login_required
def program_detail(request, pk):
    require_perm(request.user, "subsidies.manage_awards")
    program = get_object_or_404(Program, pk=pk)
    chart = charts.budget_chart(
        selectors.budget_series(program),
        title=_("%(program)s: budget, committed and disbursed") % {"program": program.name},
    )
    context = {
        "program": program,
        "chart": chart,
        "ledger": program.ledger.select_related("award", "award__startup", "by").order_by("-at", "-id")[:50],
        "awards": selectors.awards_visible_to(request.user)
        .filter(program=program)
        .order_by("-created_at", "-id")[:50],
        "can_change": request.user.has_perm("subsidies.change_program", program),
    }
    return render(request, "subsidies/program_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request):
    require_perm(request.user, "subsidies.add_program")
    form = ProgramForm(
        request.POST if request.method == "POST" else None, initial=dict(programs.PROGRAM_DEFAULTS)
    )
    if form.is_bound and form.is_valid():
        try:
            program = programs.program_create(**form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Program “%(name)s” is created.") % {"name": program.name})
            return redirect("subsidies:program_detail", pk=program.pk)
    return render(request, "subsidies/program_form.html", {"form": form, "program": None})


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk):
    program = get_object_or_404(Program, pk=pk)
    require_perm(request.user, "subsidies.change_program", program)
    form = ProgramForm(
        request.POST if request.method == "POST" else None,
        initial=model_to_dict(program, fields=programs.PROGRAM_FIELDS),
    )
    if form.is_bound and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            programs.program_update(program=program, **changes, by=request.user)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The program is saved."))
            return redirect("subsidies:program_detail", pk=program.pk)
    return render(request, "subsidies/program_form.html", {"form": form, "program": program})


# --- Awards ------------------------------------------------------------------------------------


def _filtered_awards(request):
    filters = AwardPageFilter(
        request.GET or None,
        queryset=selectors.awards_visible_to(request.user).order_by("-created_at", "-id"),
        request=request,
    )
    return filters.form, filters.qs


@login_required
def award_list(request):
    require_perm(request.user, "subsidies.manage_awards")
    form, found = _filtered_awards(request)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(award, *_paid(award)) for award in page.object_list]
    return render(
        request,
        "subsidies/award_list.html",
        {"page": page, "rows": rows, "form": form, "query": request.GET.urlencode()},
    )


class _Echo:
    def write(self, value):
        return value


def _csv_response(filename: str, header: list, rows):
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(_lines(writer, header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _lines(writer, header, rows):
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


@login_required
def award_export_csv(request):
    """Every award (under the page's filters) as CSV, for the budget office."""
    require_perm(request.user, "subsidies.manage_awards")
    _form, found = _filtered_awards(request)

    def rows():
        for award in found.iterator(chunk_size=500):
            paid, scheduled = _paid(award)
            yield [
                award.pk,
                award.letter_id,
                award.startup.name,
                award.program.name,
                award.amount,
                award.released,
                paid,
                scheduled,
                award.status,
                timezone.localdate(award.created_at).isoformat(),
            ]

    header = [
        "id",
        "letter",
        "startup",
        "program",
        "amount",
        "released",
        "paid",
        "scheduled",
        "status",
        "date",
    ]
    return _csv_response("subsidy-awards.csv", header, rows())


def _award(request, pk) -> Award:
    # With the letter's queue: the payment rule reads it for each tranche (`PAY_RULE_RELATED`).
    award = get_object_or_404(
        selectors.awards_visible_to(request.user).select_related("letter__queue"), pk=pk
    )
    require_perm(request.user, "subsidies.view_award", award)
    return award


@login_required
def award_detail(request, pk):
    award = _award(request, pk)
    paid, scheduled = _paid(award)
    today = timezone.localdate()
    context = {
        "award": award,
        "tranches": [(d, d.is_overdue_on(today)) for d in award.disbursements.all()],
        "events": selectors.award_events(award),
        "paid": paid,
        "scheduled": scheduled,
        "next_payment": selectors.next_payment(award),
        # The column of pay buttons is for those who manage the budget; the template asks the
        # payment rule of each tranche whether its button shows.
        "can_pay": request.user.has_perm("subsidies.manage_awards"),
        "today": today,
        "can_cancel": request.user.has_perm("subsidies.cancel_award", award) and award.status == "active",
        "cancel_form": AwardCancelForm(),
    }
    return render(request, "subsidies/award_detail.html", context)


@login_required
@require_POST
def award_cancel(request, pk):
    award = _award(request, pk)
    require_perm(request.user, "subsidies.cancel_award", award)
    form = AwardCancelForm(request.POST)
    if form.is_valid():
        try:
            awards.award_cancel(award=award, note=form.cleaned_data["note"], by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The award is cancelled and its unpaid remainder released."))
    return redirect("subsidies:award_detail", pk=award.pk)


@login_required
@require_POST
def disbursement_pay(request, pk):
    disbursement = get_object_or_404(selectors.disbursements_visible_to(request.user), pk=pk)
    require_perm(request.user, "subsidies.pay_disbursement", disbursement)
    try:
        awards.disbursement_pay(disbursement=disbursement, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tranche %(n)s is paid.") % {"n": disbursement.number})
    if request.POST.get("next") == "overdue":
        return redirect("subsidies:overdue")
    return redirect("subsidies:award_detail", pk=disbursement.award_id)


@login_required
def overdue(request):
    """Scheduled tranches whose day has passed."""
    require_perm(request.user, "subsidies.manage_awards")
    page = Paginator(selectors.overdue_disbursements(), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tranches": page.object_list,
        "today": timezone.localdate(),
    }
    return render(request, "subsidies/overdue.html", context)


# --- Founders ----------------------------------------------------------------------------------


@login_required
def my_subsidies(request):
    """The awards of the startups the user belongs to, each with its tranches and next payment."""
    awards = (
        Award.objects.filter(startup__memberships__user=request.user)
        .select_related("program", "startup")
        .prefetch_related(Prefetch("disbursements", queryset=Disbursement.objects.order_by("number")))
        .order_by("-created_at", "-id")
    )
    page = Paginator(awards, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "award": award,
            "tranches": [(d, d.is_overdue_on(today)) for d in award.disbursements.all()],
            "next_payment": selectors.next_payment(award),
            "paid": _paid(award)[0],
        }
        for award in page.object_list
    ]
    return render(request, "subsidies/mine.html", {"page": page, "rows": rows})


# --- The public register (open data) -------------------------------------------------------------


def register(request):
    page = Paginator(selectors.register_awards(), 50).get_page(request.GET.get("page"))
    return render(request, "subsidies/register.html", {"page": page, "awards": page.object_list})


def register_csv(request) -> HttpResponse:
    def rows():
        for award in selectors.register_awards().iterator(chunk_size=500):
            yield [
                award.startup.name,
                award.program.name,
                award.amount,
                timezone.localdate(award.created_at).isoformat(),
            ]

    return _csv_response("award-register.csv", ["startup", "program", "amount", "date"], rows())
