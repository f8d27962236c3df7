"""The one settings module, read from the environment.

Defaults suit a developer's machine with SQLite; production sets DJANGO_DEBUG=False (the default),
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL. A malformed value stops start-up with a clear message.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# The guidance catalogues (names, lĩnh vực, criteria), loadable with ``manage.py loaddata <name>``.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value not in ("True", "False", "1", "0"):
        raise ImproperlyConfigured(f"{name} must be True or False, got {value!r}")
    return value in ("True", "1")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list without empty items, got {value!r}")
    return items


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


DEBUG = env_bool("DJANGO_DEBUG", False)

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production"
# Outside debug there is no default: left empty, Django refuses to serve ("The SECRET_KEY setting must not be
# empty.") the moment anything signs a cookie or a token, while commands that sign nothing (migrate,
# makemigrations, check) still run on a machine that has no key yet.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (_DEV_SECRET if DEBUG else "")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "treebeard",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "registry",
]

MIDDLEWARE = [
    # First: it times and logs every request, static files and HTTPS redirects included, with its final status.
    "registry.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app server (gunicorn), compressed and cached for a year once hashed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session timeouts; Cache-Control: no-store on every response to a signed-in user.
    "registry.sessions.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a login attempt while the username + IP pair is locked out, before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"

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
                "registry.context_processors.inbox",
                "registry.context_processors.names",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent writers queue instead of failing with "database is locked" (docs/performance.md); in WAL mode
        # a writer also goes on while a long read (an .xlsx export streaming its rows) holds the database open.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        }
        config["CONN_MAX_AGE"] = 0
    elif config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL or SQLite")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["danvan.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Evidence files are private: stored outside the web root and served only through access-checked views.
# Production serves collected, hashed files (run `manage.py collectstatic` first); development and the tests read
# static/ directly so that neither needs collectstatic. Defaults to on exactly when DEBUG is off; the tests turn it off.
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without the manifest WhiteNoise serves from the finders (static/ and the apps): no collectstatic needed.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
if not STATIC_MANIFEST:
    # STATIC_ROOT only exists after collectstatic, which development and the tests do without.
    warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Background work (printing a unit's forms in bulk): Django's task API through the django-tasks backport. The
# database backend needs no other service; several workers on several machines share its queue. Any other backend
# (e.g. django_tasks_rq.RQBackend on Redis) is chosen by DJANGO_TASKS_BACKEND alone.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    # Optional: pip install django-tasks-rq; the worker is then `manage.py rqworker default`.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("DJANGO_TASKS_REDIS_URL", "redis://127.0.0.1:6379/0")}}

# The absolute address printed in the QR code of every form, pointing at its public verification page.
PORTAL_BASE_URL = os.environ.get("DJANGO_PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Digital signatures (registry/signing/): the RFC 3161 timestamp authority that makes the organisations' signatures
# PAdES-B-T (empty: PAdES-B-B, the signing time is the server's clock).
SIGNING_TSA_URL = os.environ.get("DJANGO_SIGNING_TSA_URL", "").strip()
# Whether checking a person's signed PDF fetches the CRL or OCSP response named in each certificate (then a signer
# whose revocation status cannot be learnt is refused). Off by default: an intranet often cannot reach the CA;
# revocation information embedded in the file is read either way.
SIGNING_REVOCATION_FETCH = env_bool("DJANGO_SIGNING_REVOCATION_FETCH", False)

# Staff in this group (given by a superuser) with a role at a Khối root may change the catalogue in the admin:
# years and deadlines, lĩnh vực, criteria, form wording (registry.permissions.can_manage_catalogue).
CATALOGUE_GROUP_NAME = "Quản trị danh mục"

# An .xlsx import of units or people saves every row or none.
IMPORT_EXPORT_USE_TRANSACTIONS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "dan-van-kheo@localhost")

SESSION_COOKIE_HTTPONLY = True
# A session ends after DJANGO_SESSION_IDLE_MINUTES without a request and DJANGO_SESSION_MAX_HOURS after the login,
# whatever the activity (registry/sessions.py); the cookie itself lasts no longer than the absolute lifetime.
_idle_minutes = env_int("DJANGO_SESSION_IDLE_MINUTES", 30)
_max_hours = env_int("DJANGO_SESSION_MAX_HOURS", 8)
if min(_idle_minutes, _max_hours) <= 0:
    raise ImproperlyConfigured("DJANGO_SESSION_IDLE_MINUTES and DJANGO_SESSION_MAX_HOURS must be greater than 0")
SESSION_IDLE_TIMEOUT = timedelta(minutes=_idle_minutes)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=_max_hours)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only in production: browsers remember it for a year (HSTS) and plain HTTP is redirected. The load balancer's
# health probe speaks plain HTTP to each app server, so /healthz is never redirected.
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    # TLS ends at the load balancer, which must set (and overwrite) X-Forwarded-Proto on every request.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp 4): only this site's own files; no inline scripts or styles anywhere in the
# portal's pages. The admin (Django's, import-export's and treebeard's templates, staff only) is left out because
# those third-party templates still carry inline scripts and styles.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling (django-axes): 5 wrong passwords for one username from one client address lock that pair out for
# an hour; a successful login clears the count. Behind a load balancer every request comes from the balancer's
# address: set DJANGO_PROXY_COUNT to the number of proxies in front of gunicorn (1 for one load balancer), each of
# which must append the address it received from to X-Forwarded-For; the client's address is then read from that
# header through django-ipware, and a forged header (more entries than proxies) counts as the proxy's own address.
# Left at 0 the header is ignored: anyone could forge it. Failures for a username from any address also slow the
# next attempts down (registry/login_throttle.py) without locking the owner out.
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be 0 or more, got {PROXY_COUNT}")
if PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # django-ipware counts the proxies listed in the header besides the client: all but the last, whose address is
    # REMOTE_ADDR. Left-most with an exact count: entries a client forged in front make the count wrong.
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
LOGIN_SLOWDOWN_AFTER = 3
LOGIN_SLOWDOWN_MAX_SECONDS = 60
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

# Logs go to stderr (journald under systemd). In production one JSON object per line (DJANGO_LOG_FORMAT=json), for
# journald/ELK to gather from several app servers; readable text when developing. Every line logged while serving a
# request carries its request id (registry/request_log.py), which is also sent back in the X-Request-ID header.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOG_LEVEL = (os.environ.get("DJANGO_LOG_LEVEL") or "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(f"DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "registry.request_log.json_formatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {
        "request_id": {"()": "registry.request_log.RequestIdFilter"},
        "no_traceback_below_500": {"()": "registry.request_log.NoTracebackBelow500"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        "null": {"class": "logging.NullHandler"},
    },
    # Every logger reaches stderr once, through the root's handler.
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Configuring "django" drops the handlers Django gives it by default (a second console when DEBUG is on,
        # mail to ADMINS): its records, 500s with their traceback included, propagate to the root like any other.
        "django": {"level": LOG_LEVEL},
        # A 403 (or 404) is one line with its reason, not a traceback; 500s keep theirs.
        "django.request": {"level": LOG_LEVEL, "filters": ["no_traceback_below_500"]},
        # runserver's own access line would repeat the line of registry.request_log.
        "django.server": {"handlers": ["null"], "propagate": False},
        "registry": {"level": LOG_LEVEL},
        # WeasyPrint logs every step of every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
