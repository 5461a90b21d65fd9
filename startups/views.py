"""Startup pages. Reads come from the selectors, writes go through the services, and who may
do what is asked of the rules (startups/rules.py), exactly as the API does.

A startup the user may not see is a 404 (it comes from `startups_visible_to`); one they may
see but not change is a 403.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import DomainError, InvalidInput
from core.views import require_perm

from . import selectors, services
from .charts import kind_labels, support_chart
from .forms import (
    MemberAddForm,
    ReasonForm,
    RegistrationConfirmForm,
    ReportForm,
    StartupCreateForm,
    StartupEditForm,
)
from .support import KINDS, monthly_series, support_of

STARTUPS_PER_PAGE = 20
REPORTS_PER_PAGE = 24
EVENTS_PER_PAGE = 25
SUPPORT_ENTRIES_SHOWN = 20


def _startup(request, pk, perm="startups.view_startup"):
    startup = get_object_or_404(selectors.startups_visible_to(request.user), pk=pk)
    if not request.user.has_perm(perm, startup):
        raise PermissionDenied
    return startup


@login_required
def startup_list(request):
    """A founder's own startups, or every startup for the incubator's staff."""
    page = Paginator(selectors.startups_visible_to(request.user), STARTUPS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "startups": page.object_list,
        "invitations": list(selectors.open_invitations_for(request.user)),
        "can_add": request.user.has_perm("startups.add_startup"),
    }
    return render(request, "startups/list.html", context)


@login_required
@require_http_methods(["POST"])
def invitation_answer(request, invitation_pk, answer):
    """The invitee accepts (and goes to the startup's page) or declines an invitation."""
    invitation = get_object_or_404(selectors.open_invitations_for(request.user), pk=invitation_pk)
    try:
        if answer == "accept":
            services.invitation_accept(invitation=invitation, by=request.user)
        else:
            services.invitation_decline(invitation=invitation, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("startups:list")
    if answer == "accept":
        messages.success(request, _("You are now a member of %(startup)s.") % {"startup": invitation.startup.name})
        return redirect("startups:detail", pk=invitation.startup_id)
    messages.success(request, _("You declined to join %(startup)s.") % {"startup": invitation.startup.name})
    return redirect("startups:list")


@login_required
@require_http_methods(["GET", "POST"])
def startup_create(request):
    require_perm(request.user, "startups.add_startup")
    form = StartupCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            startup = services.startup_create(**form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Startup “%(name)s” is registered.") % {"name": startup.name})
            return redirect("startups:detail", pk=startup.pk)
    return render(request, "startups/form.html", {"form": form, "startup": None})


def _detail(request, startup, *, reason_form=None, reason_action=None, status=200):
    """The overview; a verifier also gets the forms to confirm, refuse or revoke the registration."""
    context = {
        "startup": startup,
        "tab": "overview",
        "can_change": request.user.has_perm("startups.change_startup", startup),
        "can_verify": request.user.has_perm("startups.verify_registration", startup),
        "sharing": [],
        **_support_context(startup),
    }
    if context["can_verify"]:
        # A verifier sees which other startups the number is verified for (the cap joins them).
        context["sharing"] = list(selectors.startups_sharing_registration(startup).exclude(pk=startup.pk))
        context["confirm_form"] = RegistrationConfirmForm(
            initial={"registration_number": startup.proposed_registration_number}
        )
        context["refuse_form"] = reason_form if reason_action == "refuse" else ReasonForm(prefix="refuse")
        context["revoke_form"] = reason_form if reason_action == "revoke" else ReasonForm(prefix="revoke")
    return render(request, "startups/detail.html", context, status=status)


def _support_context(startup) -> dict:
    """The public support section: totals by kind, a monthly chart and the same in a table."""
    support = support_of(startup)
    labels = kind_labels()
    series = monthly_series(support)
    return {
        "support": support,
        "currency": settings.CURRENCY,
        "support_kinds": [(labels[kind], support.by_kind[kind]) for kind in KINDS],
        "support_months": [(month, [amounts[kind] for kind in KINDS]) for month, amounts in series],
        "support_kind_labels": [labels[kind] for kind in KINDS],
        "support_chart": support_chart(series, title=_("Public support by month")),
        "support_entries": [(entry, labels[entry.kind]) for entry in support.entries[:SUPPORT_ENTRIES_SHOWN]],
    }


@login_required
def startup_detail(request, pk):
    return _detail(request, _startup(request, pk))


_REGISTRATION_ACTIONS = {
    "confirm": (RegistrationConfirmForm, services.registration_confirm, _("The registration number is verified.")),
    "refuse": (ReasonForm, services.registration_refuse, _("The proposed registration number is refused.")),
    "revoke": (ReasonForm, services.registration_revoke, _("The registration is revoked.")),
}


@login_required
@require_http_methods(["POST"])
def startup_registration(request, pk, action):
    """A verifier confirms, refuses or revokes the registration from the overview."""
    startup = _startup(request, pk, "startups.verify_registration")
    form_class, service, done = _REGISTRATION_ACTIONS[action]
    prefix = None if action == "confirm" else action
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(startup=startup, **form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("startups:detail", pk=startup.pk)
        else:
            messages.success(request, str(done))
            return redirect("startups:detail", pk=startup.pk)
    if action == "confirm":  # a hidden field: only a tampered request gets here
        messages.error(request, _("Check the proposed number again."))
        return redirect("startups:detail", pk=startup.pk)
    return _detail(request, startup, reason_form=form, reason_action=action, status=400)


@login_required
def startup_timeline(request, pk):
    """Who changed the stage, the sector, the registration and the members, newest first."""
    startup = _startup(request, pk)
    page = Paginator(selectors.events_of(startup), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "startup": startup,
        "tab": "timeline",
        "can_change": request.user.has_perm("startups.change_startup", startup),
        "page": page,
        "events": page.object_list,
    }
    return render(request, "startups/timeline.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def startup_edit(request, pk):
    startup = _startup(request, pk, "startups.change_startup")
    form = StartupEditForm(
        request.POST if request.method == "POST" else None,
        initial=model_to_dict(startup, fields=services.EDITABLE_FIELDS),
    )
    if form.is_bound and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services.startup_update(startup=startup, **changes, by=request.user)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The startup's details are saved."))
            return redirect("startups:detail", pk=startup.pk)
    return render(request, "startups/form.html", {"form": form, "startup": startup})


def _panel_or_page(request, startup, panel, context):
    """htmx swaps only the panel; a plain request gets the whole page."""
    context = {"startup": startup, **context}
    if request.htmx:
        return render(request, f"startups/_{panel}_panel.html", context)
    can_change = request.user.has_perm("startups.change_startup", startup)
    return render(request, f"startups/{panel}.html", {"tab": panel, "can_change": can_change, **context})


def _members_panel(request, startup, form=None):
    can_manage = request.user.has_perm("startups.add_membership", startup)
    context = {
        "memberships": selectors.memberships_of(startup),
        "invitations": selectors.open_invitations_of(startup),
        "form": form or (MemberAddForm() if can_manage else None),
        "can_manage": can_manage,
    }
    return _panel_or_page(request, startup, "members", context)


@login_required
@require_http_methods(["GET", "POST"])
def startup_members(request, pk):
    """The members and open invitations; an owner invites a co-founder by username."""
    startup = _startup(request, pk)
    form = None
    if request.method == "POST":
        require_perm(request.user, "startups.add_membership", startup)
        form = MemberAddForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invitation_create(startup=startup, **form.cleaned_data, by=request.user)
            except InvalidInput as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    _("%(username)s is invited: they become a member when they accept.")
                    % {"username": invitation.user.username},
                )
                if not request.htmx:
                    return redirect("startups:members", pk=startup.pk)
                form = None
    return _members_panel(request, startup, form)


def _members_change(request, startup, change, success: str):
    """Run an owner's change of the members (`change()`, a service call) and answer with the
    members panel (htmx) or the members page; a refusal is shown and changes nothing."""
    try:
        change()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    if not request.htmx:
        return redirect("startups:members", pk=startup.pk)
    return _members_panel(request, startup)


@login_required
@require_http_methods(["POST"])
def member_remove(request, pk, membership_pk):
    """An owner removes a member (never the last owner)."""
    startup = _startup(request, pk, "startups.delete_membership")
    membership = get_object_or_404(selectors.memberships_of(startup), pk=membership_pk)
    return _members_change(
        request,
        startup,
        lambda: services.membership_remove(membership=membership, by=request.user),
        _("%(username)s is no longer a member.") % {"username": membership.user.username},
    )


@login_required
@require_http_methods(["POST"])
def invitation_withdraw(request, pk, invitation_pk):
    """An owner withdraws an invitation not answered yet."""
    startup = _startup(request, pk, "startups.delete_membership")
    invitation = get_object_or_404(selectors.open_invitations_of(startup), pk=invitation_pk)
    return _members_change(
        request,
        startup,
        lambda: services.invitation_withdraw(invitation=invitation, by=request.user),
        _("The invitation of %(username)s is withdrawn.") % {"username": invitation.user.username},
    )


@login_required
@require_http_methods(["GET", "POST"])
def startup_reports(request, pk):
    """The monthly financial reports, newest first; a member files the next one."""
    startup = _startup(request, pk)
    can_file = request.user.has_perm("startups.add_monthlyreport", startup)
    form = None
    if request.method == "POST":
        require_perm(request.user, "startups.add_monthlyreport", startup)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_file(startup=startup, **form.cleaned_data, by=request.user)
            except InvalidInput as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    _("The report for %(month)s is filed.") % {"month": report.period.strftime("%Y-%m")},
                )
                if not request.htmx:
                    return redirect("startups:reports", pk=startup.pk)
                form = None
    if can_file and form is None:
        form = ReportForm()
    page = Paginator(selectors.reports_of(startup).select_related("filed_by"), REPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "reports": page.object_list,
        "form": form,
        "can_file": can_file,
        "currency": settings.CURRENCY,
    }
    return _panel_or_page(request, startup, "reports", context)
