"""Who may do what with expos (django-rules predicates)."""

import rules

from accounts.rules import has_role, is_admin, is_founder
from startups.rules import is_member

from .services import is_organiser_of

is_expo_organiser = has_role("expo_organiser")


@rules.predicate
def organises(user, obj):
    """The user organises the expo (or the hall's or showcase's expo)."""
    if obj is None:
        return False
    expo = getattr(obj, "expo", obj)
    return is_organiser_of(user, expo)


@rules.predicate
def is_showcase_member(user, showcase):
    return showcase is not None and is_member(user, showcase.startup)


is_authenticated = rules.is_authenticated

rules.add_perm("expos.view_expo", is_authenticated)
rules.add_perm("expos.add_expo", is_admin | is_expo_organiser)
rules.add_perm("expos.change_expo", organises)
# The organisers' pages: their expos, the review page.
rules.add_perm("expos.manage_expos", is_admin | is_expo_organiser)
rules.add_perm("expos.view_hall", is_authenticated)
rules.add_perm("expos.add_hall", is_admin | is_expo_organiser)
rules.add_perm("expos.change_hall", organises)
rules.add_perm("expos.view_showcase", is_showcase_member | organises)
rules.add_perm("expos.add_showcase", is_founder)
rules.add_perm("expos.review_showcase", organises)
rules.add_perm("expos.decide_showcase", organises)
rules.add_perm("expos.release_decisions", organises)
# The programmes' index page (the navigation's link): organisers, admins and founders.
rules.add_perm("expos.view_programmes", is_admin | is_expo_organiser | is_founder)
