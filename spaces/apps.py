from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    """Coworking sites, units, allocations, bookings and charges; its models arrive with the
    coworking-space work."""

    name = "spaces"
    verbose_name = _("Coworking spaces")
