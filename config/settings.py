"""All settings, read from the environment (docs/adr/0003-settings.md).

Production is the default: DEBUG off, a secret key required, secure cookies, strict hosts.
`make run` sets DJANGO_DEBUG=1 for a convenient local development mode.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY is not set. Set it to a long random value "  # noqa: S105 (a message, not a secret)
    "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
    "or set DJANGO_DEBUG=1 for local development."
)
# Without a key outside DEBUG, SECRET_KEY stays empty: tooling that signs nothing (migrations,
# makemigrations --check, collectstatic) still runs, Django refuses anything that would sign,
# and config/wsgi.py refuses to serve (require_secret_key).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdef"  # noqa: S105


def require_secret_key() -> None:
    if not SECRET_KEY:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)


ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "direktori.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # /api/v1/docs from our static files (the CDN page's inline script breaks the CSP)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "direktori.accounts",
    "direktori.audit",
    "direktori.areas",
    "direktori.directory",
    "direktori.hsds",
    "direktori.search",
    "direktori.verification",
    "direktori.members",
    "direktori.outreach",
    "direktori.stats",
    "direktori.training",
    "direktori.referrals",
    "direktori.publishing",
    "django_tasks_db",
]

MIDDLEWARE = [
    "direktori.core.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "direktori.audit.middleware.AuditContextMiddleware",
    "direktori.accounts.middleware.AccountSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "direktori.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL via DATABASE_URL (docs/adr/0003-settings.md).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Sign-in (docs/security.md): username or mobile number; django-axes counts failures per
# username (whether or not the account exists) and locks after ten until an officer unlocks it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "direktori.accounts.backends.UsernameOrPhoneBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:home"
AXES_FAILURE_LIMIT = int(os.environ.get("DIREKTORI_LOCKOUT_AFTER", "10"))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not per address as well (axes.W006): a district office or a village shares one public address,
# and one person's typos must not lock out everyone behind it. Rotating user agents gains an
# attacker nothing here, since the count is per username.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_COOLOFF_TIME = None
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "direktori.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "direktori.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Sessions end after SESSION_IDLE_SECONDS without a request, and SESSION_MAX_SECONDS after sign-in.
SESSION_IDLE_SECONDS = int(os.environ.get("DIREKTORI_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_MAX_SECONDS = int(os.environ.get("DIREKTORI_SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
# Email (Django 6.1 MAILERS): SMTP, to DIREKTORI_SMTP_HOST (default the machine's own mail server,
# localhost:25, as Django always assumed); in development without that variable, the console.
# Senders never fail a request when the mail server is away, and the pages show every one-time link.
MAILERS: dict[str, dict[str, Any]]
if DEBUG and not os.environ.get("DIREKTORI_SMTP_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    _SMTP_TLS = env_bool("DIREKTORI_SMTP_TLS", bool(os.environ.get("DIREKTORI_SMTP_HOST")))
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("DIREKTORI_SMTP_HOST", "localhost"),
                "port": int(os.environ.get("DIREKTORI_SMTP_PORT", "587" if _SMTP_TLS else "25")),
                "username": os.environ.get("DIREKTORI_SMTP_USER", ""),
                "password": os.environ.get("DIREKTORI_SMTP_PASSWORD", ""),
                "use_tls": _SMTP_TLS,
                "timeout": 10,
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DIREKTORI_FROM_EMAIL", "Direktori CBO <noreply@localhost>")
# Referrals (docs/security.md "Referrals"): acknowledgement targets by urgency, the states whose
# weekend is Friday and Saturday (DOSM codes: Kedah, Kelantan, Terengganu), how long personal
# details are kept after a referral ends, and the SMS/WhatsApp provider (a dotted path).
REFERRAL_TARGETS = {
    "immediate": {"hours": 1},
    "urgent": {"working_days": 1},
    "routine": {"working_days": 5},
}
REFERRAL_FRIDAY_WEEKEND_STATES = env_list("DIREKTORI_FRIDAY_WEEKEND_STATES", "2,3,11")
REFERRAL_RETENTION_DAYS = int(os.environ.get("DIREKTORI_REFERRAL_RETENTION_DAYS", "365"))
# How many referrals one account may submit in any hour (pages and API); 0: no limit.
REFERRAL_SUBMISSIONS_PER_HOUR = int(os.environ.get("DIREKTORI_REFERRAL_SUBMISSIONS_PER_HOUR", "30"))
DIREKTORI_SMS_BACKEND = os.environ.get(
    "DIREKTORI_SMS_BACKEND", "direktori.referrals.notifications.ConsoleSmsProvider"
)
# Statistics (docs/statistics.md): counts from 1 to the threshold − 1 are hidden from the public;
# the API reads the roll-ups (0: straight from the records, to check them or compare speed).
STATISTICS_SUPPRESSION_THRESHOLD = int(os.environ.get("DIREKTORI_STATISTICS_THRESHOLD", "5"))
STATISTICS_ROLLUPS = os.environ.get("DIREKTORI_STATISTICS_ROLLUPS", "1") != "0"
# How long a public table (its hidden cells worked out) is kept in the cache; 0: never kept.
STATISTICS_CACHE_SECONDS = int(os.environ.get("DIREKTORI_STATISTICS_CACHE_SECONDS", "3600"))
API_TOKEN_LIFETIME_SECONDS = int(os.environ.get("DIREKTORI_API_TOKEN_SECONDS", str(3600)))
OTP_TOTP_ISSUER = "Direktori CBO"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "direktori.accounts.validators.OfficerMinimumLengthValidator"},
]

# Languages: Malay is the default, served at /; English at /en/.
LANGUAGE_CODE = "ms"
LANGUAGES = [("ms", _("Bahasa Melayu")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Kuala_Lumpur"
USE_TZ = True

# Background tasks (DESIGN §8): booklet PDFs are built by `manage.py db_worker`, a process of its
# own beside the web servers (`make run` starts one; `make serve` does not: run it yourself).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Uploaded and generated files (booklet PDFs): the default storage, a folder here; set STORAGES'
# "default" to object storage when several nodes serve the site.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# A booklet build still queued or running this long after its last progress is taken as lost
# (its worker stopped) and recorded as failed; the next request starts a new one.
BOOKLET_BUILD_STALE_MINUTES = int(os.environ.get("DIREKTORI_BOOKLET_STALE_MINUTES", "30"))

# Static files, served by the app itself (whitenoise), hashed and compressed outside DEBUG.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
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
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600
# Source maps (django-ninja's API docs ship 5 MB of them) are for developer tools: not worth
# compressing on every collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# Security (docs/security.md). HTTPS is assumed outside DEBUG. When TLS ends at a load balancer,
# DJANGO_BEHIND_PROXY=1 tells Django which requests came over HTTPS; without it the redirect loops.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script reads the cookie
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", HTTPS)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# django-ninja's throttles take the client address from X-Forwarded-For only behind our proxy;
# anyone could write that header otherwise.
NINJA_NUM_PROXIES = 1 if env_bool("DJANGO_BEHIND_PROXY", False) else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Map tiles for the search page's map (Leaflet): any XYZ tile server, and its required credit.
MAP_TILE_URL = os.environ.get(
    "DIREKTORI_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = os.environ.get(
    "DIREKTORI_MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)


def csp_source_of(url: str) -> list[str]:
    """The CSP source that allows a tile URL template: its scheme and host, a `{s}` subdomain as a
    wildcard; none for a path on this site, which 'self' already allows."""
    parts = urlsplit(url)
    if not parts.netloc:
        return []
    labels = parts.netloc.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    host = ".".join(labels)
    return [f"{parts.scheme}://{host}" if parts.scheme else host]


SECURE_CSP = {
    "default-src": [CSP.SELF],
    # A nonce only on pages whose template uses {{ csp_nonce }}; never 'unsafe-inline'.
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *csp_source_of(MAP_TILE_URL)],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# No query strings in the logs: a search's words are what someone typed (docs/security.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "without_query_strings": {"()": "direktori.core.log_filters.WithoutQueryStrings"},
        "require_debug_true": {"()": "django.utils.log.RequireDebugTrue"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["without_query_strings"],
        },
        "server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["require_debug_true", "without_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every page it lays out at INFO: a booklet would fill the log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # runserver's request lines (`make run`), as Django prints them but without query strings.
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}

# What this deployment calls itself and whether it carries demo data (docs/adr/0004-front-end.md).
DIREKTORI = {
    "SITE_NAME": os.environ.get("DIREKTORI_SITE_NAME", "Direktori CBO"),
    "SHOW_DEMO_NOTICE": env_bool("DIREKTORI_DEMO", DEBUG),
    "PUBLIC_BASE_URL": os.environ.get("DIREKTORI_PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
    "MAP_LINK": os.environ.get(
        "DIREKTORI_MAP_LINK",
        "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}",
    ),
}
