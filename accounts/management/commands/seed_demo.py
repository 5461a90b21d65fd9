"""manage.py seed_demo: demo data for every app, safe to run again and again.

Each project app may provide a `demo` module with `seed(stdout)`; they run in INSTALLED_APPS
order, which follows the import direction (accounts, startups, applications, ...), so an app's
demo data can build on the apps below it. Every `seed` fetches or creates by a natural key:
running the command twice creates nothing twice.
"""
import importlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import login_lines


def demo_modules():
    """The `demo` modules of the project's own apps (not of installed packages), in order."""
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != Path(settings.BASE_DIR).resolve():
            continue
        name = f"{config.name}.demo"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but something it imports is missing
                raise


class Command(BaseCommand):
    help = "Create demo data for every app (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="Only print the demo logins.")

    def handle(self, *args, logins=False, **options):
        if not logins:
            for module in demo_modules():
                module.seed(self.stdout)
        self.stdout.write("Demo logins (one per role):")
        for line in login_lines():
            self.stdout.write(line)
