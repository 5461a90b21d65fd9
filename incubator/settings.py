"""Settings for the incubator platform, read from the environment (django-environ).

With nothing set, the platform runs in production mode and refuses to start without a real
SECRET_KEY; DJANGO_DEBUG=true (set by `make run` and the test suite) is development mode. Either
way it runs embedded unless told otherwise: SQLite under var/, a Celery broker on the file
system, e-mail printed to the console. Setting DATABASE_URL, CELERY_BROKER_URL (or REDIS_URL),
SECRET_KEY, ALLOWED_HOSTS, TIME_ZONE and EMAIL_URL turns it into a real deployment. docs/architecture.md ("Operating") lists every variable.
"""
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent.parent
# The embedded mode's files (SQLite, the broker's folders, uploads); made by the programs that
# use them (incubator/embedded.py), not here.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"

# Safe by default: a deployment that forgets the variable does not run in debug mode.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY.strip() in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "Production mode (DJANGO_DEBUG unset or false) needs a real SECRET_KEY; "
        "set DJANGO_DEBUG=true for development."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "csp",
    "js_lib_bootstrap5",
    "js_lib_htmx",
    "core",
    "accounts",
    "notifications",
    "startups",
    "applications",
    "subsidies",
    "spaces",
    "expos",
]
# The benchmarks' probe app (bench/probe): ceilings measured beside the real endpoints.
BENCH_PROBE = env.bool("BENCH_PROBE", default=False)
if BENCH_PROBE:
    INSTALLED_APPS.append("bench.probe")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A staff session ends after a while without requests; a session that still owes its
    # second factor reaches only the pages that settle it.
    "accounts.middleware.StaffIdleTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "incubator.urls"
WSGI_APPLICATION = "incubator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so a check-then-write inside one
    # transaction cannot interleave with another writer; WAL lets readers run meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# A password-reset link is valid for an hour.
PASSWORD_RESET_TIMEOUT = 3600

# --- Sign-in security -----------------------------------------------------------------------
# Reverse proxies in front of the platform that append to X-Forwarded-For. 0: the header is
# ignored and the connecting address is the client's (a client can write any header it likes).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Failed logins (axes), counted three ways and refused once any count reaches its limit:
# one username from one address (the contract's LOGIN_FAILURE_LIMIT), one address over every
# username (password spraying) and one username from every address (a guess spread over many
# addresses). A success clears only its own username-and-address count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_USERNAME_FAILURE_LIMIT = env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=50)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_HOURS", default=1.0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Second factor (django-otp: TOTP devices and one-time backup codes). Staff of these roles must
# have a confirmed device; any staff member may enrol one, and once they have, every sign-in
# asks for a code. Empty: required of no role.
STAFF_OTP_ROLES = frozenset(env.list("STAFF_OTP_ROLES", default=["admin", "approver"]))
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Startup incubator")
# A staff session ends after this many minutes without a request.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Seoul")
USE_I18N = True
USE_TZ = True
# One currency per deployment: every amount is in it.
CURRENCY = env.str("CURRENCY", default="KRW")

# --- Letters and their review -----------------------------------------------------------
# The SLA clock: it runs only in working hours (local time, TIME_ZONE) on working days
# (0 = Monday) that are not holidays (kept by admins as Holiday rows).
WORKING_HOURS_START = env.int("WORKING_HOURS_START", default=9)
WORKING_HOURS_END = env.int("WORKING_HOURS_END", default=18)
WORKING_DAYS = [int(day) for day in env.list("WORKING_DAYS", default=["0", "1", "2", "3", "4"])]
# Working hours before the due date at which the assignee is warned once.
SLA_WARNING_HOURS = env.int("SLA_WARNING_HOURS", default=4)
# A letter still `submitted` this long after submission is routed by the beat sweeper.
ROUTING_SWEEP_AFTER_SECONDS = env.int("ROUTING_SWEEP_AFTER_SECONDS", default=60)
# Days the founders have to answer a reviewer's question (shown to them as a due date).
INFO_REPLY_DAYS = env.int("INFO_REPLY_DAYS", default=10)
# Largest attachment a founder may upload, in megabytes; a multipart body may be a megabyte
# more (the reverse proxy's client_max_body_size in deploy/nginx.conf matches).
ATTACHMENT_MAX_MB = env.int("ATTACHMENT_MAX_MB", default=10)
# What all of one startup's attachments may take together, in megabytes.
STARTUP_STORAGE_QUOTA_MB = env.int("STARTUP_STORAGE_QUOTA_MB", default=200)
# Uploaded files are written up to ATTACHMENT_MAX_MB and no further (core/uploads.py).
FILE_UPLOAD_HANDLERS = ["core.uploads.LimitedUploadHandler"]

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded attachments live outside any public folder and are only served through views
# that check who may see them.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # The health probe is called over plain HTTP from inside the stack.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Only the site itself: no CDN, no outside font, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="incubator@localhost")
# A mail server that stops answering fails the one e-mail instead of holding the worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# An e-mail that failed this many times is set aside (status failed, shown in the admin).
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
# An e-mail still `sending` this long after its claim was interrupted (a worker died mid-send).
EMAIL_SENDING_STALE_SECONDS = 600
# Where the platform is reached, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions read from Redis and written through to the database (still the truth): a page's
# first query is no longer its session's. Without Redis, the database alone (a cache of one
# process would keep a session that another process ended).
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db")
# How long the week calendars' cells are kept (spaces/week_cache.py): only in a cache that the
# web server shares with the Celery workers, whose no-show release changes bookings (0: never).
# A booking or a unit drawn there is drawn afresh at once; a startup's new name within this long.
SPACES_WEEK_CACHE_SECONDS = env.int("SPACES_WEEK_CACHE_SECONDS", default=300 if REDIS_URL else 0)

# --- Celery ---------------------------------------------------------------------------------
# Embedded default: a broker on the file system, so a real worker runs with no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_TASK_HARD_TIME_LIMIT = 300
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # The exchange tables; kombu's default is ./control, in whatever folder the worker started.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Longer than any task's hard limit: an unacknowledged task is redelivered only when its
    # worker is really gone.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_HARD_TIME_LIMIT}
CELERY_TASK_TIME_LIMIT = CELERY_TASK_HARD_TIME_LIMIT
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "applications.tasks.task_route_*": {"queue": "routing"},
    "*.tasks.task_send_*": {"queue": "notifications"},
}
# Publishing must not hang a web request while the broker is down: the sweeper re-sends.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# NudgeTask.nudge() publishes once while a message waits, marked by a flag in Redis (shared
# with the workers); without Redis every nudge publishes (0).
NUDGE_COALESCE_SECONDS = env.int("NUDGE_COALESCE_SECONDS", default=30 if REDIS_URL else 0)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Every periodic task, in one place (beat's database scheduler syncs from it at start-up).
CELERY_BEAT_SCHEDULE = {
    # Letters left `submitted` (a lost message, a dead worker, a broker outage) and queued
    # letters a reviewer has room for are routed.
    "sweep-submitted-letters": {"task": "applications.tasks.task_sweep_submitted", "schedule": 60.0},
    # SLA: warn before the breach, escalate after it (reads due_at; never a countdown).
    "escalate-sla": {"task": "applications.tasks.task_escalate_sla", "schedule": 300.0},
    # Letters held by a deactivated reviewer go back to their queue.
    "reassign-from-inactive": {"task": "applications.tasks.task_reassign_inactive", "schedule": 300.0},
    # E-mail: the outbox is sent even when a nudge was lost.
    "send-pending-emails": {"task": "notifications.tasks.task_send_pending_emails", "schedule": 60.0},
    # Subsidies: apply the programs' profit policies after new monthly reports.
    "subsidies-profit-policies": {"task": "subsidies.tasks.task_apply_profit_policies", "schedule": 3600.0},
    # Spaces: offers past their claim window expire, freeing their units for the next run.
    "spaces-expire-offers": {"task": "spaces.tasks.task_expire_offers", "schedule": 600.0},
    # Spaces: bookings not checked in 15 minutes after their start free their room.
    "spaces-release-no-shows": {"task": "spaces.booking_tasks.task_release_no_shows", "schedule": 60.0},
    # Spaces: last month's charges, written once (a rerun writes nothing); daily, so a missed
    # day catches up.
    "spaces-issue-monthly-charges": {"task": "spaces.booking_tasks.task_issue_monthly_charges", "schedule": 86400.0},
}
# Task modules beside the apps' `tasks.py` (which autodiscovery finds): a worker that did not
# import them would refuse their messages as unregistered.
CELERY_IMPORTS = ["spaces.booking_tasks", "expos.tasks_programme"]

# --- Subsidies ------------------------------------------------------------------------------
# Cumulative cap per startup across all programs, over a rolling window of years.
SUBSIDY_STARTUP_CAP = env.str("SUBSIDY_STARTUP_CAP", default="100000000.00")
SUBSIDY_CAP_WINDOW_YEARS = env.int("SUBSIDY_CAP_WINDOW_YEARS", default=3)

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its `WWW-Authenticate: Token` header turns "no credentials" into 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.DjangoFilterBackend",
        "core.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # Every body read within a limit, JSON to a depth (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "core.parsers.FormParser",
        "core.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    # Writes that cost storage, per user (core/throttles.py; a view's `throttle_scopes`).
    "DEFAULT_THROTTLE_CLASSES": ["core.throttles.ActionRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("AUTH_THROTTLE_RATE", default="20/minute"),
        "drafts": env.str("DRAFT_THROTTLE_RATE", default="60/hour"),
        "uploads": env.str("UPLOAD_THROTTLE_RATE", default="120/hour"),
        # The password-reset page, per client address and per e-mail address asked for.
        "password_reset": env.str("PASSWORD_RESET_THROTTLE_RATE", default="5/hour"),
        "password_reset_email": env.str("PASSWORD_RESET_EMAIL_THROTTLE_RATE", default="3/hour"),
    },
    # The throttles' client address: X-Forwarded-For only as far as trusted proxies wrote it
    # (docker-compose: nginx, 1).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# API tokens (django-rest-knox): stored hashed, expiring, sent as `Authorization: Token <key>`.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.float("API_TOKEN_TTL_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Startup incubator API",
    "DESCRIPTION": "Founders, startups, petition letters, review queues and subsidies.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI's online validator would send the schema's address to an outside host.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set shared by several serializers (check --deploy warns otherwise).
    "ENUM_NAME_OVERRIDES": {
        "SectorEnum": "startups.enums.Sector",
        "StageEnum": "startups.enums.Stage",
        "LetterStatusEnum": "applications.enums.Status",
        "AwardStatusEnum": "subsidies.enums.AwardStatus",
        "DisbursementStatusEnum": "subsidies.enums.DisbursementStatus",
        "VerdictEnum": [("approve", "Approve"), ("reject", "Reject")],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Coworking spaces -----------------------------------------------------------------------
# Days a founder has to accept an offered unit before it goes to the next run.
SPACE_OFFER_DAYS = env.int("SPACE_OFFER_DAYS", default=5)
# The optimiser: its time limit (seconds) and workers; a run with more request-unit pairs than
# the limit below runs in a Celery task, its progress on the run.
SPACE_ALLOCATOR_TIME_LIMIT = env.float("SPACE_ALLOCATOR_TIME_LIMIT", default=10.0)
SPACE_ALLOCATOR_WORKERS = env.int("SPACE_ALLOCATOR_WORKERS", default=2)
SPACE_RUN_SYNC_LIMIT = env.int("SPACE_RUN_SYNC_LIMIT", default=50_000)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "SpaceUnitKindEnum": "spaces.enums.UnitKind",
        "SpaceAskKindEnum": "spaces.enums.AskKind",
        "SpaceRequestStatusEnum": "spaces.enums.RequestStatus",
        "AllocationRunStatusEnum": "spaces.enums.RunStatus",
        "SpaceFundingEnum": "spaces.enums.Funding",
    }
)
# --- Expos ---------------------------------------------------------------------------------
# The scheduler's time limit per run, in seconds (the page's button and POST .../schedule/).
EXPO_SCHEDULER_SECONDS = env.float("EXPO_SCHEDULER_SECONDS", default=10.0)
# Its CP-SAT workers (they take turns in a fixed order, so any number gives the same schedule).
EXPO_SCHEDULER_WORKERS = env.int("EXPO_SCHEDULER_WORKERS", default=2)
