"""The space managers' pages of sites and their units: the sites one manages, a site's units,
and the forms that create and change them. A department's space managers manage its sites,
admins all; founders are refused (403) and another department's site or unit is a 404. Reads
through the selectors, writes through `services.sites`, as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import DomainError
from core.views import require_perm

from . import selectors
from .models import Site, Unit
from .services import sites
from .site_forms import SiteForm, UnitForm

PER_PAGE = 25
SITE_FORM_FIELDS = [name for name in sites.SITE_FIELDS if name != "department"]
UNIT_FORM_FIELDS = [name for name in sites.UNIT_FIELDS if name != "site"]


def managed_site(request, pk, perm: str = "spaces.change_site") -> Site:
    """The site `pk` if the rules let the user `perm` it: founders and other staff are refused
    (403), another department's manager finds nothing (404)."""
    require_perm(request.user, "spaces.manage_spaces")
    site = get_object_or_404(Site.objects.select_related("department"), pk=pk)
    if not request.user.has_perm(perm, site):
        raise Http404
    return site


@login_required
def site_list(request):
    require_perm(request.user, "spaces.manage_spaces")
    page = Paginator(selectors.managed_site_list(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "spaces/sites/list.html", {"page": page, "can_add": request.user.has_perm("spaces.add_site")}
    )


@login_required
def site_detail(request, pk):
    """The site's terms and its units, a page at a time."""
    site = managed_site(request, pk)
    page = Paginator(selectors.site_units(site), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "spaces/sites/detail.html", {"site": site, "page": page, "tab": "units"})


def _form_page(request, form, *, heading, site=None, tab=None):
    context = {"form": form, "heading": heading, "site": site, "tab": tab}
    return render(request, "spaces/sites/form.html", context, status=400 if form.errors else 200)


def _changes(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data}


@login_required
@require_http_methods(["GET", "POST"])
def site_create(request):
    require_perm(request.user, "spaces.add_site")
    defaults = {field.name: field.get_default() for field in Site._meta.concrete_fields if field.name in SITE_FORM_FIELDS}
    form = SiteForm(request.POST or None, user=request.user, initial=defaults)
    if form.is_bound and form.is_valid():
        try:
            site = sites.site_create(**form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The site “%(name)s” is created.") % {"name": site.name})
            return redirect("space_sites:detail", pk=site.pk)
    return _form_page(request, form, heading=_("New site"))


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request, pk):
    site = managed_site(request, pk)
    form = SiteForm(request.POST or None, user=request.user, site=site, initial=model_to_dict(site, SITE_FORM_FIELDS))
    if form.is_bound and form.is_valid():
        try:
            sites.site_update(site=site, **_changes(form), by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The site is saved."))
            return redirect("space_sites:detail", pk=site.pk)
    heading = _("Edit %(site)s") % {"site": site.name}
    return _form_page(request, form, heading=heading, site=site, tab="edit")


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request, pk):
    site = managed_site(request, pk)
    form = UnitForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            unit = sites.unit_create(site=site, **form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The unit “%(name)s” is added.") % {"name": unit.name})
            return redirect("space_sites:detail", pk=site.pk)
    heading = _("New unit at %(site)s") % {"site": site.name}
    return _form_page(request, form, heading=heading, site=site, tab="units")


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    require_perm(request.user, "spaces.manage_spaces")
    unit = get_object_or_404(Unit.objects.select_related("site", "site__department"), pk=pk)
    if not request.user.has_perm("spaces.change_unit", unit):
        raise Http404
    form = UnitForm(request.POST or None, initial=model_to_dict(unit, UNIT_FORM_FIELDS))
    if form.is_bound and form.is_valid():
        try:
            sites.unit_update(unit=unit, **_changes(form), by=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect("space_sites:detail", pk=unit.site_id)
    heading = _("Edit %(unit)s") % {"unit": unit.name}
    return _form_page(request, form, heading=heading, site=unit.site, tab="units")
