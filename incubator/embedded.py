"""The embedded mode's folders: the SQLite file's and the file-system broker's, under VAR_DIR.

Reading the settings creates nothing; the programs that use these folders make them when they
start (`manage.py`, the Celery worker and beat, the test suite).
"""
from pathlib import Path

from django.conf import settings


def make_embedded_dirs() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]) != ":memory:":
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
