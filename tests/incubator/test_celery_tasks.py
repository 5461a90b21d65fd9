"""What a Celery worker knows: every task the code defines, and every task beat sends.

A worker registers the tasks of the modules it imports at start-up (each app's `tasks.py` by
autodiscovery, and `CELERY_IMPORTS`); a message for a task it never imported is refused as
unregistered. So a fresh interpreter loads what a worker loads, and the tasks it then knows are
compared with those written in the source.
"""
import ast
import json
from pathlib import Path

from django.conf import settings

from tests.incubator.test_settings import run

PROJECT_APPS = ("accounts", "applications", "core", "expos", "notifications", "spaces", "startups", "subsidies")

WORKER_TASKS = (
    "import json, django; django.setup(); "
    "from incubator.celery import app; app.loader.import_default_modules(); "
    "print(json.dumps(sorted(app.tasks)))"
)


def _is_task_decorator(node) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in {"shared_task", "task"}


def tasks_in_source() -> set[str]:
    names = set()
    for app in PROJECT_APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts)
            for node in ast.parse(path.read_text()).body:
                if isinstance(node, ast.FunctionDef) and any(map(_is_task_decorator, node.decorator_list)):
                    names.add(f"{module}.{node.name}")
    return names


def worker_tasks(tmp_path) -> set[str]:
    result = run(WORKER_TASKS, tmp_path, DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_a_worker_registers_every_task_the_code_defines(tmp_path):
    defined = tasks_in_source()

    assert "expos.tasks_programme.task_schedule_run" in defined  # the scan finds tasks outside tasks.py
    assert defined - worker_tasks(tmp_path) == set()


def test_every_periodic_task_is_one_a_worker_knows(tmp_path):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled - worker_tasks(tmp_path) == set()
