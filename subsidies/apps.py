from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        from applications.fulfilment import register_handler

        from .handlers import SubsidyHandler

        register_handler(SubsidyHandler())

        from startups.support import SUBSIDY, register_support_source

        from .support import paid_disbursements

        register_support_source(SUBSIDY, paid_disbursements)
