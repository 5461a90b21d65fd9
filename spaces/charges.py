"""Monthly space charges: what each allocation and booking cost in a month, and who pays it.

- An allocation is charged its unit's monthly price in proportion to its days in the month:
  list = monthly_price x days held in the month / days of the month, rounded half up to the
  cent (a whole month is the monthly price exactly).
- A booking (booked or checked in; a cancelled or released one is not charged) is charged in
  the month it starts: list = the room's hourly price x its hours, rounded half up to the cent.

The split, by the site's funding: the state's share is 100 % (`state`), 0 % (`company`) or the
site's `state_share` (`shared`). The rounding rule: **the state's amount is list x share / 100
rounded half up to the cent, and the company's amount is the rest** (list - state), so the two
add up to the list amount to the cent, always (a CheckConstraint holds it too).

A month is charged once it has ended, once: `charges_issue` writes the charges of every source
not yet charged for that month and nothing else, so a rerun (or the beat task's next day) writes
nothing.
"""

import calendar
import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import csv
from core.exceptions import NotPermitted, StateConflict
from core.money import CENT, ZERO

from .booking_rules import is_charges_staff
from .enums import Funding
from .models import Allocation, BookingStatus, ChargeSource, RoomBooking, Site, SpaceCharge

HUNDRED = Decimal(100)


def state_share_of(site: Site) -> Decimal:
    """The percentage of the list amount the state pays at `site`."""
    if site.funding == Funding.STATE:
        return HUNDRED
    if site.funding == Funding.COMPANY:
        return Decimal(0)
    return Decimal(site.state_share or 0)


def split(list_amount: Decimal, share_percent: Decimal) -> tuple[Decimal, Decimal]:
    """(state, company) for `list_amount` (whole cents) when the state pays `share_percent`:
    the state's part is rounded half up to the cent, the company's is the rest."""
    state = (Decimal(list_amount) * Decimal(share_percent) / HUNDRED).quantize(CENT, ROUND_HALF_UP)
    state = min(max(state, ZERO), list_amount)
    return state, list_amount - state


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The month's first day and the next month's first day."""
    first = month.replace(day=1)
    return first, (first + datetime.timedelta(days=32)).replace(day=1)


def allocation_amount(monthly_price: Decimal, starts_on, ends_on, month: datetime.date) -> tuple[Decimal, int]:
    """(list amount, days held) of an allocation [starts_on, ends_on) in `month`."""
    first, after = month_bounds(month)
    days = (min(ends_on, after) - max(starts_on, first)).days
    if days <= 0:
        return ZERO, 0
    month_days = calendar.monthrange(first.year, first.month)[1]
    return (Decimal(monthly_price) * days / month_days).quantize(CENT, ROUND_HALF_UP), days


def booking_amount(hourly_price: Decimal, starts_at, ends_at) -> Decimal:
    seconds = Decimal(int((ends_at - starts_at).total_seconds()))
    return (Decimal(hourly_price) * seconds / Decimal(3600)).quantize(CENT, ROUND_HALF_UP)


def _charge(*, startup_id, unit, month, source, source_id, amount, description, by) -> SpaceCharge:
    share = state_share_of(unit.site)
    state, company = split(amount, share)
    return SpaceCharge(
        startup_id=startup_id,
        site_id=unit.site_id,
        unit=unit,
        month=month,
        source=source,
        source_id=source_id,
        description=description[:200],
        list_amount=amount,
        state_amount=state,
        company_amount=company,
        funding=unit.site.funding,
        state_share=share,
        issued_by=by,
    )


@transaction.atomic
def charges_issue(*, month: datetime.date, by=None, today: datetime.date | None = None) -> list[SpaceCharge]:
    """Write the charges of `month` (any day of it) for every allocation and booking not yet
    charged for it: exactly once, so issuing the month again writes nothing.

    409 for a month that has not ended; 403 unless `by` is an administrator or a space manager
    (None: the beat task). Side effects: the new `SpaceCharge` rows. Returns them.
    """
    if by is not None and not is_charges_staff(by):
        raise NotPermitted(_("Only space managers and administrators issue charges."))
    first, after = month_bounds(month)
    today = today or timezone.localdate()
    if after > today:
        raise StateConflict(
            _("%(month)s has not ended yet; its charges are issued from %(day)s.")
            % {"month": first.strftime("%Y-%m"), "day": after.isoformat()}
        )
    done = set(SpaceCharge.objects.filter(month=first).values_list("source", "source_id"))
    charges = []
    allocations = Allocation.objects.filter(starts_on__lt=after, ends_on__gt=first).select_related("unit__site")
    for allocation in allocations.order_by("id"):
        if (ChargeSource.ALLOCATION, allocation.pk) in done or allocation.unit.monthly_price is None:
            continue
        amount, days = allocation_amount(allocation.unit.monthly_price, allocation.starts_on, allocation.ends_on, first)
        charges.append(
            _charge(
                startup_id=allocation.startup_id,
                unit=allocation.unit,
                month=first,
                source=ChargeSource.ALLOCATION,
                source_id=allocation.pk,
                amount=amount,
                description=_("%(unit)s, %(days)s days") % {"unit": allocation.unit.name, "days": days},
                by=by,
            )
        )
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(after, datetime.time.min, tzinfo=tz)
    bookings = RoomBooking.objects.filter(
        starts_at__gte=start, starts_at__lt=end, status__in=[BookingStatus.BOOKED, BookingStatus.CHECKED_IN]
    ).select_related("unit__site")
    for booking in bookings.order_by("id"):
        if (ChargeSource.BOOKING, booking.pk) in done or booking.unit.hourly_price is None:
            continue
        local = timezone.localtime(booking.starts_at)
        charges.append(
            _charge(
                startup_id=booking.startup_id,
                unit=booking.unit,
                month=first,
                source=ChargeSource.BOOKING,
                source_id=booking.pk,
                amount=booking_amount(booking.unit.hourly_price, booking.starts_at, booking.ends_at),
                description=_("%(unit)s, %(day)s %(start)s–%(end)s")
                % {
                    "unit": booking.unit.name,
                    "day": local.date().isoformat(),
                    "start": local.strftime("%H:%M"),
                    "end": timezone.localtime(booking.ends_at).strftime("%H:%M"),
                },
                by=by,
            )
        )
    # A concurrent issue of the same month: the unique constraint keeps the first one's rows.
    SpaceCharge.objects.bulk_create(charges, ignore_conflicts=True, batch_size=500)
    return charges


def previous_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


CSV_HEADER = (
    "month",
    "startup",
    "registration_number",
    "unit",
    "source",
    "source_id",
    "description",
    "funding",
    "state_share",
    "list_amount",
    "state_amount",
    "company_amount",
)


def csv_filename(site: Site, month: datetime.date) -> str:
    return f"space-charges-{site.pk}-{month:%Y-%m}.csv"


def charges_csv(charges) -> str:
    """The finance office's CSV of `charges` (a site's month): one row each, then the totals.
    Text cells that a spreadsheet would run as a formula are neutralised (core.csv)."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(CSV_HEADER)
    totals = [ZERO, ZERO, ZERO]
    for charge in charges:
        writer.writerow(
            (
                charge.month.strftime("%Y-%m"),
                charge.startup.name,
                charge.startup.registration_number if charge.startup.is_registered else "",
                charge.unit.name,
                charge.source,
                charge.source_id,
                charge.description,
                charge.funding,
                f"{charge.state_share:.2f}",
                f"{charge.list_amount:.2f}",
                f"{charge.state_amount:.2f}",
                f"{charge.company_amount:.2f}",
            )
        )
        totals = [totals[0] + charge.list_amount, totals[1] + charge.state_amount, totals[2] + charge.company_amount]
    writer.writerow(("total", "", "", "", "", "", "", "", "", *(f"{t:.2f}" for t in totals)))
    return stream.getvalue()
