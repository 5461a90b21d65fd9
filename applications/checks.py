"""System checks: the letters' categories and the apps that fulfil them agree at start-up."""
from django.core import checks

from .fulfilment import missing_categories


def check_every_category_has_a_handler(app_configs=None, **kwargs):
    """Every letter category has a fulfilment handler (`register_handler` in an app's ready());
    otherwise a letter of it could be approved with nothing fulfilled."""
    return [
        checks.Error(
            f"The letter category {category!r} has no fulfilment handler.",
            hint="Register one in the AppConfig.ready() of the app that fulfils it "
            "(applications.fulfilment.register_handler), or NothingToFulfil if its approval is the whole answer.",
            id="applications.E001",
        )
        for category in missing_categories()
    ]
