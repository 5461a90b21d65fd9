"""Who may do what with subsidies (django-rules predicates).

Paying a tranche is a second pair of eyes on the award: an approver of the department that
decided it (the department whose queue held the award's letter; a program has no department of
its own), never the approver who decided it, or an administrator who did not decide it either.
When it may be paid (its due date) is the tranche's state, checked by the service (409).
"""

import rules

from accounts.rules import is_admin, is_approver, is_staff_member
from applications.rules import is_of_letter_department
from startups.rules import is_member


@rules.predicate
def is_award_member(user, award):
    return award is not None and is_member(user, award.startup)


@rules.predicate
def is_disbursement_member(user, disbursement):
    return disbursement is not None and is_member(user, disbursement.award.startup)


@rules.predicate
def is_award_decider(user, disbursement):
    """Decided the award's letter (the award's `by` is the approver who approved it)."""
    return disbursement is not None and user.is_authenticated and disbursement.award.by_id == user.pk


@rules.predicate
def is_of_award_department(user, disbursement):
    """Works in the department whose queue held the award's letter, the one that decided it."""
    return disbursement is not None and is_of_letter_department(user, disbursement.award.letter)


is_authenticated = rules.is_authenticated

rules.add_perm("subsidies.view_program", is_authenticated)
rules.add_perm("subsidies.add_program", is_admin)
rules.add_perm("subsidies.change_program", is_admin)
# The budget pages: the ledger, the chart, every award, overdue tranches, exports.
rules.add_perm("subsidies.manage_awards", is_admin | is_approver)
rules.add_perm("subsidies.view_award", is_award_member | is_staff_member)
rules.add_perm("subsidies.cancel_award", is_admin)
rules.add_perm("subsidies.view_disbursement", is_disbursement_member | is_staff_member)
# The cheap checks first: the award's own column, the roles, then the letter's department.
rules.add_perm(
    "subsidies.pay_disbursement", ~is_award_decider & (is_admin | (is_approver & is_of_award_department))
)
