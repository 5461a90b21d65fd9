"""Whether a subsidy letter can be granted: the letter handler's checks at the draft, at
submission and at approval, and the facts the approver reads."""
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from applications.fulfilment import Fact
from applications.models import Letter
from core.exceptions import InvalidInput
from core.money import CENT, ZERO, format_money
from startups.enums import Sector, Stage
from startups.models import Startup
from startups.selectors import EligibilityFacts, startups_sharing_registration

from .. import selectors
from ..models import Program, SubsidyRequest

AMOUNT_REQUIRED = _lazy("A subsidy letter asks for an amount above zero.")
PROGRAM_REQUIRED = _lazy("A subsidy letter names the program it applies to.")


def program_of(letter: Letter) -> Program:
    """The program a subsidy letter applies to (its `SubsidyRequest`)."""
    request = SubsidyRequest.objects.select_related("program").filter(letter_id=letter.pk).first()
    if request is None:
        raise InvalidInput(PROGRAM_REQUIRED, field="program")
    return request.program


def clean_request(*, requested_amount: Decimal | None, program: Program | None) -> dict:
    """A subsidy draft names a program and asks for an amount above zero (400 otherwise): the
    one place this rule is written. Returns the details to store."""
    if requested_amount is None or requested_amount <= 0:
        raise InvalidInput(AMOUNT_REQUIRED, field="requested_amount")
    if program is None:
        raise InvalidInput(PROGRAM_REQUIRED, field="program")
    return {"program": program}


def _check_cap(startup: Startup, amount: Decimal) -> None:
    cap = selectors.startup_cap()
    used = selectors.startup_awarded_total(startup)
    if used + amount > cap:
        raise InvalidInput(
            _(
                "This would bring the startup's subsidies over the cap of %(cap)s within the last %(years)s "
                "years: %(used)s already granted, %(left)s left."
            )
            % {
                "cap": format_money(cap),
                "years": _years(),
                "used": format_money(used),
                "left": format_money(max(cap - used, ZERO)),
            },
            field="requested_amount",
        )


def _years() -> int:
    return int(getattr(settings, "SUBSIDY_CAP_WINDOW_YEARS", 3))


def _check_eligible(program: Program, facts: EligibilityFacts, *, name: str) -> None:
    """The startup `name`, as `facts` describe it, is one the program is for."""
    if program.eligible_stages and facts.stage not in program.eligible_stages:
        raise InvalidInput(
            _(
                "%(program)s is for startups at these stages: %(stages)s; %(startup)s is at the %(stage)s stage."
            )
            % {
                "program": program.name,
                "stages": ", ".join(str(Stage(s).label) for s in program.eligible_stages),
                "startup": name,
                "stage": facts.stage_label,
            },
            field="program",
        )
    if program.eligible_sectors and facts.sector not in program.eligible_sectors:
        raise InvalidInput(
            _("%(program)s is for startups in these sectors: %(sectors)s; %(startup)s is in %(sector)s.")
            % {
                "program": program.name,
                "sectors": ", ".join(str(Sector(s).label) for s in program.eligible_sectors),
                "startup": name,
                "sector": facts.sector_label,
            },
            field="program",
        )
    if program.registered_only and not facts.is_registered:
        raise InvalidInput(
            _("%(program)s is for registered startups only; register %(startup)s first.")
            % {"program": program.name, "startup": name},
            field="program",
        )


def _check_amount(program: Program, amount: Decimal | None, *, field="requested_amount") -> Decimal:
    if amount is None or amount <= 0:
        raise InvalidInput(_("A subsidy is an amount above zero."), field=field)
    if amount != Decimal(amount).quantize(CENT):
        raise InvalidInput(_("Use at most two decimal places."), field=field)
    if amount > program.max_award:
        raise InvalidInput(
            _("%(amount)s is above this program's maximum award of %(max)s.")
            % {"amount": format_money(amount), "max": format_money(program.max_award)},
            field=field,
        )
    return Decimal(amount)


def check_subsidy_submission(letter: Letter) -> None:
    """The founder submits: the program is open today, the amount within its maximum, the
    startup eligible (stage, sector, registration: the facts recorded with the letter as it is
    submitted, `Letter.submitted_facts`) and under the cap (which counts the awards of every
    startup of its verified registration number as it stands). InvalidInput (400) with the
    reason otherwise."""
    program = program_of(letter)
    today = timezone.localdate()
    if not program.is_open_on(today):
        if today < program.opens_on:
            message = _("%(program)s opens on %(day)s.") % {
                "program": program.name,
                "day": program.opens_on.isoformat(),
            }
        else:
            message = _("%(program)s closed on %(day)s.") % {
                "program": program.name,
                "day": program.closes_on.isoformat(),
            }
        raise InvalidInput(message, field="program")
    amount = _check_amount(program, letter.requested_amount)
    _check_eligible(program, letter.submitted_facts, name=letter.startup.name)
    _check_cap(letter.startup, amount)


def _decided_amount(letter: Letter, amount: Decimal | None) -> Decimal | None:
    return letter.requested_amount if amount is None else amount


def check_subsidy_approval(letter: Letter, *, amount: Decimal | None) -> tuple[Program, Decimal]:
    """An approver is about to approve: the amount (the requested one unless the approver
    grants less) is above zero, not above what was asked nor the program's maximum, and the
    startup stays under the cap. Returns the program (its terms: the money is read again under
    the row lock when it is committed) and the amount to award."""
    program = program_of(letter)
    amount = _check_amount(program, _decided_amount(letter, amount), field="amount")
    _check_not_above_asked(letter, amount)
    # Two approvals for startups of one registration number must not both fit under the cap:
    # their startup rows are locked (in one order) until the award is written.
    list(startups_sharing_registration(letter.startup).order_by("pk").select_for_update())
    _check_cap(letter.startup, amount)
    return program, amount


def _check_not_above_asked(letter: Letter, amount: Decimal) -> None:
    if letter.requested_amount is not None and amount > letter.requested_amount:
        raise InvalidInput(
            _("An award cannot exceed the amount asked for (%(asked)s).")
            % {"asked": format_money(letter.requested_amount)},
            field="amount",
        )


# --- What the approver sees -----------------------------------------------------------------


def approval_facts(letter: Letter) -> list[Fact]:
    """Facts for the approver: the program's budget, the startup's cap and its previous awards."""
    request = SubsidyRequest.objects.select_related("program").filter(letter_id=letter.pk).first()
    program = request.program if request else None
    cap = selectors.startup_cap()
    used = selectors.startup_awarded_total(letter.startup)
    facts = []
    if program is not None:
        facts += [
            Fact(_("Program"), program.name, url=program.get_absolute_url()),
            Fact(_("Budget"), program.budget),
            Fact(_("Committed"), program.committed),
            Fact(_("Disbursed"), program.disbursed),
            Fact(_("Available"), program.available),
            Fact(_("Largest award"), program.max_award),
        ]
    facts += [
        Fact(_("Limit per startup"), cap),
        Fact(_("Limit used"), used),
        Fact(_("Limit left"), max(cap - used, ZERO)),
        Fact(
            _("Previous awards"),
            headers=(_("Number"), _("Program"), _("Amount"), _("Owed"), _("Status"), _("Date")),
            rows=[
                (award.pk, award.program.name, award.amount, award.owed, award.get_status_display(),
                 timezone.localdate(award.created_at))
                for award in selectors.startup_awards(letter.startup)[:20]
            ],
        ),
    ]
    return facts
