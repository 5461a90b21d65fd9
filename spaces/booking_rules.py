"""Who may book meeting rooms and read charges (django-rules predicates).

A site's department's space managers and the administrators manage its rooms' bookings and its
charges; a startup's members book for it (the service also asks for an allocation at the site on
the day) and see its bookings and charges. The selectors scope every read: another startup's
booking or charge is a 404.
"""

import rules

from accounts.enums import RoleCode
from accounts.rules import has_role
from startups.rules import is_member

from .rules import manages_site_of


@rules.predicate
def manages_booking(user, booking):
    return booking is not None and manages_site_of(user, booking.unit.site)


@rules.predicate
def is_booking_member(user, booking):
    return booking is not None and is_member(user, booking.startup)


@rules.predicate
def manages_room(user, unit):
    return unit is not None and manages_site_of(user, unit.site)


is_charges_staff = has_role(RoleCode.ADMIN, RoleCode.SPACE_MANAGER)

rules.add_perm("spaces.view_roombooking", rules.is_authenticated)
rules.add_perm("spaces.add_roombooking", rules.is_authenticated)  # the service decides for which room
rules.add_perm("spaces.cancel_roombooking", is_booking_member | manages_booking)
rules.add_perm("spaces.check_in_roombooking", is_booking_member | manages_booking)
rules.add_perm("spaces.view_spacecharge", rules.is_authenticated)
rules.add_perm("spaces.issue_spacecharges", is_charges_staff)
rules.add_perm("spaces.export_spacecharges", is_charges_staff)
rules.add_perm("spaces.view_room_week", manages_room)
# The founders' pages: book a room, my bookings, what we pay (managers book through a
# startup's page of theirs, or the API).
rules.add_perm("spaces.book_rooms", has_role(RoleCode.FOUNDER) | is_charges_staff)
