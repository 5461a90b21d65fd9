from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposConfig(AppConfig):
    """Domestic expos and showcase scheduling; its models arrive with the expo work."""

    name = "expos"
    verbose_name = _("Expos")

    def ready(self):
        from applications.enums import Category
        from applications.fulfilment import NothingToFulfil, register_handler

        # Until this app's own handler arrives, its letters are answered by the decision alone.
        register_handler(NothingToFulfil(Category.EXPO))
        __import__("expos.apps_programme").apps_programme.programme_ready()  # the programme's admin, rules, support
