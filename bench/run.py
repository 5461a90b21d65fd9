"""The benchmarks of `make bench`: each figure beside a ceiling measured in the same run.

Runs against the machine's PostgreSQL and Redis (a database and a Redis db of its own),
gunicorn with 3 workers and a Celery worker of concurrency 2, all on 127.0.0.1. Prints one
line per figure: `name: value unit (ceiling: value unit, ratio: r)`.

    .venv/bin/python -m bench.run [--only intake,drain,latency,queue,approvals] [--letters 1000000]
"""
import argparse
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from bench.common import PORT, flush_redis

ROOT = Path(__file__).resolve().parent.parent
BENCH_ENV = {
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/incubator_bench"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    "BENCH_PROBE": "1",
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "EMAIL_URL": "dummymail://",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(BENCH_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"


# --- processes ------------------------------------------------------------------------------


def _spawn(args, log_name):
    log = open(ROOT / "var" / f"bench-{log_name}.log", "w")
    return subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc):
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def gunicorn():
    proc = _spawn(
        [str(BIN / "gunicorn"), "incubator.wsgi", "-w", "3", "-b", f"127.0.0.1:{PORT}", "--keep-alive", "30"],
        "gunicorn",
    )
    import http.client

    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield proc
    finally:
        _stop(proc)


def start_worker(queues="routing"):
    return _spawn(
        [str(BIN / "celery"), "-A", "incubator", "worker", "-Q", queues, "-c", "2", "--loglevel=WARNING"],
        "worker",
    )


# --- set-up ---------------------------------------------------------------------------------


def prepare_database():
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    flush_redis()  # a new database: nothing kept of the old one may be read as this one's


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="intake,drain,latency,queue,approvals")
    parser.add_argument("--letters", type=int, default=1_000_000, help="letters in the reviewer's-queue scenario")
    parser.add_argument("--drain", type=int, default=10_000, help="letters in the drain scenario")
    parser.add_argument("--seconds", type=float, default=20, help="length of each load run")
    args = parser.parse_args()

    import django

    django.setup()
    from bench import scenarios

    prepare_database()
    world = scenarios.World.build()
    chosen = args.only.split(",")
    with gunicorn():
        if "intake" in chosen:
            scenarios.intake(world, seconds=args.seconds)
        if "drain" in chosen:
            scenarios.drain(world, count=args.drain, start_worker=start_worker, stop=_stop)
        if "latency" in chosen:
            scenarios.latency(world, start_worker=start_worker, stop=_stop)
        if "approvals" in chosen:
            scenarios.approvals(world, seconds=args.seconds)
        if "queue" in chosen:
            scenarios.reviewer_queue(world, letters=args.letters, seconds=args.seconds)


if __name__ == "__main__":
    sys.exit(main())
