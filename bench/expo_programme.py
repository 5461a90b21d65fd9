"""The public programme of a 600-showcase expo: its page and its JSON, beside the bare 50-row
list ceiling (bench/probe) of the same run, and the queries of each request.

    .venv/bin/python -m bench.expo_programme [--showcases 600] [--seconds 12] [--port 8137]

Runs against the machine's PostgreSQL (BENCH_DATABASE_URL, default a database of its own:
incubator_bench_programme) with gunicorn (3 workers) on 127.0.0.1. The expo: 12 halls, 3 days
of 16 half-hour slots, 600 accepted showcases placed by the scheduler and released once.
"""
import argparse
import os
import sys
import time

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/incubator_bench_programme")

from bench import run as bench_run  # noqa: E402  (sets the benchmark's environment)

CLIENTS = 16
ROUNDS = 3


def build_expo(showcases: int):
    import datetime
    from decimal import Decimal

    from accounts.models import Department, Role, User
    from expos import programme
    from expos.enums import Decision, ShowcaseStatus
    from expos.models import Expo, Hall, Showcase
    from startups.models import Startup

    department = Department.objects.create(name="Expo bench", code="expo-bench", email="expo@gov.example")
    organiser = User.objects.create(username="expo-organiser", department=department)
    organiser.roles.set([Role.objects.get_or_create(code="expo_organiser")[0]])
    today = datetime.date.today()
    expo = Expo.objects.create(
        name="Bench expo",
        city="Busan",
        venue="BEXCO",
        department=department,
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=32),
        applications_open_on=today - datetime.timedelta(days=10),
        applications_close_on=today + datetime.timedelta(days=10),
        day_starts_at=datetime.time(9, 0),
        day_ends_at=datetime.time(17, 0),
        slot_minutes=30,
        slot_value=Decimal("250000.00"),
    )
    Hall.objects.bulk_create(Hall(expo=expo, name=f"Hall {n + 1}", capacity=50, features=[]) for n in range(12))
    sectors = ["software", "hardware", "biotech", "energy"]
    startups = Startup.objects.bulk_create(
        Startup(name=f"Startup {n}", sector=sectors[n % 4], stage="prototype") for n in range(showcases)
    )
    Showcase.objects.bulk_create(
        Showcase(
            expo=expo,
            startup=startup,
            title=f"Showcase {n}",
            description="What we show.",
            sector=startup.sector,
            needs=[],
            available_days=[],
            decision=Decision.ACCEPTED,
            status=ShowcaseStatus.ACCEPTED,
        )
        for n, startup in enumerate(startups)
    )
    started = time.perf_counter()
    result = programme.schedule_run(expo=expo, by=organiser)
    scheduled = time.perf_counter() - started
    programme.release_create(expo=expo, comment="First programme.", by=organiser)
    return expo, result, scheduled


def queries(path, token=None):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if token:
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured), len(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--showcases", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--port", type=int, default=8137)
    args = parser.parse_args()

    import django

    django.setup()
    from accounts.models import User
    from accounts.services import api_token_create
    from bench import load
    from bench.common import line
    from bench.probe.models import ProbeRow

    bench_run.prepare_database()
    expo, result, scheduled = build_expo(args.showcases)
    ProbeRow.objects.bulk_create(ProbeRow(name=f"row {i}", value=i) for i in range(1000))
    admin = User.objects.create_superuser("bench-admin", "admin@example.com", "x")
    token = api_token_create(user=admin)
    page_path, api_path, probe_path = f"/expos/{expo.pk}/programme/", f"/api/v1/expos/{expo.pk}/programme/", "/bench-probe/list/"
    page_q, page_bytes = queries(page_path)
    api_q, api_bytes = queries(api_path)
    probe_q, _ = queries(probe_path, token)

    bench_run.PORT = args.port
    import bench.common

    bench.common.PORT = args.port
    with _gunicorn(args.port):
        page_requests = [[load.request("GET", page_path)] * 100_000 for _ in range(CLIENTS)]
        api_requests = [[load.request("GET", api_path)] * 100_000 for _ in range(CLIENTS)]
        probe_requests = [[load.request("GET", probe_path, token)] * 100_000 for _ in range(CLIENTS)]
        per_round = args.seconds / ROUNDS
        page, probe, api = load.alternating(
            lambda k: load.run(args.port, page_requests, per_round),
            lambda k: load.run(args.port, probe_requests, per_round),
            lambda k: load.run(args.port, api_requests, per_round),
            rounds=ROUNDS,
        )
    note = f"{result['placed']} slots released, {len(result['unplaced'])} unplaced; scheduled in {scheduled:.1f} s"
    line("programme page", page.rps, "req/s", probe.rps, page.rps / probe.rps, note)
    line("programme page p95", page.p95_ms, "ms", probe.p95_ms, page.p95_ms / probe.p95_ms, "target: ratio <= 2")
    line("programme JSON", api.rps, "req/s", probe.rps, api.rps / probe.rps, f"errors {api.errors}")
    line("programme JSON p95", api.p95_ms, "ms", probe.p95_ms, api.p95_ms / probe.p95_ms, "target: ratio <= 2")
    line("programme page queries", page_q, "queries/request", note=f"{page_bytes} bytes")
    line("programme JSON queries", api_q, "queries/request", probe_q, api_q / probe_q, f"{api_bytes} bytes")


def _gunicorn(port):
    from contextlib import contextmanager

    @contextmanager
    def serving():
        proc = bench_run._spawn(
            [str(bench_run.BIN / "gunicorn"), "incubator.wsgi", "-w", "3", "-b", f"127.0.0.1:{port}", "--keep-alive", "30"],
            "gunicorn-programme",
        )
        import http.client

        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        try:
            yield proc
        finally:
            bench_run._stop(proc)

    return serving()


if __name__ == "__main__":
    sys.exit(main())
