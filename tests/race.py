"""Races for the database's guarantees, on PostgreSQL and on SQLite.

`run_together(calls)` runs each call in its own thread and database connection, all released
together, and returns the outcomes ("ok", "conflict" for a StateConflict, or the error's repr);
`race(target, count, tmp_path)` runs `target()` so `count` times, on either database.

On SQLite the test database lives in memory with a shared cache, where a writer that finds
another one's lock fails at once ("database table is locked") instead of waiting, unlike the
file database the platform runs on. So `race` copies the test database (schema and rows, as the
test made them) into a file and points the threads' connections at it, with the platform's own
options (IMMEDIATE transactions, WAL, the busy timeout); `count_rows` then reads that file.
"""
import sqlite3
import threading
from contextlib import contextmanager

from django.db import connection, connections

from core.exceptions import StateConflict


@contextmanager
def _threads_on_file(tmp_path):
    if connection.vendor != "sqlite":
        yield None
        return
    path = str(tmp_path / "race.sqlite3")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    settings = connections.settings["default"]
    name = settings["NAME"]
    settings["NAME"] = path
    try:
        yield path
    finally:
        settings["NAME"] = name


def run_together(calls):
    """Run each call in its own thread (and database connection), all released at once; their
    outcomes: "ok", "conflict" for a StateConflict, or the error's repr."""
    barrier = threading.Barrier(len(calls))
    outcomes, lock = [], threading.Lock()

    def worker(call):
        try:
            barrier.wait(timeout=30)
            try:
                call()
                outcome = "ok"
            except StateConflict:
                outcome = "conflict"
            except Exception as exc:  # noqa: BLE001 - any other error fails the test
                outcome = repr(exc)
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def race(target, count, tmp_path):
    """Outcomes of `count` concurrent calls of `target`; and the SQLite file they wrote to
    (None on PostgreSQL)."""
    with _threads_on_file(tmp_path) as path:
        outcomes = run_together([target] * count)
    return outcomes, path


def count_rows(path, sql: str, params=()) -> int:
    """`SELECT count(*) ...` where the race wrote: the SQLite file, or the test database."""
    if path is None:
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchone()[0]
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()
