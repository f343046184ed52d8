"""One settings module for every environment, driven by environment variables.

The embedded default (no variables set) is a SQLite database under ``var/`` with DEBUG off,
which is what ``make run`` serves. Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and
the e-mail variables; see README.md.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CIVITAS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment.

    Several app servers on one database must share one key (sessions, password-reset links and
    signed links are signed with it), so a server on a database server (DATABASE_URL) with DEBUG
    off refuses to start without it. The embedded default (SQLite under var/, one machine), DEBUG,
    the tests and ``make`` (CIVITAS_LOCAL_KEY=1) keep a key generated once into var/secret-key.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    local = (
        not os.environ.get("DATABASE_URL")
        or env_bool("DEBUG")
        or env_bool("CIVITAS_TESTING")
        or env_bool("CIVITAS_LOCAL_KEY")
    )
    if not local:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to the same long random value on every server "
            "of this site (e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'); "
            "see README.md, Production. To try Civitas on this machine, use `make run`."
        )
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before django_tasks_db: its db_worker command is core's (tasks of dead workers run again).
    "civitas.core",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # the API documentation's vendored Swagger UI (static files)
    "civitas.accounts",
    "civitas.council",
    "civitas.plans",
    "civitas.projects",
    "civitas.indicators",
    "civitas.planfiles",
    "civitas.forum",
    "civitas.surveys",
    "civitas.consultations",
    "civitas.publicity",
    "civitas.evaluations",
    "civitas.reports",
    "civitas.opendata",
    "civitas.portal",
    "civitas.manage",
    "civitas.demo",
]

MIDDLEWARE = [
    # First: every later middleware's and the view's log lines carry the request's id.
    "civitas.core.requestlog.RequestLogMiddleware",
    "civitas.core.db.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "civitas.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "civitas.opendata.middleware.ApiMiddleware",
    "civitas.core.middleware.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civitas.core.middleware.RequestSizeLimitMiddleware",
    "civitas.core.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civitas.core.middleware.StorageFullMiddleware",
]

ROOT_URLCONF = "civitas.urls"
WSGI_APPLICATION = "civitas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "civitas" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civitas.core.context_processors.tenancy",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'civitas.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else 60
    VAR_DIR.mkdir(parents=True, exist_ok=True)

# A PostgreSQL read replica for anonymous public reads (core/db.py); everything else, and every
# read after a write, goes to the primary (DATABASE_URL). The tests keep a mirror of the test
# database under the same alias, so that the routing itself can be tested.
CIVITAS_READ_REPLICA = ""
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    CIVITAS_READ_REPLICA = "replica"
elif env_bool("CIVITAS_TESTING"):
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["civitas.core.db.ReplicaRouter"]
# After a write of theirs, a visitor reads from the primary for this many seconds (longer than the
# replica's usual lag).
CIVITAS_REPLICA_PIN_SECONDS = int(os.environ.get("CIVITAS_REPLICA_PIN_SECONDS", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Staff and superusers sign in with a second factor: an authenticator app (TOTP) or a recovery
# code. The issuer is the name the app shows next to the account.
OTP_TOTP_ISSUER = os.environ.get("CIVITAS_OTP_ISSUER", "Civitas")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_REDIRECT_URL = "portal:root"
LOGOUT_REDIRECT_URL = "portal:root"

LANGUAGE_CODE = "bg"
LANGUAGES = [("bg", _("Bulgarian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "civitas" / "locale"]
FORMAT_MODULE_PATH = ["civitas.formats"]
TIME_ZONE = "Europe/Sofia"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "civitas" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("CIVITAS_TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads on S3-compatible object storage (AWS S3, MinIO, Ceph, …) instead of MEDIA_ROOT, for several
# app servers that share no disk: the bucket stays private and every file is still served through
# Civitas's checks at /media/ (core/storage.py, portal/media.py). Without keys, boto3 finds its own
# credentials (AWS_* variables, the machine's role).
if s3_bucket := os.environ.get("CIVITAS_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "civitas.core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": s3_bucket,
            "endpoint_url": os.environ.get("CIVITAS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("CIVITAS_S3_REGION") or None,
            "access_key": os.environ.get("CIVITAS_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("CIVITAS_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("CIVITAS_S3_PREFIX", ""),
            "addressing_style": os.environ.get("CIVITAS_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
        },
    }
# With object storage: 0, Civitas streams each checked file from the bucket; more, it redirects
# to a link to the bucket signed for that many seconds (the bucket must be reachable by browsers).
CIVITAS_S3_PRESIGNED_SECONDS = int(os.environ.get("CIVITAS_S3_PRESIGNED_SECONDS", "0"))
# Uploads: size limit for documents and photos, in bytes.
CIVITAS_MAX_UPLOAD_BYTES = int(os.environ.get("CIVITAS_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# Uploaded files: Civitas checks who may see each one; when this is set (e.g. "/protected-media/"),
# nginx sends the bytes from that internal location (X-Accel-Redirect, see portal/media.py);
# empty, Civitas streams them itself.
CIVITAS_MEDIA_ACCEL_REDIRECT = os.environ.get("CIVITAS_MEDIA_ACCEL_REDIRECT", "")
# Form fields without files (a pasted 185-page draft is a few MB once URL-encoded).
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest request body accepted at all, refused from its Content-Length before it is read
# (core.middleware.RequestSizeLimitMiddleware): one upload plus the form around it. The web server
# in front should refuse the same (nginx: client_max_body_size 13m).
# Requests a minute that one anonymous client may make to the API (0: no limit); clients with a
# personal API token are not counted here.
CIVITAS_API_ANONYMOUS_PER_MINUTE = int(os.environ.get("CIVITAS_API_ANONYMOUS_PER_MINUTE", "300"))
CIVITAS_MAX_REQUEST_BYTES = int(
    os.environ.get(
        "CIVITAS_MAX_REQUEST_BYTES",
        str(max(CIVITAS_MAX_UPLOAD_BYTES + 2 * 1024 * 1024, DATA_UPLOAD_MAX_MEMORY_SIZE)),
    )
)

# Measurement files with more rows than this are imported by a background task, with a progress
# page, instead of in the request (docs/measurement-files.md).
CIVITAS_IMPORT_BACKGROUND_ROWS = int(os.environ.get("CIVITAS_IMPORT_BACKGROUND_ROWS", "500"))

# Reporting calendar: a period's indicator value is due this many days after the period ends;
# reminders (manage.py send_reminders, run daily) list the values due within the next
# CIVITAS_REMINDER_DAYS_AHEAD days and the overdue ones.
CIVITAS_REPORTING_DEADLINE_DAYS = int(os.environ.get("CIVITAS_REPORTING_DEADLINE_DAYS", "60"))
CIVITAS_REMINDER_DAYS_AHEAD = int(os.environ.get("CIVITAS_REMINDER_DAYS_AHEAD", "14"))
# The site's address, for links in e-mails sent by background tasks (no request to build them from).
CIVITAS_SITE_URL = os.environ.get("CIVITAS_SITE_URL", "http://localhost:8000")

# Maps (Leaflet, vendored): the tile server's address as a Leaflet URL template, and the credit its
# terms require. Empty: maps draw the projects without a background and the browser asks no other
# server (the tests' default). The Content-Security-Policy allows images from this server's origin
# only (core/middleware.py).
CIVITAS_MAP_TILES = os.environ.get(
    "CIVITAS_MAP_TILES",
    "" if env_bool("CIVITAS_TESTING") else "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
)
CIVITAS_MAP_ATTRIBUTION = os.environ.get(
    "CIVITAS_MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# The municipality that "/" opens; the first one by name when unset.
CIVITAS_DEFAULT_MUNICIPALITY = os.environ.get("CIVITAS_DEFAULT_MUNICIPALITY", "")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "civitas",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# Rate-limit counters (core/throttle.py) must be shared by every worker and server: a table in the
# database by default (`manage.py migrate` creates it, as `createcachetable` does), Redis with
# CACHE_URL. The page cache above stays in each process unless CACHE_URL is set.
CACHES["throttle"] = {"BACKEND": "civitas.core.throttle.CounterCache", "LOCATION": "civitas_throttle"}
if cache_url := os.environ.get("CACHE_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}
    CACHES["throttle"] = {**CACHES["default"], "KEY_PREFIX": "throttle"}
# A cache every server process shares: cached public pages are then found without a database query
# (content tokens, core/cache.py); a cache in each process reads the versions from the database.
CIVITAS_SHARED_CACHE = env_bool("CIVITAS_SHARED_CACHE", bool(cache_url))
# Sessions stay in the database (nothing is lost when the cache restarts); with a shared cache a
# signed-in request reads its session from the cache instead of the database.
if CIVITAS_SHARED_CACHE:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The reverse proxies in front of Civitas (comma-separated addresses or networks, e.g.
# "127.0.0.1,10.0.0.0/8", and "unix" for one that reaches gunicorn on a local socket): only for a
# request from one of them is the client read from X-Forwarded-For; otherwise REMOTE_ADDR is the
# client. Empty: no proxy is trusted.
CIVITAS_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("CIVITAS_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in CIVITAS_TRUSTED_PROXIES:
    try:
        if _proxy == "unix":
            continue
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"CIVITAS_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network (e.g. 10.0.0.0/8)."
        ) from None

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "civitas@localhost")

# Background tasks (e-mail notifications and reminders) go through django-tasks, enqueued after
# the transaction commits (transaction.on_commit). The embedded default runs them inline; in
# production set TASKS_BACKEND=django_tasks_db.DatabaseBackend and run `manage.py db_worker`
# (as many as the load asks for): tasks wait in the database and survive restarts.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS (SECURE_COOKIES=1): browsers are told to use HTTPS only (HSTS, a year unless
# HSTS_SECONDS says otherwise, for the site's subdomains too and eligible for browsers' preload
# lists unless HSTS_INCLUDE_SUBDOMAINS=0 / HSTS_PRELOAD=0) and plain HTTP is redirected, unless the
# proxy does it (SSL_REDIRECT=0). `manage.py check --deploy` is clean with these settings.
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", SESSION_COOKIE_SECURE)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", SESSION_COOKIE_SECURE)
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SESSION_COOKIE_SECURE else None


def _no_traceback_below_500(record) -> bool:
    """A refused (403) or missing (404) page is the visitor's, not a fault of the site: its log line
    says so without a traceback; a 500 keeps its traceback."""
    if getattr(record, "status_code", 500) < 500:
        record.exc_info = None
        record.exc_text = None
    return True


# Logs go to the standard error, one line per record (docs/operations.md, Logs): LOG_FORMAT=json
# writes one JSON object per line with the request's or the task's id (core/logs.py), the default
# in production (a database server, no DEBUG); "text" is readable, the default for `make run`,
# DEBUG and the tests. LOG_REQUESTS=1 adds one line per request (civitas.request: status, duration,
# user id), on by default with JSON unless LOG_LEVEL asks for errors only (ERROR, CRITICAL).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or (
    "text"
    if DEBUG
    or not os.environ.get("DATABASE_URL")
    or env_bool("CIVITAS_LOCAL_KEY")
    or env_bool("CIVITAS_TESTING")
    else "json"
)
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT: {LOG_FORMAT!r} is neither json nor text.")
LOG_REQUESTS = env_bool(
    "LOG_REQUESTS",
    LOG_FORMAT == "json" and os.environ.get("LOG_LEVEL", "").strip().upper() not in {"ERROR", "CRITICAL"},
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_traceback_below_500": {
            "()": "django.utils.log.CallbackFilter",
            "callback": _no_traceback_below_500,
        },
        "request_context": {"()": "civitas.core.logs.RequestContextFilter"},
    },
    "formatters": {
        "json": {"()": "civitas.core.logs.JsonFormatter"},
        "text": {"()": "civitas.core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "loggers": {
        "django.request": {"filters": ["no_traceback_below_500"]},
        "civitas.request": {"level": "INFO" if LOG_REQUESTS else "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "civitas.core.views.csrf_failure"
