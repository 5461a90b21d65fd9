from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    """Coworking sites, units, allocations, bookings and charges; its models arrive with the
    coworking-space work."""

    name = "spaces"
    verbose_name = _("Coworking spaces")

    def ready(self):
        from applications.enums import Category
        from applications.fulfilment import NothingToFulfil, register_handler

        # Until this app's own handler arrives, its letters are answered by the decision alone.
        register_handler(NothingToFulfil(Category.SPACE))
        from . import support  # noqa: F401 - registers the state's share of charges as public support
