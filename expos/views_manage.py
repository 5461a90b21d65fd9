"""The organisers' pages that create and edit expos and their halls. The expo or hall comes from
the selectors of what the user organises (another department's is a 404), the form checks each
field, and the service writes, refusing what spans fields with a message next to the field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import DomainError
from core.views import require_perm

from . import selectors, services
from .forms_manage import ExpoForm, HallForm

HALL_FIELDS = ("name", "capacity", "features")


def _data(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def expo_create(request):
    require_perm(request.user, "expos.add_expo")
    form = ExpoForm(
        _data(request),
        departments=selectors.departments_for_new_expos(request.user),
        initial={**services.EXPO_DEFAULTS, "department": request.user.department_id},
    )
    if form.is_bound and form.is_valid():
        try:
            expo = services.expo_create(**form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, _("The expo “%(name)s” is created; add its halls.") % {"name": expo.name}
            )
            return redirect(expo)
    return render(request, "expos/manage/expo_form.html", {"form": form, "expo": None, "nav": "expos"})


@login_required
@require_http_methods(["GET", "POST"])
def expo_edit(request, pk):
    expo = get_object_or_404(selectors.expos_managed_by(request.user), pk=pk)
    require_perm(request.user, "expos.change_expo", expo)
    form = ExpoForm(_data(request), initial=model_to_dict(expo, fields=services.EXPO_FIELDS))
    if form.is_bound and form.is_valid():
        try:
            services.expo_update(expo=expo, **form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The expo is saved."))
            return redirect(expo)
    return render(request, "expos/manage/expo_form.html", {"form": form, "expo": expo, "nav": "expos"})


@login_required
@require_http_methods(["GET", "POST"])
def hall_create(request, pk):
    expo = get_object_or_404(selectors.expos_managed_by(request.user), pk=pk)
    require_perm(request.user, "expos.change_expo", expo)
    form = HallForm(_data(request), initial={"capacity": 1})
    if form.is_bound and form.is_valid():
        try:
            hall = services.hall_create(expo=expo, **form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The hall “%(name)s” is added.") % {"name": hall.name})
            return redirect(expo)
    context = {"form": form, "expo": expo, "hall": None, "nav": "expos"}
    return render(request, "expos/manage/hall_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hall_edit(request, pk):
    hall = get_object_or_404(selectors.halls_managed_by(request.user), pk=pk)
    require_perm(request.user, "expos.change_hall", hall)
    form = HallForm(_data(request), initial=model_to_dict(hall, fields=HALL_FIELDS))
    if form.is_bound and form.is_valid():
        try:
            services.hall_update(hall=hall, **form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The hall is saved."))
            return redirect(hall.expo)
    context = {"form": form, "expo": hall.expo, "hall": hall, "nav": "expos"}
    return render(request, "expos/manage/hall_form.html", context)
