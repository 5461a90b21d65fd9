"""Meeting-room bookings: (a) concurrent bookings of distinct rooms through the API, beside the
bare DRF insert ceiling (bench/probe) of the same run; (b) a site's week calendar with 50 rooms
and 100,000 bookings, beside the bare 50-row list ceiling of the same run, and its queries. The
week is kept in the cache (spaces/week_cache.py) after its first request, as it is in production
between two bookings of the site; SPACES_WEEK_CACHE_SECONDS=0 measures it drawn on every request.

    .venv/bin/python -m bench.space_bookings [--only bookings,week] [--seconds 12] [--port 8139]

Runs against the machine's PostgreSQL (BENCH_DATABASE_URL, default a database of its own:
incubator_bench_bookings) with gunicorn (3 workers) on 127.0.0.1, rounds alternating with the
ceiling's (bench.load.alternating). Prints the load average beside the figures: the machine may
be shared, so only the ratios of one run compare.
"""
import argparse
import datetime
import os
import sys

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/incubator_bench_bookings")

from bench import run as bench_run  # noqa: E402  (sets the benchmark's environment)

CLIENTS = 16
ROUNDS = 3
ROOMS = 50
BOOKINGS = 100_000
#: The rooms of the booking race: one per client, each booked at every free quarter hour.
SLOTS_PER_CLIENT = 20_000


def _world():
    """The bench's department and startup."""
    from accounts.models import Department
    from startups.models import Startup

    department = Department.objects.create(name="Spaces bench", code="spaces-bench", email="spaces@gov.example")
    return department, Startup.objects.create(name="Bench startup", sector="software", stage="prototype")


def _site(department, name):
    """A site of ROOMS meeting rooms bookable around the clock, every day, a year ahead (room
    for the slots of a run)."""
    from spaces.enums import Funding, UnitKind
    from spaces.models import Site, Unit

    site = Site.objects.create(
        department=department, name=name, funding=Funding.STATE, bookable_from=datetime.time(0, 0),
        bookable_until=datetime.time(23, 45), bookable_weekdays=list(range(7)), max_advance_days=365,
    )
    rooms = Unit.objects.bulk_create(
        Unit(site=site, name=f"Room {n:02}", kind=UnitKind.MEETING_ROOM, seats=8, hourly_price="20000.00")
        for n in range(ROOMS)
    )
    return site, rooms


def _slots(first_day: datetime.date):
    """Quarter hours from 00:00 to 23:30 of each day from `first_day`: (start, end)."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    day = first_day
    while True:
        start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=tz)
        for quarter in range(94):
            at = start + datetime.timedelta(minutes=15 * quarter)
            yield at, at + datetime.timedelta(minutes=15)
        day += datetime.timedelta(days=1)


def _booking_requests(rooms, startup, token):
    """Per client its own room, each request a later quarter hour of it (none conflicts)."""
    from django.utils import timezone

    from bench import load

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    per_client = []
    for room in rooms[:CLIENTS]:
        slots = _slots(tomorrow)
        per_client.append([
            load.request("POST", "/api/v1/room-bookings/", token, {
                "unit": room.pk, "startup": startup.pk, "starts_at": start.isoformat(), "ends_at": end.isoformat(),
            })
            for start, end in (next(slots) for _ in range(SLOTS_PER_CLIENT))
        ])
    return per_client


def _fill_week_bookings(rooms, startup, monday: datetime.date):
    """BOOKINGS bookings over the rooms, four a day from 9:00 for as many weeks as it takes,
    the week measured among them."""
    from django.utils import timezone

    from spaces.models import RoomBooking

    tz = timezone.get_current_timezone()
    per_room_day = 4
    days = BOOKINGS // (len(rooms) * per_room_day)
    first = monday - datetime.timedelta(days=days // 2)
    batch = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        for room in rooms:
            for slot in range(per_room_day):
                starts_at = datetime.datetime.combine(day, datetime.time(9 + 2 * slot), tzinfo=tz)
                batch.append(RoomBooking(
                    unit=room, startup=startup, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1)
                ))
        if len(batch) >= 10_000:
            RoomBooking.objects.bulk_create(batch)
            batch = []
    RoomBooking.objects.bulk_create(batch)
    return RoomBooking.objects.filter(unit__in=rooms).count()


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def bookings(args, rooms, startup, token):
    from bench import load, scenarios
    from bench.common import line

    requests = scenarios._in_rounds(_booking_requests(rooms, startup, token))
    result, ceiling = load.alternating(
        lambda k: load.run(args.port, requests[k], args.seconds / ROUNDS),
        lambda k: scenarios._probe_insert(token, args.seconds / ROUNDS, CLIENTS),
        rounds=ROUNDS,
    )
    line("bookings of distinct rooms", result.rps, "req/s", ceiling.rps, result.rps / ceiling.rps,
         f"errors {result.errors}; target: ratio >= 0.5")
    line("bookings p95", result.p95_ms, "ms", ceiling.p95_ms, result.p95_ms / ceiling.p95_ms)


def week(args, department, startup, token):
    from django.utils import timezone

    from accounts.models import Role, User
    from bench import load
    from bench.common import line
    from bench.expo_programme import queries

    site, rooms = _site(department, "Bench site of the week")
    # A space manager of the site's department (an administrator would be asked for a second factor).
    manager = User.objects.create_user("bench-space", "space@example.com", "x", department=department)
    manager.roles.add(Role.objects.get_or_create(code="space_manager")[0])
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=2)
    total = _fill_week_bookings(rooms, startup, monday)
    path, probe_path = f"/rooms/sites/{site.pk}/week/?week={monday.isoformat()}", "/bench-probe/list/"
    cookie = _session_cookie(manager)
    (drawn_q, page_q), page_bytes = _page_queries(manager, path)
    probe_q, _ = queries(probe_path, token)
    page_requests = [[load.request("GET", path, cookie=cookie)] * 100_000 for _ in range(CLIENTS)]
    probe_requests = [[load.request("GET", probe_path, token)] * 100_000 for _ in range(CLIENTS)]
    page, probe = load.alternating(
        lambda k: load.run(args.port, page_requests, args.seconds / ROUNDS),
        lambda k: load.run(args.port, probe_requests, args.seconds / ROUNDS),
        rounds=ROUNDS,
    )
    note = f"{ROOMS} rooms, {total} bookings, {page_bytes} bytes; errors {page.errors}"
    line("site week page", page.rps, "req/s", probe.rps, page.rps / probe.rps, note)
    line("site week page p95", page.p95_ms, "ms", probe.p95_ms, page.p95_ms / probe.p95_ms, "target: ratio <= 2")
    line("site week page queries", page_q, "queries/request", probe_q, page_q / probe_q, f"{drawn_q} when drawn")


def _page_queries(user, path):
    """The page's queries when it is drawn and when it is read again (kept in the cache, unless
    SPACES_WEEK_CACHE_SECONDS=0), and its size."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts.append(len(captured))
    return counts, len(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="bookings,week")
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--port", type=int, default=8139)
    args = parser.parse_args()
    only = set(args.only.split(","))

    import django

    django.setup()
    from accounts.models import Role, User
    from accounts.services import api_token_create
    from bench import scenarios
    from bench.expo_programme import _gunicorn
    from bench.probe.models import ProbeRow

    bench_run.prepare_database()
    department, startup = _world()
    ProbeRow.objects.bulk_create(ProbeRow(name=f"row {i}", value=i) for i in range(1000))
    admin = User.objects.create_superuser("bench-admin", "admin@example.com", "x")
    admin.roles.add(Role.objects.get_or_create(code="admin")[0])  # a manager of every site
    token = api_token_create(user=admin)
    scenarios.PORT = args.port  # the probe's requests go to this run's server
    print(f"load average before: {os.getloadavg()}", flush=True)
    with _gunicorn(args.port):
        if "bookings" in only:
            bookings(args, _site(department, "Bench site of the bookings")[1], startup, token)
        if "week" in only:
            week(args, department, startup, token)
    print(f"load average after: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
