"""One settings module, read from the environment.

With no variable set this is the *embedded default*: SQLite in the project folder, Celery tasks
run eagerly in process (results stored), media on local disk, DEBUG on, console e-mail.
Production sets ``DATABASE_URL``, ``CELERY_BROKER_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``DEBUG=0``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=True)
# With DEBUG on, the product's own error pages still answer (the demo shows what users see);
# DEBUG_ERROR_PAGES=1 shows Django's debug pages instead (unionproj.middleware).
DEBUG_ERROR_PAGES = env.bool("DEBUG_ERROR_PAGES", default=False)
SECRET_KEY = env(
    "SECRET_KEY",
    default="embedded-default-insecure-key-change-me-in-production-0123456789abcdef",
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
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "django_celery_results",
    "members",
    "projects",
    "evaluations",
    "awards",
    "exports",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "unionproj.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "unionproj.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "unionproj.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "unionproj.urls"
WSGI_APPLICATION = "unionproj.wsgi.application"

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
                "members.context_processors.roles",
            ],
            "builtins": ["unionproj.money", "unionproj.labels", "unionproj.text"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# PostgreSQL: the autosave's fixed statements are prepared (unionproj/prepared.py). Turn off
# behind a PgBouncer older than 1.21 in transaction-pooling mode (docs/DEPLOY.md).
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads and processes (gunicorn, the live server, Celery eager tasks) share the
    # file (issue 21 item 4: six jurors autosaving at once). Every transaction takes the write
    # lock when it begins (IMMEDIATE): a deferred one that reads and then writes cannot wait
    # for the lock (SQLite answers "database is locked" at once to avoid a deadlock), an
    # immediate one waits up to ``timeout`` seconds in the busy handler. WAL lets readers go on
    # while one writer writes; synchronous=NORMAL is WAL's usual durability (a power cut may
    # lose the last commits, never corrupt the file). A lock that outlasts the wait is answered
    # 503 with Retry-After (unionproj.views.server_error), never 500.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    # Django's backend whose flush may empty the append-only audit tables (unionproj/append_only.py).
    DATABASES["default"]["ENGINE"] = "unionproj.sqlite3"
    # Tests run in memory, as with Django's own engine name: pytest-django recognises only that
    # name, and would otherwise derive per-worker file names from the path ("test_/…/db.sqlite3_gw0").
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DB_PREPARED_STATEMENTS:
        # Django leaves psycopg's preparation off (prepare_threshold None), which also refuses
        # an explicit prepare. Its own cursors bind client-side and never prepare whatever the
        # threshold, so psycopg's default threshold lets through only unionproj/prepared.py's.
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id (argon2-cffi), parameters in members/hashers.py and docs/SECURITY.md; a PBKDF2 hash
# (the earlier default) still verifies and is rehashed with Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "members.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Media are never served by URL: attachments go through a view that checks who may see them.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: a file bigger than this is refused by the attachment service; Django streams bodies
# above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, so 50 MB never sits in memory.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=50 * 1024 * 1024)
# The import of past years (projects.importer) is bounded: the file's size, its rows per sheet,
# and the errors reported (reading stops there) — a page of 100 000 errors helps nobody.
HISTORY_IMPORT_MAX_BYTES = env.int("HISTORY_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
HISTORY_IMPORT_MAX_ROWS = env.int("HISTORY_IMPORT_MAX_ROWS", default=5000)
HISTORY_IMPORT_MAX_ERRORS = env.int("HISTORY_IMPORT_MAX_ERRORS", default=200)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@unionproj.local")

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "unionproj.api.StrictJSONParser",
        "unionproj.api.StrictFormParser",
        "unionproj.api.StrictMultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "unionproj.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "unionproj.schema.AutoSchema",
    "EXCEPTION_HANDLER": "unionproj.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # The export endpoint uses ?format= for the file type (API.md).
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "工会项目化管理平台 API",
    "DESCRIPTION": "Trade-union project-based management: filing, screening, roadshow scoring, awards.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc are served from our own static files: intranets have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several choice sets live in fields named "status"/"state": give each one name of its own.
    "ENUM_NAME_OVERRIDES": {
        "RoadshowStatusEnum": "evaluations.enums.RoadshowStatus",
        "CardStatusEnum": "evaluations.enums.CardStatus",
        "EntryStateEnum": "evaluations.enums.EntryState",
        "ReplicationStatusEnum": "projects.enums.ReplicationStatus",
        "ProjectStatusEnum": "projects.enums.ProjectStatus",
        "PayoutStatusEnum": "awards.enums.PayoutStatus",
        "JobStateEnum": "unionproj.jobs.JobState",
    },
}

# Celery: eager in the embedded default, a real broker in production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_STORE_EAGER_RESULT = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TIMEZONE = TIME_ZONE
# Money is computed by tasks: acknowledge only when done, requeue when a worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=6 * 3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # A producer facing a dead broker gives up within ~4 s (2 attempts × 2 s, no back-off), so
    # a request never hangs: the compute job stays pending and is published later.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A running compute job silent (no progress report) this long lost its worker: it is published
# again (awards.services.requeue_pending_jobs), long before the visibility timeout.
COMPUTE_JOB_STALE_SECONDS = env.int("COMPUTE_JOB_STALE_SECONDS", default=600)
# ``celery beat`` publishes again the compute jobs requested while the broker was down.
CELERY_BEAT_SCHEDULE = {
    "requeue-pending-compute-jobs": {"task": "evaluations.requeue_pending_jobs", "schedule": 300.0},
}
# Progress reports (中期报告): every morning, mail the staff whose report is due within
# PROGRESS_REMINDER_DAYS days or overdue (once a day per user, see projects.services).
CELERY_BEAT_SCHEDULE["progress-report-reminders"] = {
    "task": "projects.send_progress_reminders",
    "schedule": crontab(hour=8, minute=0),
}
PROGRESS_REMINDER_DAYS = env.int("PROGRESS_REMINDER_DAYS", default=7)
# Exports (issue 6): bigger ones run as a background job; their files are kept this many days.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=2000)
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
# The title of exported official lists; placeholders {campaign} {roadshow} {year} {union}.
EXPORT_NOTICE_TITLE = env("EXPORT_NOTICE_TITLE", default="")
CELERY_BEAT_SCHEDULE["clean-old-exports"] = {"task": "evaluations.clean_exports", "schedule": crontab(hour=3, minute=30)}

# Objections during 公示 (issue 21): limits per entry, and a rate limit per user in the cache.
OBJECTIONS_PER_USER_PER_ENTRY = env.int("OBJECTIONS_PER_USER_PER_ENTRY", default=2)
OBJECTIONS_PER_UNION_PER_ENTRY = env.int("OBJECTIONS_PER_UNION_PER_ENTRY", default=3)
OBJECTION_RATE_LIMIT = env.int("OBJECTION_RATE_LIMIT", default=5)  # 0: no rate limit
OBJECTION_RATE_WINDOW = env.int("OBJECTION_RATE_WINDOW", default=600)  # seconds

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}
        if env("CACHE_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security headers that do not depend on HTTPS; the HTTPS ones follow DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No page is framed; the big screen is opened full-screen on the projector, not in a frame —
# unless a hall's display system must embed it: SCREEN_FRAME_ANCESTORS lists the origins
# (e.g. https://display.example.org) allowed to frame the big-screen page, and that page only.
X_FRAME_OPTIONS = "DENY"
SCREEN_FRAME_ANCESTORS = env.list("SCREEN_FRAME_ANCESTORS", default=[])
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Sessions (issue 8): an idle timeout (a request pushes the expiry SESSION_COOKIE_AGE ahead) and
# an absolute one from the login (members.middleware.SessionLimitsMiddleware). The push is a
# write of the session row, so it is done at most once every SESSION_REFRESH_SECONDS, not on
# every request (SESSION_SAVE_EVERY_REQUEST): a juror's phone autosaving every 2 s would
# otherwise write its session as often as its card (issue 7). The idle timeout is then exact
# to within SESSION_REFRESH_SECONDS.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=env.int("SESSION_COOKIE_AGE", default=2 * 3600))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
# API tokens (issue 13, members.authentication): the same two limits as sessions. A token unused
# this long ends (its last use is written at most once every SESSION_REFRESH_SECONDS), and every
# token ends this long after it was issued; logout and password changes end them at once.
API_TOKEN_IDLE_SECONDS = env.int("API_TOKEN_IDLE_SECONDS", default=2 * 3600)
API_TOKEN_ABSOLUTE_SECONDS = env.int("API_TOKEN_ABSOLUTE_SECONDS", default=12 * 3600)
# An admin's one-time password reset link (members.credentials) is valid this long.
PASSWORD_RESET_SECONDS = env.int("PASSWORD_RESET_SECONDS", default=24 * 3600)
# A juror's draft autosave commits without waiting for PostgreSQL's WAL flush (issue 7; see
# evaluations.services.scoring._draft_commit): a crash may lose the last fraction of a second of
# drafts, which the phone sends again; submissions and every other write stay synchronous.
SCORING_DRAFT_ASYNC_COMMIT = env.bool("SCORING_DRAFT_ASYNC_COMMIT", default=True)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# The demo's projects use these categories when a campaign names none (from the seeds).
DEFAULT_CATEGORIES = [gettext_noop("思想政治引领"), gettext_noop("劳动技能竞赛"), gettext_noop("维权服务工作"),
                      gettext_noop("职工帮扶服务"), gettext_noop("工会自身建设")]

# --- Hardening (issue 8, docs/SECURITY.md) ---------------------------------------------------
INSTALLED_APPS += ["axes", "csp"]
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "members.middleware.SessionLimitsMiddleware",
    "members.middleware.AuditDeniedMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Innermost: it replaces a debug page before the outer middlewares see the response.
    "unionproj.middleware.ProductErrorPagesMiddleware",
]
# django-axes first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "members.audit.client_ip"
# Behind a reverse proxy, the META key carrying the client's address (e.g. HTTP_X_REAL_IP).
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="")
# /healthz/?worker=1 (a ping through the broker, holding a server thread up to 5 s) is for
# monitoring only (unionproj.health): the secret in the X-Healthz-Secret header, or an address
# (or network) of HEALTHZ_ALLOWED_IPS; its answer is cached this many seconds. Neither set: the
# worker probe is off. The plain /healthz/ stays open.
HEALTHZ_SECRET = env("HEALTHZ_SECRET", default="")
HEALTHZ_ALLOWED_IPS = env.list("HEALTHZ_ALLOWED_IPS", default=[])
HEALTHZ_WORKER_CACHE_SECONDS = env.int("HEALTHZ_WORKER_CACHE_SECONDS", default=30)

# Content Security Policy (django-csp 4): no inline script or style anywhere; the API docs
# pages relax it for themselves only (unionproj/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    },
}
