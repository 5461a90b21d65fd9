"""Every write of expos, halls, showcase applications, their reviews and decisions.

Decisions are held: `showcase_decide` records the organiser's decision on the showcase and
leaves its `status` (what founders see) at `submitted`; `expo_release_decisions` turns every
held decision into the status and notifies the founders.
"""
import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import InvalidInput, NotPermitted, StateConflict
from core.money import CENT
from notifications.services import Notice, notify_all
from startups.enums import Sector, Stage
from startups.models import Membership, Startup
from startups.selectors import EligibilityFacts, eligibility_facts

from .enums import Decision, ShowcaseStatus
from .models import Expo, Hall, Showcase, ShowcaseReview

EXPO_FIELDS = (
    "department",
    "name",
    "city",
    "venue",
    "starts_on",
    "ends_on",
    "applications_open_on",
    "applications_close_on",
    "day_starts_at",
    "day_ends_at",
    "slot_minutes",
    "slot_value",
    "registered_only",
    "min_stage",
)
EXPO_DEFAULTS = {"slot_minutes": 30, "slot_value": Decimal("0.00"), "registered_only": False, "min_stage": ""}
STAGE_ORDER = list(Stage.values)
MAX_LIST_ITEMS = 20


def is_organiser_of(user, expo) -> bool:
    """The expo's department's organisers and the admins manage it."""
    if not user.is_authenticated:
        return False
    if user.has_role("admin"):
        return True
    return user.has_role("expo_organiser") and user.department_id is not None and (
        user.department_id == expo.department_id
    )


def _require_organiser(user, expo) -> None:
    if not is_organiser_of(user, expo):
        raise NotPermitted(_("Only the expo's organisers may do this."))


# --- Expos and halls --------------------------------------------------------------------------


def _clean_expo(values: dict) -> dict:
    name = (values.get("name") or "").strip()
    if not name:
        raise InvalidInput(_("An expo needs a name."), field="name")
    values["name"] = name
    if values["ends_on"] < values["starts_on"]:
        raise InvalidInput(_("The expo cannot end before it starts."), field="ends_on")
    if values["applications_close_on"] < values["applications_open_on"]:
        raise InvalidInput(_("Applications cannot close before they open."), field="applications_close_on")
    if values["applications_open_on"] > values["ends_on"]:
        raise InvalidInput(_("Applications must open before the expo ends."), field="applications_open_on")
    if values["day_ends_at"] <= values["day_starts_at"]:
        raise InvalidInput(_("The day must end after it starts."), field="day_ends_at")
    minutes = values["slot_minutes"]
    if not 5 <= minutes <= 480:
        raise InvalidInput(_("A slot lasts between 5 and 480 minutes."), field="slot_minutes")
    day_minutes = (
        datetime.datetime.combine(datetime.date.min, values["day_ends_at"])
        - datetime.datetime.combine(datetime.date.min, values["day_starts_at"])
    ).seconds // 60
    if day_minutes < minutes:
        raise InvalidInput(_("The day is shorter than one slot."), field="slot_minutes")
    value = Decimal(values["slot_value"])
    if value < 0 or value != value.quantize(CENT):
        raise InvalidInput(_("The slot value is an amount of at least zero, with two decimals."), field="slot_value")
    values["slot_value"] = value
    if values.get("min_stage") and values["min_stage"] not in Stage.values:
        raise InvalidInput(_("Unknown stage."), field="min_stage")
    return values


@transaction.atomic
def expo_create(*, by, **fields) -> Expo:
    """Create an expo of a department (its organisers or an admin). Side effects: none beyond the row."""
    values = {**EXPO_DEFAULTS, **{k: v for k, v in fields.items() if k in EXPO_FIELDS}}
    department = values["department"]
    if not (by.has_role("admin") or (by.has_role("expo_organiser") and by.department_id == department.pk)):
        raise InvalidInput(_("You may create expos of your own department only."), field="department")
    values = _clean_expo(values)
    return Expo.objects.create(**values, created_by=by)


@transaction.atomic
def expo_update(*, expo: Expo, by, **fields) -> Expo:
    """Edit an expo's fields; its department stays. Side effects: none beyond the row."""
    expo = Expo.objects.select_for_update().get(pk=expo.pk)
    _require_organiser(by, expo)
    if "department" in fields and fields["department"].pk != expo.department_id:
        raise InvalidInput(_("An expo stays with its department."), field="department")
    values = {name: fields.get(name, getattr(expo, name)) for name in EXPO_FIELDS}
    values = _clean_expo(values)
    changed = [name for name in EXPO_FIELDS if getattr(expo, name) != values[name]]
    for name in changed:
        setattr(expo, name, values[name])
    if changed:
        expo.save(update_fields=changed)
    return expo


def _clean_strings(items, *, field) -> list[str]:
    items = list(dict.fromkeys(str(item).strip() for item in (items or []) if str(item).strip()))
    if len(items) > MAX_LIST_ITEMS or any(len(item) > 50 for item in items):
        raise InvalidInput(_("At most 20 items of at most 50 characters each."), field=field)
    return items


@transaction.atomic
def hall_create(*, expo: Expo, name: str, capacity: int = 1, features=(), by) -> Hall:
    """Add a hall to an expo (its organisers). Side effects: none beyond the row."""
    _require_organiser(by, expo)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("A hall needs a name."), field="name")
    if expo.halls.filter(name__iexact=name).exists():
        raise InvalidInput(_("The expo has a hall of this name already."), field="name")
    if capacity < 1:
        raise InvalidInput(_("A hall holds at least one showcase."), field="capacity")
    return Hall.objects.create(
        expo=expo, name=name, capacity=capacity, features=_clean_strings(features, field="features")
    )


@transaction.atomic
def hall_update(*, hall: Hall, by, **fields) -> Hall:
    """Edit a hall's name, capacity or features. Side effects: none beyond the row."""
    hall = Hall.objects.select_for_update().select_related("expo").get(pk=hall.pk)
    _require_organiser(by, hall.expo)
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            raise InvalidInput(_("A hall needs a name."), field="name")
        if hall.expo.halls.filter(name__iexact=name).exclude(pk=hall.pk).exists():
            raise InvalidInput(_("The expo has a hall of this name already."), field="name")
        hall.name = name
    if "capacity" in fields:
        if fields["capacity"] < 1:
            raise InvalidInput(_("A hall holds at least one showcase."), field="capacity")
        hall.capacity = fields["capacity"]
    if "features" in fields:
        hall.features = _clean_strings(fields["features"], field="features")
    hall.save()
    return hall


# --- Applications -----------------------------------------------------------------------------


def eligibility_reason(*, expo: Expo, facts: EligibilityFacts) -> str:
    """Why a startup with these facts (as it stands, or as a submitted letter recorded them)
    may not show at the expo ("" when it may)."""
    if expo.registered_only and not facts.is_registered:
        return _("This expo is for registered startups only.")
    if expo.min_stage and STAGE_ORDER.index(facts.stage) < STAGE_ORDER.index(expo.min_stage):
        return _("This expo asks for startups at the %(stage)s stage or later.") % {
            "stage": Stage(expo.min_stage).label
        }
    return ""


def clean_application(
    *, expo: Expo, startup: Startup, title: str, sector: str = "", needs=(), available_days=(),
    facts: EligibilityFacts | None = None,
):
    """Check an application's fields (the window aside); returns (title, sector, needs, days).

    `facts`: what the startup is judged on, as it stands unless given (an approved letter's
    showcase is judged on the facts recorded when the letter was submitted)."""
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("A showcase needs a title."), field="title")
    facts = facts or eligibility_facts(startup)
    reason = eligibility_reason(expo=expo, facts=facts)
    if reason:
        raise InvalidInput(reason, field="startup")
    sector = sector or facts.sector
    if sector not in Sector.values:
        raise InvalidInput(_("Unknown sector."), field="sector")
    days = []
    for day in available_days or []:
        if isinstance(day, str):
            try:
                day = datetime.date.fromisoformat(day)
            except ValueError:
                raise InvalidInput(_("Give the days as dates (YYYY-MM-DD)."), field="available_days") from None
        if not expo.starts_on <= day <= expo.ends_on:
            raise InvalidInput(_("%(day)s is not a day of the expo.") % {"day": day.isoformat()}, field="available_days")
        days.append(day.isoformat())
    days = sorted(set(days))
    return title, sector, _clean_strings(needs, field="needs"), days


def _create_showcase(*, expo, startup, title, description, sector, needs, available_days, by, letter=None):
    title, sector, needs, days = clean_application(
        expo=expo,
        startup=startup,
        title=title,
        sector=sector,
        needs=needs,
        available_days=available_days,
        facts=letter.submitted_facts if letter is not None else None,
    )
    if Showcase.objects.filter(expo=expo, startup=startup).exists():
        raise InvalidInput(_("This startup has applied to this expo already."), field="startup")
    try:
        with transaction.atomic():
            return Showcase.objects.create(
                expo=expo,
                startup=startup,
                letter=letter,
                title=title,
                description=description or "",
                sector=sector,
                needs=needs,
                available_days=days,
                created_by=by,
            )
    except IntegrityError:
        raise InvalidInput(_("This startup has applied to this expo already."), field="startup") from None


@transaction.atomic
def showcase_create(
    *, expo: Expo, startup: Startup, title: str, description: str = "", sector: str = "", needs=(),
    available_days=(), by,
) -> Showcase:
    """A member of the startup applies to show at the expo, within the application window.
    Side effects: none beyond the row (status `submitted`)."""
    if not startup.memberships.filter(user=by).exists():
        raise InvalidInput(_("You may apply for your own startups only."), field="startup")
    if not expo.is_open:
        raise StateConflict(_("The expo is not taking applications now."))
    return _create_showcase(
        expo=expo, startup=startup, title=title, description=description, sector=sector, needs=needs,
        available_days=available_days, by=by,
    )


def showcase_create_from_letter(*, letter, expo: Expo, title: str, description: str, by) -> Showcase:
    """An approved `expo` letter's showcase (inside the letter's decision transaction): the
    window is the letter's, the checks are those of an application, on the facts the letter
    recorded when it was submitted."""
    return _create_showcase(
        expo=expo, startup=letter.startup, title=title, description=description, sector="", needs=(),
        available_days=(), by=by, letter=letter,
    )


@transaction.atomic
def showcase_review(*, showcase: Showcase, score: int, comment: str = "", by) -> ShowcaseReview:
    """An organiser scores a showcase from 1 to 5; a second review by the same organiser
    replaces the first. Side effects: none beyond the row."""
    _require_organiser(by, showcase.expo)
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput(_("The score is a whole number from 1 to 5."), field="score")
    if showcase.status == ShowcaseStatus.WITHDRAWN:
        raise StateConflict(_("The showcase was withdrawn."))
    review, _created = ShowcaseReview.objects.update_or_create(
        showcase=showcase, reviewer=by, defaults={"score": score, "comment": comment or "", "created_at": timezone.now()}
    )
    return review


DECISIONS = {"accept": Decision.ACCEPTED, "reject": Decision.REJECTED}


@transaction.atomic
def showcase_decide(*, showcase: Showcase, decision: str, by) -> Showcase:
    """An organiser accepts or rejects a showcase. The decision is held: the status founders
    see stays `submitted` until the expo's decisions are released; a showcase whose decision
    was released keeps it (409). Side effects: none beyond the row."""
    if decision not in DECISIONS:
        raise InvalidInput(_("Decide accept or reject."), field="decision")
    showcase = Showcase.objects.select_for_update().select_related("expo").get(pk=showcase.pk)
    _require_organiser(by, showcase.expo)
    if showcase.status != ShowcaseStatus.SUBMITTED:
        raise StateConflict(_("The decision on this showcase was released already."))
    target = DECISIONS[decision]
    if showcase.decision == target:
        return showcase
    showcase.decision, showcase.decided_by, showcase.decided_at = target, by, timezone.now()
    showcase.save(update_fields=["decision", "decided_by", "decided_at"])
    return showcase


def showcases_decide(*, showcases, decision: str, by) -> int:
    """Bulk decisions (one transaction): every showcase or none."""
    with transaction.atomic():
        for showcase in showcases:
            showcase_decide(showcase=showcase, decision=decision, by=by)
    return len(showcases)


@transaction.atomic
def expo_release_decisions(*, expo: Expo, by) -> int:
    """Release every held decision of the expo: the showcases become `accepted` or
    `rejected`, and their startups' members are notified (in-app and by e-mail, through the
    outbox). Releasing again releases the decisions taken since. Returns how many were released.
    Side effects: notifications and e-mails queued."""
    expo = Expo.objects.select_for_update().get(pk=expo.pk)
    _require_organiser(by, expo)
    held = list(
        Showcase.objects.select_for_update()
        .filter(expo=expo, status=ShowcaseStatus.SUBMITTED)
        .exclude(decision="")
    )
    members = {}
    for membership in Membership.objects.filter(
        startup_id__in={showcase.startup_id for showcase in held}
    ).select_related("user"):
        members.setdefault(membership.startup_id, []).append(membership.user)
    notices = []
    for showcase in held:
        showcase.status = showcase.decision
        if showcase.status == ShowcaseStatus.ACCEPTED:
            subject = _("Your showcase “%(title)s” at %(expo)s was accepted")
        else:
            subject = _("Your showcase “%(title)s” at %(expo)s was not accepted")
        notices.append(
            Notice(
                recipients=members.get(showcase.startup_id, []),
                subject=subject % {"title": showcase.title, "expo": expo.name},
                body=_("The organisers of %(expo)s have released their decisions.") % {"expo": expo.name},
                link="/expos/my/",
            )
        )
    Showcase.objects.bulk_update(held, ["status"])
    expo.decisions_released_at = timezone.now()
    expo.save(update_fields=["decisions_released_at"])
    notify_all(notices)
    return len(held)
