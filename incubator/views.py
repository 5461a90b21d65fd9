"""The site's front door: who lands where, and the staff dashboard."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.enums import RoleCode
from accounts.rules import is_staff_member
from applications import selectors as letter_selectors
from startups import selectors as startup_selectors


def landing_url(user) -> str:
    """The page a signed-in user starts on: what they must do next.

    The one place that decides it: the letters work points founders at their letters and
    reviewers and approvers at their queues here.
    """
    if user.has_role(RoleCode.ADMIN):
        return reverse("dashboard")
    if user.has_role(RoleCode.REVIEWER):
        return reverse("letters:my-work")
    if user.has_role(RoleCode.APPROVER):
        return reverse("letters:awaiting")
    if user.is_staff_member:
        return reverse("dashboard")
    # A founder writes letters once they belong to a startup; until then, they register one.
    if startup_selectors.startups_visible_to(user).exists():
        return reverse("letters:mine")
    return reverse("startups:list")


def home(request):
    """`/`: a welcome page for visitors; everyone else goes to their landing page."""
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    return render(request, "home.html")


@login_required
def dashboard(request):
    """The incubator staff's start page."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    startups = startup_selectors.startups_visible_to(request.user)
    context = {
        "role_labels": [RoleCode(code).label for code in sorted(request.user.role_codes)],
        "startup_count": startups.count(),
        "recent_startups": startups.order_by("-created_at", "-id")[:5],
        "letters": letter_selectors.letter_counts(letter_selectors.letters_visible_to(request.user)),
    }
    return render(request, "dashboard.html", context)
