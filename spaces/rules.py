"""Who may do what with coworking spaces (django-rules predicates).

A site belongs to a department: that department's space managers and the administrators manage
it (its units, allocations, runs). Founders see every site and unit, and their own startups'
requests and allocations only (the selectors scope them; another startup's is a 404).
"""

import rules

from accounts.enums import RoleCode
from accounts.rules import has_role, is_admin
from startups.rules import is_member

is_space_manager = has_role(RoleCode.SPACE_MANAGER)


def manages_site_of(user, site) -> bool:
    """An administrator, or a space manager of the site's department."""
    if site is None or not user.is_authenticated:
        return False
    if user.has_role(RoleCode.ADMIN):
        return True
    return user.has_role(RoleCode.SPACE_MANAGER) and user.department_id == site.department_id


@rules.predicate
def manages_site(user, site):
    return manages_site_of(user, site)


@rules.predicate
def manages_unit(user, unit):
    return unit is not None and manages_site_of(user, unit.site)


@rules.predicate
def manages_allocation(user, allocation):
    return allocation is not None and manages_site_of(user, allocation.unit.site)


@rules.predicate
def is_request_member(user, space_request):
    return space_request is not None and is_member(user, space_request.startup)


@rules.predicate
def manages_run(user, run):
    if run is None:
        return False
    return manages_site_of(user, run.site) if run.site_id else bool(is_admin(user) or is_space_manager(user))


is_spaces_staff = is_admin | is_space_manager

rules.add_perm("spaces.view_site", rules.is_authenticated)
rules.add_perm("spaces.add_site", is_spaces_staff)
rules.add_perm("spaces.change_site", manages_site)
# A site's floor plan and occupancy dashboard: its managers.
rules.add_perm("spaces.view_site_occupancy", manages_site)
rules.add_perm("spaces.view_unit", rules.is_authenticated)
rules.add_perm("spaces.add_unit", is_spaces_staff)
rules.add_perm("spaces.change_unit", manages_unit)
# The waiting list, runs and allocations of the sites one manages.
rules.add_perm("spaces.manage_spaces", is_spaces_staff)
rules.add_perm("spaces.view_spacerequest", rules.is_authenticated)
rules.add_perm("spaces.answer_offer", is_request_member)
rules.add_perm("spaces.add_allocationrun", is_spaces_staff)
rules.add_perm("spaces.view_allocationrun", manages_run)
rules.add_perm("spaces.confirm_allocationrun", manages_run)
rules.add_perm("spaces.view_allocation", rules.is_authenticated)
rules.add_perm("spaces.add_allocation", is_spaces_staff)
rules.add_perm("spaces.end_allocation", manages_allocation)
# The founder's page of their startups' space.
rules.add_perm("spaces.view_my_space", rules.is_authenticated)
