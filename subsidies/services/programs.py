"""Subsidy programs: created and edited by admins, their budget in the ledger."""
import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.activity import record_activity, update_fields
from core.exceptions import InvalidInput
from core.money import CENT, ZERO, format_money
from startups.enums import Sector, Stage

from ..enums import LedgerKind, ProfitPolicy
from ..models import Program
from .awards import write_ledger

PROGRAM_FIELDS = (
    "name",
    "description",
    "budget",
    "max_award",
    "opens_on",
    "closes_on",
    "eligible_stages",
    "eligible_sectors",
    "registered_only",
    "tranches",
    "tranche_spacing_months",
    "profit_months",
    "profit_policy",
    "taper_percent",
)

# The permissive defaults of a program: any stage, any sector, registered or not, one tranche,
# and the tranches continue when the startup turns a profit.
PROGRAM_DEFAULTS = {
    "description": "",
    "eligible_stages": [],
    "eligible_sectors": [],
    "registered_only": False,
    "tranches": 1,
    "tranche_spacing_months": 1,
    "profit_months": 3,
    "profit_policy": ProfitPolicy.CONTINUE,
    "taper_percent": ZERO,
}


# --- Programs -------------------------------------------------------------------------------


def _clean_program(values: dict, *, program_id=None) -> dict:
    """Check a program's fields (all of them, merged); raise InvalidInput on the first wrong one."""
    name = (values.get("name") or "").strip()
    if not name:
        raise InvalidInput(_("A program needs a name."), field="name")
    if Program.objects.filter(name__iexact=name).exclude(pk=program_id).exists():
        raise InvalidInput(_("Another program has this name."), field="name")
    values["name"] = name
    for field in ("budget", "max_award", "taper_percent"):
        values[field] = Decimal(values[field])
        if values[field] != values[field].quantize(CENT):
            raise InvalidInput(_("Use at most two decimal places."), field=field)
    if values["budget"] < 0:
        raise InvalidInput(_("The budget cannot be negative."), field="budget")
    if values["max_award"] <= 0:
        raise InvalidInput(_("The maximum award must be above zero."), field="max_award")
    if values["closes_on"] < values["opens_on"]:
        raise InvalidInput(_("The program cannot close before it opens."), field="closes_on")
    stages = list(dict.fromkeys(values.get("eligible_stages") or []))
    if set(stages) - set(Stage.values):
        raise InvalidInput(
            _("Unknown stage: choose among %(s)s.") % {"s": ", ".join(Stage.values)}, field="eligible_stages"
        )
    sectors = list(dict.fromkeys(values.get("eligible_sectors") or []))
    if set(sectors) - set(Sector.values):
        raise InvalidInput(
            _("Unknown sector: choose among %(s)s.") % {"s": ", ".join(Sector.values)},
            field="eligible_sectors",
        )
    values["eligible_stages"], values["eligible_sectors"] = stages, sectors
    if not 1 <= int(values["tranches"]) <= 120:
        raise InvalidInput(_("A program pays in 1 to 120 tranches."), field="tranches")
    if not 1 <= int(values["tranche_spacing_months"]) <= 60:
        raise InvalidInput(_("Tranches are 1 to 60 months apart."), field="tranche_spacing_months")
    if not 1 <= int(values["profit_months"]) <= 60:
        raise InvalidInput(_("Count 1 to 60 profitable months."), field="profit_months")
    if values["profit_policy"] not in ProfitPolicy.values:
        raise InvalidInput(_("Unknown profit policy."), field="profit_policy")
    if not ZERO <= values["taper_percent"] <= 100:
        raise InvalidInput(_("The taper is a percentage from 0 to 100."), field="taper_percent")
    if values["profit_policy"] == ProfitPolicy.TAPER and values["taper_percent"] == 0:
        raise InvalidInput(_("A taper needs a percentage above zero."), field="taper_percent")
    return values


def check_program_values(values: dict, *, program: Program | None = None) -> dict:
    """The checks of program_create / program_update without saving (for forms that want to
    show errors next to their fields). Raises InvalidInput."""
    values = _clean_program(
        {**PROGRAM_DEFAULTS, **{k: v for k, v in values.items() if v is not None}},
        program_id=getattr(program, "pk", None),
    )
    if program is not None and values["budget"] < program.committed:
        raise InvalidInput(
            _("The budget cannot go below what is already committed (%(c)s).")
            % {"c": format_money(program.committed)},
            field="budget",
        )
    return values





@transaction.atomic
def program_create(
    *,
    by,
    name: str,
    budget: Decimal,
    max_award: Decimal,
    opens_on: datetime.date,
    closes_on: datetime.date,
    **optional,
) -> Program:
    """An admin creates a program; what is not given takes the permissive default (any stage,
    any sector, registered or not, one tranche, continue on profit).

    Side effects: creates the program and its first ledger entry (`budget`); an activity entry.
    """
    unknown = set(optional) - set(PROGRAM_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown program fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    values = {
        **PROGRAM_DEFAULTS,
        **{key: value for key, value in optional.items() if value is not None},
        "name": name,
        "budget": budget,
        "max_award": max_award,
        "opens_on": opens_on,
        "closes_on": closes_on,
    }
    values = _clean_program(values)
    try:
        with transaction.atomic():
            program = Program.objects.create(**values, created_by=by)
    except IntegrityError as exc:
        raise InvalidInput(_("Another program has this name."), field="name") from exc
    write_ledger(program, LedgerKind.BUDGET, program.budget, by=by, note=_("Program created"))
    record_activity(program, "created", by=by, changes={field: [None, values[field]] for field in PROGRAM_FIELDS})
    return program


@transaction.atomic
def program_update(*, program: Program, by, **changes) -> Program:
    """An admin edits a program. The budget cannot go below what is committed; the new terms
    apply to awards made from now on.

    Side effects: saves the changed fields under a row lock; a `budget` ledger entry when the
    budget changes; an activity entry with the old and new value of each changed field.
    """
    unknown = set(changes) - set(PROGRAM_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    locked = Program.objects.select_for_update().get(pk=program.pk)
    values = _clean_program(
        {**{field: getattr(locked, field) for field in PROGRAM_FIELDS}, **changes}, program_id=locked.pk
    )
    if values["budget"] < locked.committed:
        raise InvalidInput(
            _("The budget cannot go below what is already committed (%(c)s).") % {"c": format_money(locked.committed)},
            field="budget",
        )
    budget_changed = values["budget"] != locked.budget
    update_fields(locked, {field: values[field] for field in PROGRAM_FIELDS}, allowed=PROGRAM_FIELDS, by=by)
    if budget_changed:
        write_ledger(locked, LedgerKind.BUDGET, locked.budget, by=by, note=_("Budget changed"))
    return locked
