from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        from applications.fulfilment import register_handler

        from .handlers import SubsidyHandler

        register_handler(SubsidyHandler())
