"""Who may do what with subsidies (django-rules predicates)."""

import rules

from accounts.rules import is_admin, is_approver, is_staff_member
from startups.rules import is_member


@rules.predicate
def is_award_member(user, award):
    return award is not None and is_member(user, award.startup)


@rules.predicate
def is_disbursement_member(user, disbursement):
    return disbursement is not None and is_member(user, disbursement.award.startup)


is_authenticated = rules.is_authenticated

rules.add_perm("subsidies.view_program", is_authenticated)
rules.add_perm("subsidies.add_program", is_admin)
rules.add_perm("subsidies.change_program", is_admin)
# The budget pages: the ledger, the chart, every award, overdue tranches, exports.
rules.add_perm("subsidies.manage_awards", is_admin | is_approver)
rules.add_perm("subsidies.view_award", is_award_member | is_staff_member)
rules.add_perm("subsidies.cancel_award", is_admin)
rules.add_perm("subsidies.view_disbursement", is_disbursement_member | is_staff_member)
rules.add_perm("subsidies.pay_disbursement", is_admin | is_approver)
