"""Who may see and change a startup: its members, and the incubator's staff for reading."""
import rules

from accounts.rules import is_founder, is_staff_member

from .enums import MemberRole


@rules.predicate
def is_member(user, startup):
    if startup is None or not user.is_authenticated:
        return False
    return startup.memberships.filter(user=user).exists()


@rules.predicate
def is_owner(user, startup):
    if startup is None or not user.is_authenticated:
        return False
    return startup.memberships.filter(user=user, role=MemberRole.OWNER).exists()


rules.add_perm("startups.add_startup", is_founder)
rules.add_perm("startups.view_startup", is_member | is_staff_member)
rules.add_perm("startups.change_startup", is_member)
rules.add_perm("startups.add_membership", is_owner)
rules.add_perm("startups.add_monthlyreport", is_member)
