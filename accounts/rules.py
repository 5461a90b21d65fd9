"""Who may do what with people and departments (django-rules predicates)."""
import rules

from .enums import RoleCode


def has_role(*codes):
    """A predicate true for users holding any of the given roles."""

    @rules.predicate(name=f"has_role({','.join(codes)})")
    def predicate(user):
        return user.is_authenticated and user.has_role(*codes)

    return predicate


is_founder = has_role(RoleCode.FOUNDER)
is_reviewer = has_role(RoleCode.REVIEWER)
is_approver = has_role(RoleCode.APPROVER)
is_admin = has_role(RoleCode.ADMIN)


@rules.predicate
def is_staff_member(user):
    return user.is_authenticated and user.is_staff_member


rules.add_perm("accounts.add_user", is_admin)
rules.add_perm("accounts.view_user", is_admin)
rules.add_perm("accounts.add_department", is_admin)
rules.add_perm("accounts.change_department", is_admin)
rules.add_perm("accounts.view_department", is_staff_member)
# A second factor is for staff; founders sign in as before.
rules.add_perm("accounts.enrol_otp", is_staff_member)

# The activity log of configuration changes: admins read it (it names who changed what).
rules.add_perm("core.view_activityentry", is_admin)
