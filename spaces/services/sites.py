"""Sites and their units: created and changed by the site's department's space managers or an
admin."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.exceptions import InvalidInput, NotPermitted, StateConflict
from core.money import CENT

from .. import week_cache
from ..enums import Funding, UnitKind
from ..models import Site, Unit
from ..rules import manages_site

SITE_FIELDS = (
    "department",
    "name",
    "address",
    "funding",
    "state_share",
    "special_economic_zone",
    "bookable_from",
    "bookable_until",
    "bookable_weekdays",
    "max_advance_days",
)
UNIT_FIELDS = ("site", "name", "kind", "seats", "monthly_price", "hourly_price", "features", "floor", "x", "y", "width", "height")
MAX_FEATURES = 30
MAX_FEATURE_LENGTH = 50
FLOOR_RANGE = (-10, 200)
MAX_PLAN = 10000  # plan units, as the API's serializer bounds them


def _require_manager(site: Site, by) -> None:
    if not manages_site(by, site):
        raise NotPermitted(_("Only the site's department's space managers and administrators manage it."))


def _clean_site(values: dict) -> dict:
    name = (values.get("name") or "").strip()
    if not name:
        raise InvalidInput(_("A site needs a name."), field="name")
    values["name"] = name
    values["address"] = (values.get("address") or "").strip()
    if values.get("funding") not in Funding.values:
        raise InvalidInput(_("Choose who pays: state, company or shared."), field="funding")
    share = values.get("state_share")
    if values["funding"] == Funding.SHARED:
        if share is None:
            raise InvalidInput(_("A shared site needs the state's share in percent."), field="state_share")
        share = Decimal(share)
        if share != share.quantize(CENT) or not Decimal(0) <= share <= Decimal(100):
            raise InvalidInput(_("The state's share is a percentage from 0.00 to 100.00."), field="state_share")
        values["state_share"] = share
    elif share is not None:
        raise InvalidInput(_("Only a shared site has a state's share."), field="state_share")
    if values["bookable_until"] <= values["bookable_from"]:
        raise InvalidInput(_("The bookable hours must end after they begin."), field="bookable_until")
    weekdays = sorted(set(values.get("bookable_weekdays") or []))
    if not weekdays or any(not isinstance(day, int) or not 0 <= day <= 6 for day in weekdays):
        raise InvalidInput(_("Bookable weekdays are numbers from 0 (Monday) to 6 (Sunday)."), field="bookable_weekdays")
    values["bookable_weekdays"] = weekdays
    if int(values.get("max_advance_days") or 0) < 1:
        raise InvalidInput(_("The longest advance is at least one day."), field="max_advance_days")
    return values


@transaction.atomic
def site_create(*, by, **fields) -> Site:
    """A space manager (of the site's department) or an admin adds a site.

    Side effects: creates the site."""
    defaults = {field.name: field.get_default() for field in Site._meta.concrete_fields if field.name in SITE_FIELDS}
    values = _clean_site({**defaults, **{name: value for name, value in fields.items() if name in SITE_FIELDS}})
    site = Site(**values)
    _require_manager(site, by)
    site.save()
    return site


@transaction.atomic
def site_update(*, site: Site, by, **changes) -> Site:
    """The site's manager changes it (not its department).

    Side effects: updates the site."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    _require_manager(site, by)
    changes.pop("department", None)
    values = {name: getattr(site, name) for name in SITE_FIELDS if name != "department"}
    values.update({name: value for name, value in changes.items() if name in SITE_FIELDS})
    if values.get("funding") != Funding.SHARED and "funding" in changes and "state_share" not in changes:
        values["state_share"] = None
    values = _clean_site(values)
    for name, value in values.items():
        setattr(site, name, value)
    site.save()
    return site


def _clean_unit(values: dict) -> dict:
    name = (values.get("name") or "").strip()
    if not name:
        raise InvalidInput(_("A unit needs a name."), field="name")
    values["name"] = name
    kind = values.get("kind")
    if kind not in UnitKind.values:
        raise InvalidInput(_("Choose a desk, an office or a meeting room."), field="kind")
    if int(values.get("seats") or 0) < 1:
        raise InvalidInput(_("A unit has at least one seat."), field="seats")
    price_field = "hourly_price" if kind == UnitKind.MEETING_ROOM else "monthly_price"
    other_field = "monthly_price" if kind == UnitKind.MEETING_ROOM else "hourly_price"
    price = values.get(price_field)
    if price is None:
        raise InvalidInput(
            _("A meeting room needs an hourly price.") if kind == UnitKind.MEETING_ROOM
            else _("A desk or an office needs a monthly price."),
            field=price_field,
        )
    price = Decimal(price)
    if price < 0 or price != price.quantize(CENT):
        raise InvalidInput(_("A price is an amount of zero or more with at most two decimal places."), field=price_field)
    values[price_field] = price
    values[other_field] = None
    features = values.get("features") or []
    if not isinstance(features, list) or len(features) > MAX_FEATURES:
        raise InvalidInput(_("Features are a list of at most %(n)d names.") % {"n": MAX_FEATURES}, field="features")
    cleaned = []
    for feature in features:
        if not isinstance(feature, str) or not feature.strip() or len(feature) > MAX_FEATURE_LENGTH:
            raise InvalidInput(
                _("Each feature is a name of 1 to %(n)d characters.") % {"n": MAX_FEATURE_LENGTH}, field="features"
            )
        cleaned.append(feature.strip())
    values["features"] = list(dict.fromkeys(cleaned))
    _clean_plan(values)
    return values


def _clean_plan(values: dict) -> None:
    """The unit's floor and its place on the plan, within what the columns hold (their check
    constraints would otherwise refuse them as an IntegrityError)."""
    for name, low, high, message in (
        ("floor", *FLOOR_RANGE, _("The floor is a whole number from %(low)d to %(high)d.")),
        ("x", 0, MAX_PLAN, _("A position on the plan is a whole number from %(low)d to %(high)d.")),
        ("y", 0, MAX_PLAN, _("A position on the plan is a whole number from %(low)d to %(high)d.")),
        ("width", 1, MAX_PLAN, _("A size on the plan is a whole number from %(low)d to %(high)d.")),
        ("height", 1, MAX_PLAN, _("A size on the plan is a whole number from %(low)d to %(high)d.")),
    ):
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(message % {"low": low, "high": high}, field=name)


def _save_unit(unit: Unit) -> Unit:
    """Save, naming the real conflict when the database refuses: a unit of the same name saved
    meanwhile by someone else (the unique constraint). The other constraints are checked above,
    so any other refusal is a conflict with data that changed meanwhile (409), never a wrong
    "same name"."""
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        if Unit.objects.filter(site_id=unit.site_id, name=unit.name).exclude(pk=unit.pk).exists():
            raise InvalidInput(_("The site has another unit of this name."), field="name") from exc
        raise StateConflict(_("The change conflicts with the current data.")) from exc
    week_cache.forget_weeks([unit.site_id])
    return unit


@transaction.atomic
def unit_create(*, by, **fields) -> Unit:
    """The site's manager adds a desk, an office or a meeting room.

    Side effects: creates the unit; the site's week calendars are drawn afresh."""
    site = fields.get("site")
    if site is None:
        raise InvalidInput(_("Choose the unit's site."), field="site")
    _require_manager(site, by)
    defaults = {field.name: field.get_default() for field in Unit._meta.concrete_fields if field.name in UNIT_FIELDS}
    values = _clean_unit({**defaults, **{name: value for name, value in fields.items() if name in UNIT_FIELDS}})
    if Unit.objects.filter(site=site, name__iexact=values["name"]).exists():
        raise InvalidInput(_("The site has another unit of this name."), field="name")
    return _save_unit(Unit(**values))


@transaction.atomic
def unit_update(*, unit: Unit, by, **changes) -> Unit:
    """The site's manager changes a unit (not its site).

    Side effects: updates the unit; the site's week calendars are drawn afresh."""
    unit = Unit.objects.select_for_update().select_related("site").get(pk=unit.pk)
    _require_manager(unit.site, by)
    changes.pop("site", None)
    values = {name: getattr(unit, name) for name in UNIT_FIELDS if name != "site"}
    values.update({name: value for name, value in changes.items() if name in UNIT_FIELDS})
    values = _clean_unit(values)
    if Unit.objects.filter(site_id=unit.site_id, name__iexact=values["name"]).exclude(pk=unit.pk).exists():
        raise InvalidInput(_("The site has another unit of this name."), field="name")
    for name, value in values.items():
        setattr(unit, name, value)
    return _save_unit(unit)
