"""The expected permission matrix: who may reach each route of the site (pages and API).

`tests/test_permission_matrix.py` lists every URL pattern from the URL configuration, sends each
one as every actor in `ACTORS` (GET; a POST with an empty body where the route answers GET with
405, or where the API route has no GET) and compares what happened with `EXPECTED`:

- "allowed": any answer but 401, 403, 404 or a redirect to the sign-in page (a 400 for the empty
  body, a 409 for the object's state, a redirect elsewhere are all "allowed": authorisation let
  the request through);
- "denied": 401, 403, 404, or a redirect to the sign-in page.

`EXPECTED` is a dict literal keyed by the route's name (`namespace:name` for pages, the router's
basename-suffixed name such as `letter-detail` for the API); its value is the set of actors that
are allowed, every other actor being denied. A route missing from the table fails the test, and
so does a row whose route no longer exists: a new page or endpoint cannot ship without its row.

Adding a route:
1. add its row to `EXPECTED` (start from the failure message, which prints what each actor got,
   and check every "allowed" is meant: an outsider allowed is a hole, not a row to write down);
2. if its URL has a `pk` for a new kind of object, map its name prefix to an object key in
   `PK_OBJECTS` and build that object in `build_world` (tests/test_permission_matrix.py);
   other URL keyword arguments are looked up in `KWARG_OBJECTS` (or given literally in
   `KWARG_VALUES`);
3. if the route validates its body before it checks who asks, give it a valid body in `BODIES`
   (a dict, or a function of the world for a body that names its objects).

The actors: `anonymous`; `owner`, a founder who owns the startup of every object; `outsider`, a
founder of another startup; `reviewer` (a reviewer of the letter's queue, holding the letter),
`approver` (of the same department, who decided the subsidy letter's award), `space_manager`,
`expo_organiser` and `admin`.
"""

ANONYMOUS = "anonymous"
OWNER = "owner"
OUTSIDER = "outsider"
REVIEWER = "reviewer"
APPROVER = "approver"
SPACE_MANAGER = "space_manager"
EXPO_ORGANISER = "expo_organiser"
ADMIN = "admin"

ACTORS = (ANONYMOUS, OWNER, OUTSIDER, REVIEWER, APPROVER, SPACE_MANAGER, EXPO_ORGANISER, ADMIN)

# Shorthands for the rows.
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {ANONYMOUS}
FOUNDERS = frozenset({OWNER, OUTSIDER})
STAFF = frozenset({REVIEWER, APPROVER, SPACE_MANAGER, EXPO_ORGANISER, ADMIN})
LETTER_STAFF = frozenset({REVIEWER, APPROVER, ADMIN})
NOBODY = frozenset()

# Routes left out of the matrix (path prefixes): the Django admin has its own permission system,
# the language switch and static files are public by design, the schema and its docs are the
# published contract, the benchmark probe exists only when BENCH_PROBE is set.
EXCLUDED_PREFIXES = ("admin/", "i18n/", "static/", "media/", "api/schema/", "api/docs/", "bench-probe/")

# Which object a route's `pk` names, by the longest matching prefix of the route's name.
PK_OBJECTS = {
    "startups:": "startup",
    "startup-": "startup",
    "letters:": "letter",
    "letter-": "letter",
    "letters:queue": "queue",
    "queue-": "queue",
    "routing-rule-": "rule",
    "ruleset-": "ruleset",
    "holiday-": "holiday",
    "subsidies:program_": "program",
    "subsidy-program-": "program",
    "subsidies:award_": "award",
    "subsidy-award-": "award",
    "subsidies:disbursement_": "disbursement",
    "disbursement-": "disbursement",
    "notifications:": "notification",
    "notification-": "notification",
    "user-": "user",
    "department-": "department",
    "space-site-": "site",
    "space-unit-": "unit",
    "space-request-": "space_request",
    "space-allocation-": "allocation",
    "space-allocation-run-": "run",
    "space-charge-": "charge",
    "room-booking-": "booking",
    "room_bookings:": "booking",
    "room_bookings:week": "unit",
    "room_bookings:site_week": "site",
    "expo-": "expo",
    "api-expo-": "expo",
    "expos:": "expo",
    "programme:": "expo",
    "expo-hall-": "hall",
    "showcase-": "showcase",
    "api-showcase-outcome": "showcase",
    "expos:showcase_": "showcase",
    "expos:hall_edit": "hall",
    "programme:showcase": "showcase",
    "api-showcase-slot": "slot",
    "programme:move": "slot",
    "programme:run_status": "schedule_run",
    "space_allocation:run": "run",
    "space_allocation:allocation_end": "allocation",
    "my_space:": "space_request",
    "space_sites:": "site",
    "space_sites:unit_edit": "unit",
}

# Other URL keyword arguments: the object whose pk fills them.
KWARG_OBJECTS = {
    "attachment_id": "attachment",
    "membership_pk": "membership",
    "membership_id": "membership",
    "invitation_pk": "invitation",
    "invitation_id": "invitation",
    "startup_pk": "startup",
}

# URL keyword arguments given literally (the first choice of a regular expression's alternatives).
KWARG_VALUES = {
    "action": "confirm",
    "answer": "accept",
    "uidb64": "MQ",
    "token": "set-password",
}

# Bodies for the API routes that check their input before who is asking (the letter's actions
# hand the id to a service that decides): an empty body would be a 400 for everyone, so they are
# sent a valid one and the authorisation decision is what answers.
BODIES = {
    "letter-decide": {"decision": "reject", "comment": ""},
    "letter-recommend": {"recommendation": "reject", "comment": ""},
    "letter-request-info": {"message": "Please send the budget."},
    "letter-respond": {"message": "Here it is."},
    "startup-registration-confirm": {"registration_number": "110-81-00001"},
    "startup-registration-refuse": {"reason": "The number is not on the register."},
    "startup-registration-revoke": {"reason": "The number is not on the register."},
    # A body naming the world's objects is built from it.
    "room-booking-weekly": lambda world: {
        "unit": world["unit"].pk,
        "startup": world["startup"].pk,
        "starts_at": world["booking"].starts_at.isoformat(),
        "ends_at": world["booking"].ends_at.isoformat(),
        "weeks": 2,
    },
}

EXPECTED: dict[str, frozenset[str]] = {
    "activity": frozenset({ADMIN}),
    "api-expo-programme": EVERYONE,
    "api-expo-releases": frozenset({EXPO_ORGANISER, ADMIN}),
    "api-expo-schedule": frozenset({EXPO_ORGANISER, ADMIN}),
    "api-expo-slots": frozenset({EXPO_ORGANISER, ADMIN}),
    "api-me": SIGNED_IN,
    "api-otp-confirm": SIGNED_IN,
    "api-otp-enrol": STAFF,
    "api-register": EVERYONE,
    "api-root": SIGNED_IN,
    "api-showcase-outcome": frozenset({OWNER}),
    "api-showcase-slot": frozenset({EXPO_ORGANISER, ADMIN}),
    "api-token": EVERYONE,
    "award-register-list": EVERYONE,
    "dashboard": STAFF,
    "department-detail": STAFF,
    "department-list": STAFF,
    "disbursement-detail": STAFF | {OWNER},
    # The approver decided the award: another approver of the department pays it (tests/subsidies).
    "disbursement-pay": frozenset({ADMIN}),
    "expo-detail": SIGNED_IN,
    "expo-hall-detail": SIGNED_IN,
    "expo-hall-list": SIGNED_IN,
    "expo-list": SIGNED_IN,
    "expo-release-decisions": frozenset({EXPO_ORGANISER, ADMIN}),
    "expos:apply": FOUNDERS,
    "expos:expo_create": frozenset({EXPO_ORGANISER, ADMIN}),
    "expos:expo_detail": frozenset({EXPO_ORGANISER, ADMIN}),
    "expos:expo_edit": frozenset({EXPO_ORGANISER, ADMIN}),
    "expos:expo_list": frozenset({EXPO_ORGANISER, ADMIN}),
    "expos:expo_release": frozenset({EXPO_ORGANISER, ADMIN}),
    "expos:expo_review": frozenset({EXPO_ORGANISER, ADMIN}),
    "expos:hall_create": frozenset({EXPO_ORGANISER, ADMIN}),
    "expos:hall_edit": frozenset({EXPO_ORGANISER, ADMIN}),
    "expos:mine": SIGNED_IN,
    "expos:showcase_review": frozenset({EXPO_ORGANISER, ADMIN}),
    "healthz": EVERYONE,
    "holiday-detail": STAFF,
    "holiday-list": STAFF,
    "home": EVERYONE,
    "letter-attachment-download": LETTER_STAFF | {OWNER},
    "letter-attachments": LETTER_STAFF | {OWNER},
    "letter-claim": frozenset({REVIEWER}),
    "letter-decide": frozenset({APPROVER}),
    "letter-detail": LETTER_STAFF | {OWNER},
    "letter-events": LETTER_STAFF | {OWNER},
    "letter-list": SIGNED_IN,
    "letter-messages": LETTER_STAFF | {OWNER},
    "letter-recommend": frozenset({REVIEWER}),
    "letter-request-info": frozenset({REVIEWER}),
    "letter-respond": frozenset({OWNER}),
    "letter-revisions": LETTER_STAFF | {OWNER},
    "letter-submit": frozenset({OWNER}),
    "letter-withdraw": frozenset({OWNER}),
    "letters:admin-departments": STAFF,
    "letters:admin-dry-run": STAFF,
    "letters:admin-preview": STAFF,
    "letters:admin-queues": STAFF,
    "letters:admin-rules": STAFF,
    "letters:attach": frozenset({OWNER}),
    "letters:attachment": LETTER_STAFF | {OWNER},
    "letters:awaiting": frozenset({APPROVER}),
    "letters:category-fields": FOUNDERS,
    "letters:claim": frozenset({REVIEWER}),
    "letters:compose": FOUNDERS,
    "letters:decide": frozenset({APPROVER}),
    "letters:detail": LETTER_STAFF | {OWNER},
    "letters:edit": frozenset({OWNER}),
    "letters:message": frozenset({OWNER, REVIEWER}),
    "letters:mine": FOUNDERS,
    "letters:my-work": frozenset({REVIEWER, APPROVER}),
    "letters:queue": frozenset({REVIEWER, ADMIN}),
    "letters:queues": frozenset({REVIEWER, ADMIN}),
    "letters:recommend": frozenset({REVIEWER}),
    "letters:request-info": frozenset({REVIEWER}),
    "letters:respond": frozenset({OWNER}),
    "letters:submit": frozenset({OWNER}),
    "letters:withdraw": frozenset({OWNER}),
    "login": EVERYONE,
    "logout": EVERYONE,
    "notification-detail": frozenset({OWNER}),
    "notification-list": SIGNED_IN,
    "notification-read": frozenset({OWNER}),
    "notification-read-all": SIGNED_IN,
    "notification-unread-count": SIGNED_IN,
    "notifications:list": SIGNED_IN,
    "notifications:read": frozenset({OWNER}),
    "notifications:read-all": SIGNED_IN,
    "otp-backup-codes": STAFF,
    "otp-enrol": STAFF,
    "otp-verify": SIGNED_IN,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": EVERYONE,
    "password_reset_complete": EVERYONE,
    "password_reset_confirm": EVERYONE,
    "password_reset_done": EVERYONE,
    "programme:ics": EVERYONE,
    "programme:index": SIGNED_IN,
    "programme:move": frozenset({EXPO_ORGANISER, ADMIN}),
    "programme:outcomes": frozenset({EXPO_ORGANISER, ADMIN}),
    "programme:page": EVERYONE,
    "programme:release": frozenset({EXPO_ORGANISER, ADMIN}),
    "programme:run": frozenset({EXPO_ORGANISER, ADMIN}),
    "programme:run_status": frozenset({EXPO_ORGANISER, ADMIN}),
    "programme:schedule": frozenset({EXPO_ORGANISER, ADMIN}),
    "programme:showcase": frozenset({OWNER}),
    # The programme is public once released, and so is each startup's part of it.
    "programme:startup_ics": EVERYONE,
    "queue-detail": STAFF,
    "queue-list": STAFF,
    "register": EVERYONE,
    "room-booking-cancel": frozenset({OWNER, SPACE_MANAGER, ADMIN}),
    "room-booking-check-in": frozenset({OWNER, SPACE_MANAGER, ADMIN}),
    "room-booking-detail": frozenset({OWNER, SPACE_MANAGER, ADMIN}),
    "room-booking-list": SIGNED_IN,
    # The outsider's 400: the startup field refuses a startup that is not theirs.
    "room-booking-weekly": frozenset({OWNER, OUTSIDER, SPACE_MANAGER, ADMIN}),
    "space_allocation:waiting": frozenset({SPACE_MANAGER, ADMIN}),
    "space_allocation:runs": frozenset({SPACE_MANAGER, ADMIN}),
    "space_allocation:run": frozenset({SPACE_MANAGER, ADMIN}),
    "space_allocation:run_progress": frozenset({SPACE_MANAGER, ADMIN}),
    "space_allocation:run_confirm": frozenset({SPACE_MANAGER, ADMIN}),
    "space_allocation:allocations": frozenset({SPACE_MANAGER, ADMIN}),
    "space_allocation:allocation_create": frozenset({SPACE_MANAGER, ADMIN}),
    "space_allocation:allocation_end": frozenset({SPACE_MANAGER, ADMIN}),
    "space_sites:list": frozenset({SPACE_MANAGER, ADMIN}),
    "space_sites:create": frozenset({SPACE_MANAGER, ADMIN}),
    "space_sites:charges": frozenset({SPACE_MANAGER, ADMIN}),
    "space_sites:detail": frozenset({SPACE_MANAGER, ADMIN}),
    "space_sites:edit": frozenset({SPACE_MANAGER, ADMIN}),
    "space_sites:unit_create": frozenset({SPACE_MANAGER, ADMIN}),
    "space_sites:unit_edit": frozenset({SPACE_MANAGER, ADMIN}),
    "space_sites:floor_plan": frozenset({SPACE_MANAGER, ADMIN}),
    "space_sites:occupancy": frozenset({SPACE_MANAGER, ADMIN}),
    "my_space:index": SIGNED_IN,
    "my_space:accept": frozenset({OWNER}),
    "my_space:decline": frozenset({OWNER}),
    "room_bookings:cancel": frozenset({OWNER, SPACE_MANAGER, ADMIN}),
    "room_bookings:charges": SIGNED_IN,
    "room_bookings:mine": SIGNED_IN,
    "room_bookings:site_week": frozenset({SPACE_MANAGER, ADMIN}),
    "room_bookings:week": frozenset({SPACE_MANAGER, ADMIN}),
    "routing-preview-list": STAFF,
    "routing-rule-detail": STAFF,
    "routing-rule-list": STAFF,
    "ruleset-activate": frozenset({ADMIN}),
    "ruleset-detail": STAFF,
    "ruleset-dry-run": STAFF,
    "ruleset-list": STAFF,
    "showcase-decide": frozenset({EXPO_ORGANISER, ADMIN}),
    "showcase-detail": frozenset({OWNER, EXPO_ORGANISER, ADMIN}),
    "showcase-list": SIGNED_IN,
    "showcase-review": frozenset({EXPO_ORGANISER, ADMIN}),
    "space-allocation-detail": frozenset({OWNER, SPACE_MANAGER, ADMIN}),
    "space-allocation-end": frozenset({SPACE_MANAGER, ADMIN}),
    "space-allocation-list": SIGNED_IN,
    "space-allocation-run-confirm": frozenset({SPACE_MANAGER, ADMIN}),
    "space-allocation-run-detail": frozenset({SPACE_MANAGER, ADMIN}),
    "space-allocation-run-list": frozenset({SPACE_MANAGER, ADMIN}),
    "space-charge-detail": frozenset({OWNER, SPACE_MANAGER, ADMIN}),
    "space-charge-export": frozenset({SPACE_MANAGER, ADMIN}),
    "space-charge-issue": frozenset({SPACE_MANAGER, ADMIN}),
    "space-charge-list": SIGNED_IN,
    "space-request-accept": frozenset({OWNER}),
    "space-request-decline": frozenset({OWNER}),
    "space-request-detail": frozenset({OWNER, SPACE_MANAGER, ADMIN}),
    "space-request-list": SIGNED_IN,
    "space-site-detail": SIGNED_IN,
    "space-site-list": SIGNED_IN,
    "space-unit-detail": SIGNED_IN,
    "space-unit-list": SIGNED_IN,
    "startup-detail": STAFF | {OWNER},
    "startup-invitation-accept": NOBODY,
    "startup-invitation-decline": NOBODY,
    "startup-invitation-withdraw": frozenset({OWNER}),
    "startup-list": SIGNED_IN,
    "startup-member-remove": frozenset({OWNER}),
    "startup-members": STAFF | {OWNER},
    "startup-my-invitations": SIGNED_IN,
    "startup-pending-invitations": STAFF | {OWNER},
    "startup-registration-confirm": frozenset({REVIEWER, APPROVER, ADMIN}),
    "startup-registration-refuse": frozenset({REVIEWER, APPROVER, ADMIN}),
    "startup-registration-revoke": frozenset({REVIEWER, APPROVER, ADMIN}),
    "startup-reports": STAFF | {OWNER},
    "startup-support": STAFF | {OWNER},
    "startup-timeline": STAFF | {OWNER},
    "startups:create": FOUNDERS,
    "startups:detail": STAFF | {OWNER},
    "startups:edit": frozenset({OWNER}),
    "startups:invitation-answer": NOBODY,
    "startups:invitation-withdraw": frozenset({OWNER}),
    "startups:list": SIGNED_IN,
    "startups:member-remove": frozenset({OWNER}),
    "startups:members": STAFF | {OWNER},
    "startups:registration": frozenset({REVIEWER, APPROVER, ADMIN}),
    "startups:reports": STAFF | {OWNER},
    "startups:timeline": STAFF | {OWNER},
    "subsidies:award_cancel": frozenset({ADMIN}),
    "subsidies:award_detail": STAFF | {OWNER},
    "subsidies:award_export": frozenset({APPROVER, ADMIN}),
    "subsidies:award_list": frozenset({APPROVER, ADMIN}),
    # The approver decided the award: another approver of the department pays it (tests/subsidies).
    "subsidies:disbursement_pay": frozenset({ADMIN}),
    "subsidies:mine": SIGNED_IN,
    "subsidies:overdue": frozenset({APPROVER, ADMIN}),
    "subsidies:program_create": frozenset({ADMIN}),
    "subsidies:program_detail": frozenset({APPROVER, ADMIN}),
    "subsidies:program_edit": frozenset({ADMIN}),
    "subsidies:program_list": frozenset({APPROVER, ADMIN}),
    "subsidies:register": EVERYONE,
    "subsidies:register_csv": EVERYONE,
    "subsidy-award-cancel": frozenset({ADMIN}),
    "subsidy-award-detail": STAFF | {OWNER},
    "subsidy-award-events": STAFF | {OWNER},
    "subsidy-award-list": SIGNED_IN,
    "subsidy-program-detail": SIGNED_IN,
    "subsidy-program-list": SIGNED_IN,
    "user-detail": frozenset({ADMIN}),
    "user-list": frozenset({ADMIN}),
}
