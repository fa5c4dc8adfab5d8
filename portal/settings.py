"""Settings read from the environment.

With no configuration the portal runs on embedded defaults: a SQLite file and
Celery over kombu's filesystem broker under ``var/``. ``DATABASE_URL`` and
``REDIS_URL`` switch it to PostgreSQL and Redis. ``PORTAL_ENV`` is
``production`` (the default), ``demo`` or ``test``; only demo and test may run
without a ``SECRET_KEY``.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PORTAL_ENV = os.environ.get("PORTAL_ENV", "production")
if PORTAL_ENV not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(f"PORTAL_ENV must be production, demo or test, not {PORTAL_ENV!r}.")
IS_PRODUCTION = PORTAL_ENV == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set PORTAL_ENV=demo to run the demo."
        )
    SECRET_KEY = f"insecure-{PORTAL_ENV}-key-never-used-in-production-0123456789abcdefghijklmnop"

DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # Django's admin, reading its input with bounds
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal",
    "dossiers",
    "policies",
    "teamwork",
    "projects",
    "fund",
    "conversions",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.sessions.IdleExpiryMiddleware",
    "portal.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "portal.User"
# Every door that checks a password (the sign-in page, the admin's, the API's token) goes through
# this backend, which counts failures and refuses while blocked (portal/throttle.py).
AUTHENTICATION_BACKENDS = ["portal.throttle.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url knows) from DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks instead of failing. Connections
    # persist as on PostgreSQL (no lock is held between requests): a new one per request read the schema,
    # the statistics and the index pages again, 40 of the council's queue's 100 ms at province scale.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: a page's query is estimated dear through its subtree's recursive CTE, and
    # compiling it cost 0.9 s of the 0.93 s the support-spread page's query took at province scale.
    # Added to whatever options DATABASE_URL gives (``?options=…``), not in their place.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache may live in its own Redis database (CACHE_URL), apart from the broker's queues.
CACHE_URL = os.environ.get("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif PORTAL_ENV == "test":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # A file cache is shared by the processes of one machine, so login throttling holds across them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if PORTAL_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Language and time: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
# Each language is named in itself on the switch.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", VAR_DIR / "uploads"))
# Uploaded documents: at most this size each, checked by content (portal/uploads.py).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# Working days an inquiry (vướng mắc) waits for a reply before it is overdue.
INQUIRY_REPLY_WORKING_DAYS = 5
# Working days before its due date that a dossier counts as due soon.
DUE_SOON_WORKING_DAYS = 2
# How far an apology slip ("Phiếu xin lỗi và hẹn lại ngày trả kết quả") may move a late dossier's due
# date, in working days after the due date it replaces. Decree 61/2018/NĐ-CP (Art. 19, as amended by
# Decree 107/2021/NĐ-CP) asks for the reason and the new date, and allows the new date to be set at
# most once, but names no longest extension. Ten working days is two working weeks: the statutory
# time of the programme's typical procedure (support for a startup project, 10 days), room enough
# for an opinion awaited from another office, and short enough that the new date stays a promise
# rather than an open postponement that keeps the dossier from ever counting as overdue.
_apology_days = os.environ.get("APOLOGY_MAX_EXTENSION_WORKING_DAYS", "10").strip()
if not (_apology_days.isascii() and _apology_days.isdigit() and 1 <= int(_apology_days) <= 250):
    raise ImproperlyConfigured("APOLOGY_MAX_EXTENSION_WORKING_DAYS: a number of working days, 1 to 250.")
APOLOGY_MAX_EXTENSION_WORKING_DAYS = int(_apology_days)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if PORTAL_ENV == "test"
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Sessions and security.
SESSION_COOKIE_AGE = 30 * 60
# Idle expiry: the 30 minutes count from the last request, renewed at most once a minute (portal/sessions.py).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A form that expired says so in the portal's layout; under /api/ the answer is JSON.
CSRF_FAILURE_VIEW = "portal.views.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # On a shared provincial domain these may need to be off: ask the domain's owner.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", True)
    # Load balancers probe the health check over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Login throttling: failures counted per account and per address over a sliding window.
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 5
LOGIN_FAILURE_LIMIT_PER_ADDRESS = 20
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)

# The reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma-separated):
# portal.middleware.client_address finds the client's address there for throttles, audit and logs.
# None by default: a portal reached directly must not believe a header anyone can send.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_error}") from None

# An API token dies after this long unused. Longer than a browser's 30 minutes: a token lives in a
# program (an integration, a script, a phone) that may rightly stay silent over a long weekend or the
# Tết holiday (up to 9 days off), while one left on a lost device or by a retired integration dies
# within two weeks without anyone remembering it. A password change or a revocation ends it at once.
API_TOKEN_IDLE_TIMEOUT = timedelta(days=float(os.environ.get("API_TOKEN_IDLE_DAYS", "14")))

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cong-khoi-nghiep@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", True)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "portal.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON and form bodies are read with bounds on their size and nesting (portal/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.BoundedJSONParser",
        "portal.api.parsers.BoundedFormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Every error response of the schema is the one Error component of portal/api/errors.py.
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
    "EXCEPTION_HANDLER": "portal.api.errors.handle",
}
SPECTACULAR_SETTINGS = {
    # Some 120 paths: the docs open with each tag folded and a filter box, so the page renders at once.
    "SWAGGER_UI_SETTINGS": {"docExpansion": "none", "filter": True},
    "TITLE": "Cổng hỗ trợ khởi nghiệp API",
    "DESCRIPTION": "Startup Support Portal API. Every list is limited to the caller's scope.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Responses and the schema agree: a request body is its own component (no readOnly fields to
    # require), an unset choice answers null (never "" outside its enum), and a choice that may be
    # blank or null is oneOf its enum, BlankEnum or NullEnum, which a value matches exactly one of.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": True,
    # One name per choice set, whatever the fields using it are called ("kind", "channel", "status").
    "ENUM_NAME_OVERRIDES": {
        "PeriodKindEnum": "reports.periods.PeriodKind",
        "ReportStatusEnum": "reports.models.ReviewReport.Status",
        "ErrorCodeEnum": "portal.api.errors.CODE_CHOICES",
        "TeamKind": "portal.models.Team.Kind",
        "ApplicantKind": "dossiers.models.Applicant.Kind",
        "DossierStatus": "dossiers.models.Dossier.Status",
        "DossierChannelEnum": "dossiers.models.Dossier.Channel",
        "ActivityKindEnum": "teamwork.models.Activity.Kind",
        "ActivityChannelEnum": "teamwork.models.Activity.Channel",
        "MassOrganisationEnum": "teamwork.models.Activity.MassOrganisation",
        "ReviewKindEnum": "teamwork.models.Activity.ReviewKind",
        "HouseholdBusinessStatusEnum": "conversions.models.HouseholdBusiness.Status",
        "HouseholdBusinessImportStatusEnum": "conversions.models.HouseholdBusinessImport.Status",
        "VisitChannelEnum": "conversions.models.FollowUpVisit.Channel",
        "ImportRowActionEnum": "conversions.services.import_texts.RowAction",
        "ProjectKindEnum": "projects.models.Kind",
        "ProjectStageEnum": "projects.models.Stage",
        "ConversionStageEnum": "conversions.models.Stage",
        "SupportKindEnum": "projects.models.SupportKind",
        "ProjectVisitChannelEnum": "projects.models.ProjectVisit.Channel",
        "MilestoneStateEnum": "projects.models.Milestone.State",
        "PovertyPlanStatusEnum": "projects.models.PovertyPlan.Status",
        "SuccessModelStatusEnum": "projects.models.SuccessModel.Status",
        "FundingSourceEnum": "projects.models.FundingSource",
        "FundSourceEnum": "fund.models.Source",
        "LoanApplicationStatusEnum": "fund.models.Status",
        "LoanStatusEnum": "fund.models.Loan.Status",
    },
}

# Celery: the filesystem broker under var/ by default, Redis with REDIS_URL or CELERY_BROKER_URL.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND", REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
)
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "processed", "results", "control"):
        (VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_RESULT_EXPIRES = timedelta(days=1)
# Keep Django's logging (and its personal-data filter) in workers and beat.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Each morning; the job does nothing on days off.
    "flag-deadlines": {
        "task": "dossiers.jobs.flag_deadlines_this_morning",
        "schedule": crontab(hour=7, minute=0),
    },
    # Entitlements ending or ended, follow-up visits due: the commune teams hear of them each morning.
    "conversions-entitlements-and-visits": {
        "task": "conversions.jobs.review_entitlements_and_visits_this_morning",
        "schedule": crontab(hour=7, minute=10),
    },
    # Milestones of the poverty-escape plans that fell late: the commune teams hear of each once.
    "projects-late-milestones": {
        "task": "projects.jobs.flag_late_milestones_this_morning",
        "schedule": crontab(hour=7, minute=20),
    },
    # Borrowers hear of a due date three days before and of an unpaid one the day after, once each.
    "fund-borrower-reminders": {
        "task": "fund.jobs.remind_borrowers_this_morning",
        "schedule": crontab(hour=7, minute=30),
    },
    # Each fund's ledger checked against itself and the portfolio; the fund's team hears of a difference.
    "fund-ledger-check": {
        "task": "fund.jobs.check_ledgers_tonight",
        "schedule": crontab(hour=1, minute=30),
    },
    # The stored daily figures of the dashboard and the reports, checked against the rows and counted again.
    "daily-figures": {
        "task": "portal.tasks.check_and_rebuild_daily_figures_tonight",
        "schedule": crontab(hour=1, minute=45),
    },
    # The query planner's statistics, so that it keeps choosing the indexes that fit the data.
    "planner-statistics": {
        "task": "portal.tasks.refresh_planner_statistics_tonight",
        "schedule": crontab(hour=2, minute=0),
    },
    "worker-heartbeat": {
        "task": "portal.tasks.record_heartbeat",
        "schedule": timedelta(minutes=5),
    },
    # The review reports of the periods that ended a few days ago, one build per unit.
    "review-reports": {
        "task": "reports.jobs.schedule_due_reports_today",
        "schedule": crontab(hour=5, minute=0),
    },
    "requeue-stalled-reports": {
        "task": "reports.jobs.requeue_stalled_reports",
        "schedule": timedelta(minutes=10),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_personal_data": {"()": "portal.logging.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
