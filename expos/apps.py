from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposConfig(AppConfig):
    """Domestic expos, their halls, showcase applications, review and scheduling."""

    name = "expos"
    verbose_name = _("Expos")

    def ready(self):
        from applications.fulfilment import register_handler

        from .handlers import ExpoHandler

        register_handler(ExpoHandler())
        from .apps_programme import programme_ready

        programme_ready()  # the programme's admin and support source
