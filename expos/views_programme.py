"""The programme's pages: the organisers' schedule grid (warnings, runs, moves, releases,
outcomes), the founders' slot, iCal and outcome form, and the public programme (no login).

Reads come from selectors_programme, writes go through programme's services, as in the API.
An expo another department organises is a 404.
"""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import DomainError

from . import ical, programme, selectors, selectors_programme
from .forms_programme import OutcomeForm, ReleaseForm, SlotMoveForm
from .models import ScheduleRun, Showcase


def _managed_expo(request, pk):
    expo = selectors_programme.managed_expo(request.user, pk)
    if expo is None:
        raise Http404
    return expo


# --- organisers --------------------------------------------------------------------------------


@login_required
def index(request):
    """The programmes a user deals with: the expos they organise, and their startups' showcases
    with the slot each was given (the last release)."""
    context = {
        "expos": selectors.expos_managed_by(request.user).order_by("-starts_on", "name")[:100],
        "showcases": selectors_programme.showcases_with_released_slots(request.user)[:100],
        "today": timezone.localdate(),
    }
    return render(request, "expos/programme/index.html", context)


def _board_context(expo, day) -> dict:
    """The schedule board of one day of `expo` (the first day when `day` is none of its days):
    the day tabs, the warnings, and the grid of halls by slots, each cell with its slot or None."""
    cells = programme.expo_grid(expo)
    days = sorted({c.day for c in cells})
    if day not in days:
        day = days[0] if days else None
    halls = list(expo.halls.order_by("name", "id"))
    slots = list(selectors_programme.slots_of(expo))
    by_cell = {(s.hall_id, s.starts_at): s for s in slots}
    rows = [
        (cell, [(hall, by_cell.get((hall.pk, cell.starts_at))) for hall in halls]) for cell in cells if cell.day == day
    ]
    warnings = programme.schedule_warnings(expo=expo) if slots else []
    by_showcase = {s.showcase_id: s for s in slots}
    return {
        "expo": expo,
        "days": days,
        "day": day,
        "halls": halls,
        "rows": rows,
        "warnings": [(by_showcase.get(w.showcase_id), w.code) for w in warnings],
        "placed_ids": by_showcase.keys(),
        "move_form": SlotMoveForm(halls=halls, cells=cells),
    }


@login_required
def schedule(request, pk):
    """The schedule board of one day (halls by slots, the warnings), the runs and the releases."""
    expo = _managed_expo(request, pk)
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    context = _board_context(expo, day)
    context.update(
        unscheduled=selectors_programme.accepted_showcases_of(expo).exclude(pk__in=context.pop("placed_ids")),
        releases=selectors_programme.releases_of(expo)[:20],
        run=expo.schedule_runs.first(),
        release_form=ReleaseForm(),
    )
    return render(request, "expos/programme/schedule.html", context)


@login_required
@require_POST
def schedule_run(request, pk):
    expo = _managed_expo(request, pk)
    run = programme.schedule_run_queue(expo=expo, by=request.user)
    messages.success(request, _("The scheduler is running; this page shows its progress."))
    if request.headers.get("HX-Request"):
        return render(request, "expos/programme/_run.html", {"run": run, "expo": expo})
    return redirect("programme:schedule", pk=expo.pk)


@login_required
def run_status(request, pk):
    run = get_object_or_404(ScheduleRun.objects.filter(expo__in=selectors.expos_managed_by(request.user)), pk=pk)
    return render(request, "expos/programme/_run.html", {"run": run, "expo": run.expo})


@login_required
@require_POST
def slot_move(request, pk):
    """Move a slot (the card's form, or a card dropped on another cell). An htmx request gets
    the board of the slot's day back, with the outcome in its status line: 200 when moved,
    409 when another showcase holds the cell, 400 for a hall or time not of the expo; the
    page's script swaps it in whatever the status. A plain form post is redirected."""
    slot = get_object_or_404(selectors_programme.slots_managed_by(request.user), pk=pk)
    expo = slot.showcase.expo
    form = SlotMoveForm(request.POST, halls=expo.halls.all(), cells=programme.expo_grid(expo))
    status, moved = 200, False
    if not form.is_valid():
        status, message = 400, _("Choose a hall and a time of the expo.")
    else:
        try:
            programme.slot_move(
                slot=slot,
                hall=expo.halls.get(pk=form.cleaned_data["hall"]),
                starts_at=form.cleaned_data["starts_at"],
                pinned=form.cleaned_data["pinned"],
                by=request.user,
            )
        except DomainError as exc:
            status, message = exc.status_code, exc.message
            slot.refresh_from_db()  # the service may have changed the object it could not save
        else:
            moved, message = True, _("The showcase is moved.")
    day = timezone.localdate(slot.starts_at)
    if request.htmx:
        context = {**_board_context(expo, day), "message": message, "status": status, "focus_slot": slot.pk}
        return render(request, "expos/programme/_board.html", context, status=status)
    (messages.success if moved else messages.error)(request, message)
    return redirect(f"{redirect('programme:schedule', pk=expo.pk).url}?day={day.isoformat()}")


@login_required
@require_POST
def release_create(request, pk):
    expo = _managed_expo(request, pk)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            release = programme.release_create(expo=expo, comment=form.cleaned_data["comment"], by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Version %(v)s of the programme is public.") % {"v": release.version})
    return redirect("programme:schedule", pk=expo.pk)


@login_required
def outcomes(request, pk):
    expo = _managed_expo(request, pk)
    return render(request, "expos/programme/outcomes.html", {"expo": expo, **selectors_programme.outcome_totals(expo)})


# --- founders ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def showcase_programme(request, pk):
    """A founder's showcase: its released slot, the iCal link, and the outcome form."""
    showcase = get_object_or_404(
        Showcase.objects.filter(startup__memberships__user=request.user).select_related("expo", "startup"), pk=pk
    )
    outcome = getattr(showcase, "outcome", None)
    initial = {"visitors": outcome.visitors, "meetings": outcome.meetings, "leads": outcome.leads} if outcome else None
    form = OutcomeForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            programme.outcome_record(showcase=showcase, **form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Thank you: the outcome is recorded."))
            return redirect("programme:showcase", pk=showcase.pk)
    context = {
        "showcase": showcase,
        "slot": selectors_programme.released_slot_of(showcase),
        "form": form,
        "outcome_open": timezone.localdate() > showcase.expo.ends_on,
    }
    return render(request, "expos/programme/showcase.html", context)


# --- the public programme ----------------------------------------------------------------------


def _release_or_404(pk):
    release = selectors_programme.latest_release(pk)
    if release is None:
        raise Http404
    return release


def programme_page(request, pk):
    release = _release_or_404(pk)
    context = {
        "release": release,
        "expo": release.expo,
        # Called by the template only when its cached fragment (per release and language) is
        # missing: a release never changes.
        "days": lambda: selectors_programme.programme_by_day(release),
    }
    return render(request, "expos/programme/public.html", context)


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def programme_ics(request, pk):
    release = _release_or_404(pk)
    slots = selectors_programme.released_slots(release)
    return _calendar_response(
        ical.programme_calendar(release, slots, name=release.expo.name), f"expo-{release.expo_id}.ics"
    )


def startup_ics(request, pk, startup_pk):
    release = _release_or_404(pk)
    slots = list(selectors_programme.startup_released_slots(release, startup_pk))
    if not slots:
        raise Http404
    name = f"{release.expo.name}: {slots[0].startup_name}"
    return _calendar_response(
        ical.programme_calendar(release, slots, name=name), f"expo-{release.expo_id}-startup-{startup_pk}.ics"
    )
