"""Expo pages. Reads come from the selectors, writes go through the services, and who may do
what is asked of the rules (expos/rules.py), exactly as the API does."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import DomainError
from core.views import require_perm
from startups.models import Startup

from . import selectors, selectors_programme, services
from .filters import ShowcaseReviewFilter
from .forms import ReviewForm, ShowcaseForm

PER_PAGE = 25


@login_required
def expo_list(request):
    require_perm(request.user, "expos.manage_expos")
    expos = selectors.expos_managed_by(request.user)
    page = Paginator(expos, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "expos/expo_list.html", {"page": page, "nav": "expos"})


@login_required
def expo_detail(request, pk):
    expo = get_object_or_404(selectors.expos_managed_by(request.user), pk=pk)
    halls = list(expo.halls.order_by("name"))
    return render(request, "expos/expo_detail.html", {"expo": expo, "halls": halls, "nav": "expos"})


@login_required
@require_http_methods(["GET", "POST"])
def expo_review(request, pk):
    """The applications with their mean score, filtered and sorted; bulk decisions."""
    expo = get_object_or_404(selectors.expos_managed_by(request.user), pk=pk)
    if request.method == "POST":
        decision = request.POST.get("decision")
        ids = [value for value in request.POST.getlist("showcase") if value.isdigit()]
        chosen = list(selectors.showcases_visible_to(request.user).filter(expo=expo, pk__in=ids))
        if not chosen:
            messages.error(request, _("Choose at least one application."))
        else:
            try:
                count = services.showcases_decide(showcases=chosen, decision=decision, by=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Decided %(n)d applications; founders see it once released.") % {"n": count})
        return redirect("expos:expo_review", pk=expo.pk)
    showcases = selectors.showcases_visible_to(request.user).filter(expo=expo).order_by("-created_at", "-id")
    filterset = ShowcaseReviewFilter(request.GET or None, queryset=showcases)
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"expo": expo, "filter": filterset, "page": page, "nav": "expos", "review_form": ReviewForm()}
    return render(request, "expos/expo_review.html", context)


@login_required
@require_POST
def showcase_review(request, pk):
    showcase = get_object_or_404(selectors.showcases_visible_to(request.user), pk=pk)
    require_perm(request.user, "expos.review_showcase", showcase)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The score is a whole number from 1 to 5."))
    else:
        try:
            services.showcase_review(showcase=showcase, **form.cleaned_data, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your review is saved."))
    return redirect("expos:expo_review", pk=showcase.expo_id)


@login_required
@require_POST
def expo_release(request, pk):
    expo = get_object_or_404(selectors.expos_managed_by(request.user), pk=pk)
    try:
        count = services.expo_release_decisions(expo=expo, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Released %(n)d decisions; the founders are notified.") % {"n": count})
    return redirect("expos:expo_review", pk=expo.pk)


# --- Founders ---------------------------------------------------------------------------------


@login_required
def my_showcases(request):
    """The founder's showcases with the status they may see and their released slots, and the
    expos taking applications."""
    showcases = selectors_programme.with_released_slots(selectors.showcases_of_member(request.user))
    page = Paginator(showcases, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "open_expos": list(selectors.open_expos()), "today": timezone.localdate(), "nav": "expos"}
    return render(request, "expos/my_showcases.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def showcase_apply(request, pk):
    require_perm(request.user, "expos.add_showcase")
    expo = get_object_or_404(selectors.expos_visible_to(request.user), pk=pk)
    startups = Startup.objects.filter(memberships__user=request.user).order_by("name")
    form = ShowcaseForm(request.POST or None, startups=startups, expo=expo)
    if request.method == "POST" and form.is_valid():
        try:
            services.showcase_create(expo=expo, **form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your application is submitted."))
            return redirect("expos:mine")
    return render(request, "expos/showcase_apply.html", {"expo": expo, "form": form, "nav": "expos"})
