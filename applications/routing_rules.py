"""Who may see and change the routing set-up (django-rules predicates).

Admins keep review queues, rule sets, routing rules and the holiday calendar; the
incubator's staff may read them. Imported by routing_api.py and routing_admin.py (and from
applications/rules.py, so the perms exist wherever rules are autodiscovered).
"""

import rules

from accounts.rules import is_admin, is_staff_member

for _model in ("reviewqueue", "ruleset", "routingrule", "holiday"):
    rules.set_perm(f"applications.view_{_model}", is_staff_member)
    rules.set_perm(f"applications.add_{_model}", is_admin)
    rules.set_perm(f"applications.change_{_model}", is_admin)
    rules.set_perm(f"applications.delete_{_model}", is_admin)

# A draft rule set's dry run and the "which queue would this letter go to" preview only read.
rules.set_perm("applications.preview_routing", is_staff_member)
