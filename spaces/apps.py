from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    """Coworking sites, units, space requests, optimiser runs and allocations."""

    name = "spaces"
    verbose_name = _("Coworking spaces")

    def ready(self):
        from applications.fulfilment import register_handler

        from .handlers import SpaceHandler

        register_handler(SpaceHandler())
        from . import support  # noqa: F401  (registers the state's share of charges as public support)
