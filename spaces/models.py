"""Coworking sites and their units, the space letters' details, space requests, optimiser runs
and allocations.

Periods are half-open: an allocation holds its unit on the days `starts_on <= day < ends_on`,
so one may start the day another ends. No two allocations of one unit overlap: on PostgreSQL an
exclusion constraint (btree_gist, `allocation_no_overlap`, added by the migration only there);
on SQLite the service checks inside its IMMEDIATE (write-locked) transaction.
"""

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from applications.models import Letter
from core.money import MoneyField
from startups.models import Startup

from .enums import WEEKDAYS, AskKind, Funding, RequestStatus, RunStatus, UnitKind

#: The PostgreSQL exclusion constraint's name (the service maps its violation to a 409).
ALLOCATION_NO_OVERLAP = "allocation_no_overlap"


def default_weekdays():
    return list(WEEKDAYS)


class Site(models.Model):
    """A building of a department, and who pays for its space."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="space_sites")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    funding = models.CharField(_("who pays"), max_length=16, choices=Funding.choices)
    state_share = models.DecimalField(
        _("state's share (percent)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("For shared funding only: the percentage the state pays."),
    )
    special_economic_zone = models.BooleanField(_("in a special economic zone"), default=False)
    bookable_from = models.TimeField(_("rooms bookable from"), default=time(9, 0))
    bookable_until = models.TimeField(_("rooms bookable until"), default=time(18, 0))
    bookable_weekdays = models.JSONField(
        _("bookable weekdays"), default=default_weekdays, blank=True, help_text=_("0 = Monday ... 6 = Sunday.")
    )
    max_advance_days = models.PositiveSmallIntegerField(
        _("longest advance of a booking (days)"), default=30, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("coworking site")
        verbose_name_plural = _("coworking sites")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(funding=Funding.SHARED, state_share__isnull=False, state_share__gte=0, state_share__lte=100)
                    | (~Q(funding=Funding.SHARED) & Q(state_share__isnull=True))
                ),
                name="site_state_share_for_shared_only",
            ),
            models.CheckConstraint(
                condition=Q(bookable_until__gt=F("bookable_from")), name="site_bookable_hours_in_order"
            ),
            models.CheckConstraint(condition=Q(max_advance_days__gte=1), name="site_max_advance_positive"),
        ]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A desk, an office or a meeting room of a site, with its price and place on the floor plan."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1, validators=[MinValueValidator(1)])
    monthly_price = MoneyField(_("monthly price"), null=True, blank=True, validators=[MinValueValidator(0)])
    hourly_price = MoneyField(_("hourly price"), null=True, blank=True, validators=[MinValueValidator(0)])
    features = models.JSONField(_("features"), default=list, blank=True)
    floor = models.SmallIntegerField(_("floor"), default=0)
    # The floor plan, in plan units (the page scales them): the unit's top-left corner and size.
    x = models.PositiveSmallIntegerField(_("x"), default=0)
    y = models.PositiveSmallIntegerField(_("y"), default=0)
    width = models.PositiveSmallIntegerField(_("width"), default=10, validators=[MinValueValidator(1)])
    height = models.PositiveSmallIntegerField(_("height"), default=10, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["site_id", "floor", "name", "id"]
        verbose_name = _("space unit")
        verbose_name_plural = _("space units")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="unit_name_unique_per_site"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="unit_seats_positive"),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=[UnitKind.DESK, UnitKind.OFFICE], monthly_price__isnull=False, monthly_price__gte=0)
                    | Q(kind=UnitKind.MEETING_ROOM, hourly_price__isnull=False, hourly_price__gte=0)
                ),
                name="unit_price_per_kind",
            ),
            models.CheckConstraint(condition=Q(width__gte=1, height__gte=1), name="unit_plan_size_positive"),
        ]

    def __str__(self):
        return f"{self.site} · {self.name}"


class SpaceAsk(models.Model):
    """What a space letter asks for (its details; `"space"` in the API)."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, primary_key=True, related_name="space_ask")
    kind = models.CharField(_("kind"), max_length=16, choices=AskKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (exclusive)"))
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("preferred site")
    )

    class Meta:
        verbose_name = _("space letter's details")
        verbose_name_plural = _("space letters' details")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="space_ask_dates_in_order"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="space_ask_seats_positive"),
        ]

    def __str__(self):
        return f"{self.letter_id}: {self.kind} × {self.seats}"


class SpaceRequest(models.Model):
    """An approved space letter waiting for (or holding an offer of, or granted) a unit.

    waiting -> offered (a confirmed run) -> allocated (accepted) | cancelled (declined) |
    expired (the claim window passed); waiting -> cancelled. An offer holds its unit until
    `offer_expires_at`.
    """

    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="space_request")
    startup = models.ForeignKey(Startup, on_delete=models.PROTECT, related_name="space_requests")
    kind = models.CharField(_("kind"), max_length=16, choices=AskKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (exclusive)"))
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("preferred site")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.WAITING, db_index=True
    )
    waiting_since = models.DateTimeField(_("waiting since"))
    offer_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="offers", verbose_name=_("offered unit")
    )
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["waiting_since", "id"]
        verbose_name = _("space request")
        verbose_name_plural = _("space requests")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="space_request_dates_in_order"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="space_request_seats_positive"),
            models.CheckConstraint(
                condition=(
                    Q(status=RequestStatus.OFFERED, offer_unit__isnull=False, offer_expires_at__isnull=False)
                    | ~Q(status=RequestStatus.OFFERED)
                ),
                name="space_request_offer_has_unit",
            ),
        ]

    def __str__(self):
        return f"{self.startup} · {self.kind} × {self.seats}"


class AllocationRun(models.Model):
    """One optimiser run: its proposal (until confirmed, nothing changes) and its figures."""

    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.FloatField(_("progress"), default=0)
    # [{"request": id, "unit": id}, ...] and [request id, ...]
    assignments = models.JSONField(_("assignments"), default=list, blank=True)
    unassigned = models.JSONField(_("unassigned"), default=list, blank=True)
    objective = models.BigIntegerField(_("objective"), null=True, blank=True)
    bound = models.BigIntegerField(_("bound"), null=True, blank=True)
    baseline_objective = models.BigIntegerField(_("greedy baseline's objective"), null=True, blank=True)
    solver_status = models.CharField(_("solver status"), max_length=16, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")

    def __str__(self):
        return f"#{self.pk} ({self.status})"


class Allocation(models.Model):
    """A unit held by a startup on the days [starts_on, ends_on). Ending it early moves
    `ends_on` forward (the original end stays in `planned_ends_on`)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="allocations")
    startup = models.ForeignKey(Startup, on_delete=models.PROTECT, related_name="space_allocations")
    request = models.OneToOneField(
        SpaceRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="allocation"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (exclusive)"))
    planned_ends_on = models.DateField(_("planned end"))
    ended_early = models.BooleanField(_("ended early"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        indexes = [models.Index(fields=["unit", "starts_on", "ends_on"], name="allocation_unit_dates")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="allocation_dates_in_order"),
            models.CheckConstraint(
                condition=Q(planned_ends_on__gte=F("ends_on")), name="allocation_ends_by_planned_end"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.startup} [{self.starts_on}, {self.ends_on})"


# --- meeting-room bookings and monthly charges ------------------------------------------------

#: The PostgreSQL exclusion constraint of bookings (added by migration 0002 only there).
BOOKING_NO_OVERLAP = "booking_no_overlap"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Released (no show)")


#: The bookings that hold their room (a cancelled or released booking frees it).
HOLDING_STATUSES = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


class RoomBooking(models.Model):
    """A meeting room held by a startup for [starts_at, ends_at): half-open, so back-to-back
    bookings both hold. No two holding bookings (booked or checked in) of one room overlap: on
    PostgreSQL an exclusion constraint (`booking_no_overlap`, btree_gist, tstzrange); everywhere
    the booking service checks inside its write-locked transaction. The occurrences of one weekly
    recurrence share `recurrence`."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room"))
    startup = models.ForeignKey(
        Startup, on_delete=models.PROTECT, related_name="room_bookings", verbose_name=_("startup")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    recurrence = models.UUIDField(_("recurrence"), null=True, blank=True, db_index=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        indexes = [
            models.Index(fields=["unit", "starts_at"], name="booking_unit_start"),
            models.Index(fields=["startup", "starts_at"], name="booking_startup_start"),
            models.Index(fields=["status", "starts_at"], name="booking_status_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_times_in_order"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.startup} [{self.starts_at:%Y-%m-%d %H:%M}, {self.ends_at:%H:%M})"

    @property
    def hours(self):
        from decimal import Decimal

        return Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)


class ChargeSource(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation")
    BOOKING = "booking", _("Room booking")


class SpaceCharge(models.Model):
    """What one allocation or booking costs in one month, and who pays it: `state_amount` +
    `company_amount` == `list_amount` to the cent (spaces/charges.py gives the rounding rule).
    Written once per source and month, after the month has ended; never changed."""

    startup = models.ForeignKey(
        Startup, on_delete=models.PROTECT, related_name="space_charges", verbose_name=_("startup")
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="charges", verbose_name=_("site"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="charges", verbose_name=_("unit"))
    month = models.DateField(_("month"))
    source = models.CharField(_("source"), max_length=16, choices=ChargeSource.choices)
    source_id = models.PositiveBigIntegerField(_("source id"))
    description = models.CharField(_("what"), max_length=200, blank=True)
    list_amount = MoneyField(_("list amount"))
    state_amount = MoneyField(_("the state pays"))
    company_amount = MoneyField(_("the startup pays"))
    funding = models.CharField(_("who pays"), max_length=16, choices=Funding.choices)
    state_share = models.DecimalField(_("state's share (percent)"), max_digits=5, decimal_places=2)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month", "startup_id", "source", "source_id"]
        verbose_name = _("space charge")
        verbose_name_plural = _("space charges")
        indexes = [
            models.Index(fields=["startup", "month"], name="charge_startup_month"),
            models.Index(fields=["site", "month"], name="charge_site_month"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id", "month"], name="charge_once_per_source_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="charge_month_first_day"),
            models.CheckConstraint(
                condition=Q(list_amount__gte=0, state_amount__gte=0, company_amount__gte=0),
                name="charge_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(list_amount=F("state_amount") + F("company_amount")), name="charge_parts_add_up"
            ),
        ]

    def __str__(self):
        return f"{self.startup} {self.month:%Y-%m} {self.source}#{self.source_id}: {self.list_amount}"
