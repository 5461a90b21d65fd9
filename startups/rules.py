"""Who may see and change a startup: its members, and the incubator's staff for reading.

Members are people who accepted an invitation (a `Membership` row); an open invitation gives
no access. The registration is verified by the staff who judge letters (reviewers, approvers,
administrators): they are the ones whose decisions trust it. Space managers and expo
organisers see startups but do not vouch for them.
"""
import rules

from accounts.rules import is_admin, is_approver, is_founder, is_reviewer, is_staff_member

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


is_registration_verifier = is_admin | is_reviewer | is_approver


rules.add_perm("startups.add_startup", is_founder)
rules.add_perm("startups.view_startup", is_member | is_staff_member)
rules.add_perm("startups.change_startup", is_member)
rules.add_perm("startups.add_membership", is_owner)  # invite a co-founder
rules.add_perm("startups.delete_membership", is_owner)  # remove a member, withdraw an invitation
rules.add_perm("startups.verify_registration", is_registration_verifier)
rules.add_perm("startups.add_monthlyreport", is_member)
