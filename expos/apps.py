from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposConfig(AppConfig):
    """Domestic expos and showcase scheduling; its models arrive with the expo work."""

    name = "expos"
    verbose_name = _("Expos")
