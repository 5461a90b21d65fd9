"""The space managers' pages: the waiting list, allocation runs (start, watch, confirm) and
allocations (list, record by hand, end early). A department's space managers manage its sites,
admins all; another department's run or allocation is a 404. Reads through the selectors,
writes through the services, as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import DomainError
from core.views import query_without_page, require_perm

from . import selectors
from .allocation_forms import AllocationEndForm, AllocationForm, RunStartForm
from .enums import RunStatus
from .filters import AllocationPageFilter, WaitingListFilter
from .services import allocations, runs

PER_PAGE = 25
#: A run still being worked on: its page polls the progress fragment.
WORKING = (RunStatus.QUEUED, RunStatus.RUNNING)


@login_required
def waiting_list(request):
    """The waiting requests, first come first, with their place in their kind's list."""
    require_perm(request.user, "spaces.manage_spaces")
    filterset = WaitingListFilter(
        request.GET or None, queryset=selectors.waiting_list(), sites=selectors.sites_managed_by(request.user)
    )
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "query": query_without_page(request), "now": timezone.now()}
    return render(request, "spaces/allocation/waiting.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request):
    """Past runs, and the form that starts one (at once for a small instance, else queued)."""
    require_perm(request.user, "spaces.add_allocationrun")
    form = RunStartForm(request.POST or None, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            run = runs.run_create(site=form.cleaned_data["site"], by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("space_allocation:run", pk=run.pk)
    page = Paginator(selectors.runs_visible_to(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "spaces/allocation/runs.html", {"form": form, "page": page}, status=400 if form.errors else 200
    )


def _visible_run(request, pk):
    return get_object_or_404(selectors.runs_visible_to(request.user), pk=pk)


@login_required
def run_detail(request, pk):
    run = _visible_run(request, pk)
    context = {"run": run, "working": run.status in WORKING}
    if run.status in (RunStatus.PROPOSED, RunStatus.CONFIRMED):
        context["proposal"] = selectors.run_proposal(run)
    return render(request, "spaces/allocation/run.html", context)


@login_required
def run_progress(request, pk):
    """The fragment the run page polls while the run works; once it is done, htmx reloads the
    page, which then shows the proposal."""
    run = _visible_run(request, pk)
    response = render(request, "spaces/allocation/_run_progress.html", {"run": run, "working": run.status in WORKING})
    if run.status not in WORKING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_confirm(request, pk):
    """The proposal becomes offers; a stale one is refused with the reason, offering nothing."""
    run = _visible_run(request, pk)
    try:
        runs.run_confirm(run=run, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The proposal is confirmed: the startups are offered their units."))
    return redirect("space_allocation:run", pk=run.pk)


def _allocations_page(request, form, *, status=200) -> HttpResponse:
    filterset = AllocationPageFilter(
        request.GET or None,
        queryset=selectors.allocations_managed_by(request.user),
        sites=selectors.sites_managed_by(request.user),
    )
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "query": query_without_page(request),
        "form": form,
        "end_form": AllocationEndForm(),
    }
    return render(request, "spaces/allocation/allocations.html", context, status=status)


@login_required
def allocation_list(request):
    require_perm(request.user, "spaces.add_allocation")
    return _allocations_page(request, AllocationForm(user=request.user))


@login_required
@require_POST
def allocation_create(request):
    """Record an allocation by hand; a taken period is a form error naming it."""
    require_perm(request.user, "spaces.add_allocation")
    form = AllocationForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            allocations.allocation_create(**form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The allocation is recorded."))
            return redirect("space_allocation:allocations")
    return _allocations_page(request, form, status=400)


@login_required
@require_POST
def allocation_end(request, pk):
    allocation = get_object_or_404(selectors.allocations_managed_by(request.user), pk=pk)
    form = AllocationEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day it ends."))
    else:
        try:
            allocations.allocation_end(allocation=allocation, ends_on=form.cleaned_data["ends_on"], by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The allocation now ends on %(day)s.") % {"day": form.cleaned_data["ends_on"]})
    return redirect("space_allocation:allocations")
