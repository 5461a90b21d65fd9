"""What the programme registers when the expos app is ready: its admin pages and its source
of the startups' ledger of public support."""


def programme_ready():
    from startups.support import EXPO, register_support_source

    from . import admin_programme  # noqa: F401  (the admin pages)
    from .selectors_programme import expo_support_entries

    register_support_source(EXPO, expo_support_entries)
