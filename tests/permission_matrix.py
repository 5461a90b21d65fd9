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
3. if the route validates its body before it checks who asks, give it a valid body in `BODIES`.

The actors: `anonymous`; `owner`, a founder who owns the startup of every object; `outsider`, a
founder of another startup; `reviewer` (a reviewer of the letter's queue, holding the letter),
`approver` (of the same department), `space_manager`, `expo_organiser` and `admin`.
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

# The coworking-space and expo routes, which arrived after this table: their own tests check
# who may reach them (tests/spaces, tests/expos) until their rows are written here. Shrink this,
# never grow it: a new route of any other app needs its row.
NOT_YET_IN_THE_TABLE = (
    "api/v1/space-",
    "api/v1/room-bookings",
    "api/v1/expos",
    "api/v1/expo-halls",
    "api/v1/showcase",
    "rooms/",
    "expos/",
)

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
}

# Other URL keyword arguments: the object whose pk fills them.
KWARG_OBJECTS = {
    "attachment_id": "attachment",
    "membership_pk": "membership",
    "membership_id": "membership",
    "invitation_pk": "invitation",
    "invitation_id": "invitation",
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
}

EXPECTED: dict[str, frozenset[str]] = {
    "api-me": SIGNED_IN,
    "api-otp-confirm": SIGNED_IN,
    "api-otp-enrol": STAFF,
    "api-register": EVERYONE,
    "api-root": SIGNED_IN,
    "api-token": EVERYONE,
    "award-register-list": EVERYONE,
    "dashboard": STAFF,
    "department-detail": STAFF,
    "department-list": STAFF,
    "disbursement-detail": STAFF | {OWNER},
    "disbursement-pay": frozenset({APPROVER, ADMIN}),
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
    "queue-detail": STAFF,
    "queue-list": STAFF,
    "register": EVERYONE,
    "routing-preview-list": STAFF,
    "routing-rule-detail": STAFF,
    "routing-rule-list": STAFF,
    "ruleset-activate": frozenset({ADMIN}),
    "ruleset-detail": STAFF,
    "ruleset-dry-run": STAFF,
    "ruleset-list": STAFF,
    "startup-detail": STAFF | {OWNER},
    "startup-support": STAFF | {OWNER},
    "activity": frozenset({ADMIN}),
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
    "subsidies:disbursement_pay": frozenset({APPROVER, ADMIN}),
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
