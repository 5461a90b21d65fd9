from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Petition letters and review")

    def ready(self):
        from .checks import check_every_category_has_a_handler
        from .enums import Category
        from .fulfilment import NothingToFulfil, register_handler

        # Categories whose approval is the whole answer; the others' apps register theirs.
        register_handler(NothingToFulfil(Category.REGISTRATION))
        register_handler(NothingToFulfil(Category.OTHER))
        checks.register(check_every_category_has_a_handler)
