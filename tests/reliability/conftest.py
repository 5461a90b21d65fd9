"""Real services for the reliability tests: a private Redis server and real Celery workers.

Each test gets its own redis-server on a free port (so a test may stop and start it without
touching anything else) and can start, SIGKILL and restart `celery -A incubator worker`
processes that use the test database.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from incubator.celery import app as celery_app
from tests.conftest import need_service

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self, binary: str, port: int, workdir: Path):
        self.binary, self.port, self.workdir = binary, port, workdir
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        for _ in range(100):
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class Workers:
    """Celery worker processes on the test database and the private broker."""

    def __init__(self, broker_url: str, workdir: Path):
        self.broker_url, self.workdir = broker_url, workdir
        self.procs: list[subprocess.Popen] = []

    def _env(self):
        db = connection.settings_dict
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            CELERY_BROKER_URL=self.broker_url,
            REDIS_URL=self.broker_url,
            VAR_DIR=str(self.workdir),
            EMAIL_URL="dummymail://",
            LOG_LEVEL="WARNING",
        )
        return env

    def start(self, concurrency: int = 2) -> subprocess.Popen:
        log = open(self.workdir / f"worker-{len(self.procs)}.log", "w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "incubator", "worker", "-Q", "routing,notifications,default",
             "-c", str(concurrency), "--loglevel=INFO", "-n", f"reliability{len(self.procs)}@%h"],
            cwd=ROOT,
            env=self._env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc, sig=signal.SIGKILL):
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=30)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def private_redis(tmp_path):
    binary = shutil.which("redis-server")
    if not binary:
        need_service("the reliability tests need the redis-server program")
    server = PrivateRedis(binary, _free_port(), tmp_path)
    server.start()
    previous = celery_app.conf.broker_url
    _use_broker(server.url)
    yield server
    server.stop()
    _use_broker(previous)


def _use_broker(url):
    celery_app.conf.broker_url = url
    # Forget the pooled connections to the previous broker, as Celery does after a fork
    # (app.close() would also unregister the app, and tasks imported later would be lost).
    celery_app._after_fork()


@pytest.fixture
def workers(postgres, transactional_db, private_redis, tmp_path):
    pool = Workers(private_redis.url, tmp_path)
    yield pool
    pool.stop_all()


def wait_until(predicate, timeout=120.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
