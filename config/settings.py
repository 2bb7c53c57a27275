"""Settings for the PFCC Portal.

One module for every environment: values come from environment variables, and every default
is the safe production one. `make run` sets DJANGO_DEBUG=1 for local development; the test
suite sets its own values in tests/envdefaults.py.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

# Required when debug is off. Left empty, Django refuses to sign anything (sessions, CSRF,
# password resets), the WSGI/ASGI entry points refuse to start (config/startup.py) and
# `check --deploy` reports it; commands that sign nothing (migrations, checks) still run.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - debug only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The site's name in e-mails, feeds and page titles; the Site record (django.contrib.sites) is
# kept in step with SITE_URL and SITE_NAME after every migrate (pfcc/apps.py).
SITE_NAME = os.environ.get("PFCC_SITE_NAME", "PFCC")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "config.apps.BackgroundTasksConfig",  # django_tasks_db, named in both languages
    "pfcc",
    "membership",
    "blog",
    "hackathon",
    "camp",
    "events",
    "progress",
    "judging",
    # Last: its ready() connects the index to the models the apps above registered.
    "search",
]

MIDDLEWARE = [
    # The visitor's address behind the trusted proxies (DJANGO_TRUSTED_PROXIES), first of all.
    "common.clientip.ClientIPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' pages from memory, invalidated by a shared stamp (common/cache.py).
    "common.cache.AnonymousPageCacheMiddleware",
    # A database outage answers 503 quickly instead of a 500 (see common/middleware.py).
    "common.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "common.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff reach the admin only after a second factor (TOTP).
    "common.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pfcc.nav.personal_nav",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://…) in production and CI; a SQLite file under var/ otherwise.
_default_sqlite = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", "") or _default_sqlite
_db = dj_database_url.parse(
    DATABASE_URL,
    conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    conn_health_checks=True,
)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and IMMEDIATE transactions: concurrent writers wait instead of failing with "locked".
    _db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the server is down instead of hanging a worker.
    _options = _db.setdefault("OPTIONS", {})
    if "pool" not in _options:
        _options.setdefault(
            "connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "3"))
        )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and rate limits: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # A stopped Redis is a cache miss, not an error page (common/cachebackend.py); short socket
    # timeouts keep a hanging Redis from holding requests.
    CACHES = {
        "default": {
            "BACKEND": "common.cachebackend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pfcc",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions read from Redis and written to both it and the database: a signed-in request
    # reads its session without a query (a Redis miss, or Redis down, reads the database).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The anonymous page cache (common/cache.py): on unless PFCC_PAGE_CACHE=0; pages live at most this
# many seconds; without Redis, the processes of this machine share its stamp through a file.
PFCC_PAGE_CACHE = env_bool("PFCC_PAGE_CACHE", True)
PFCC_PAGE_CACHE_SECONDS = int(os.environ.get("PFCC_PAGE_CACHE_SECONDS", "60"))
PFCC_PAGE_CACHE_STAMP_FILE = BASE_DIR / "var" / "page-cache-stamp"
# With Redis, each process reads the shared stamp at most this often (seconds).
PFCC_PAGE_CACHE_STAMP_INTERVAL = float(os.environ.get("PFCC_PAGE_CACHE_STAMP_INTERVAL", "0.2"))
# Signed-in users' own pages (common/usercache.py, views with @per_user_cache): kept per user
# until any write to the database; on unless PFCC_USER_CACHE=0.
PFCC_USER_CACHE = env_bool("PFCC_USER_CACHE", True)
PFCC_USER_CACHE_SECONDS = int(os.environ.get("PFCC_USER_CACHE_SECONDS", "60"))

# Background tasks: the database queue in production (`manage.py db_worker` runs it); the
# immediate backend runs a task in the request (development and tests).
_task_backends = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("DJANGO_TASKS_BACKEND", "database")
if _task_backend not in _task_backends:
    raise ImproperlyConfigured(f"DJANGO_TASKS_BACKEND must be one of {sorted(_task_backends)}.")
TASKS = {"default": {"BACKEND": _task_backends[_task_backend]}}


# E-mail through Django 6.1's MAILERS. EMAIL_URL: smtp://user:pass@host:587 (STARTTLS),
# smtps://…:465 (TLS), console:// or locmem://. Development defaults to the console.
def _mailer_from_url(url: str) -> dict:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme in {"smtp", "smtps", "submission"}:
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": parts.scheme != "smtps" and parts.port != 25,
            "timeout": 10,
        }
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    raise ImproperlyConfigured(f"EMAIL_URL has an unsupported scheme: {parts.scheme!r}")


EMAIL_URL = os.environ.get("EMAIL_URL", "") or ("console://" if DEBUG else "")
if not EMAIL_URL and os.environ.get("EMAIL_HOST"):
    EMAIL_URL = "smtp://{user}:{password}@{host}:{port}".format(
        user=os.environ.get("EMAIL_HOST_USER", ""),
        password=os.environ.get("EMAIL_HOST_PASSWORD", ""),
        host=os.environ["EMAIL_HOST"],
        port=os.environ.get("EMAIL_PORT", "587"),
    )
MAILERS = {"default": _mailer_from_url(EMAIL_URL or "smtp://localhost:25")}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PFCC <noreply@pfcc.example.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Staff who are told about new membership applications and other things that need a person.
STAFF_NOTIFY_EMAILS = env_list("PFCC_STAFF_EMAILS")

AUTH_USER_MODEL = "pfcc.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: e-mail accounts with mandatory verification, and GitHub.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "pfcc.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[PFCC] "
ACCOUNT_ADAPTER = "pfcc.adapters.AccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_QUERY_EMAIL = True
# Rate limits (allauth's defaults, written out): they count in the cache, so production needs
# REDIS_URL for the limits to hold across worker processes.
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "confirm_email": "1/180s/key",
}
# Second factor: TOTP apps and recovery codes. Staff must have TOTP to reach the admin.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PFCC"
# One TOTP secret per session: a reload of the set-up page keeps the QR code already scanned.
MFA_FORMS = {"activate_totp": "pfcc.forms.ActivateTOTPForm"}
# Staff cannot remove their TOTP app (pfcc/adapters.py): every staff power needs it.
MFA_ADAPTER = "pfcc.adapters.MFAAdapter"
# The site's own forms (membership application, hackathon claim and objection, camp application,
# report and review): POSTs per signed-in user (per address for visitors), see common/ratelimit.py.
# "count/period" pairs, period in s, m, h or d; PFCC_RATE_LIMIT="10/m,100/d" changes every form.
PFCC_RATE_LIMIT_DEFAULT = os.environ.get("PFCC_RATE_LIMIT", "10/m,100/d")
# Per form, e.g. {"hackathon.claim": "5/m,50/d"}. Deleting an account checks the password: few tries.
PFCC_RATE_LIMITS = {"account.delete": "5/h"}
GITHUB_CLIENT_ID = os.environ.get("GITHUB_CLIENT_ID", "")
GITHUB_CLIENT_SECRET = os.environ.get("GITHUB_CLIENT_SECRET", "")
SOCIALACCOUNT_PROVIDERS = {"github": {"SCOPE": ["read:user", "user:email"]}}
if GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET:
    SOCIALACCOUNT_PROVIDERS["github"]["APPS"] = [
        {"client_id": GITHUB_CLIENT_ID, "secret": GITHUB_CLIENT_SECRET, "key": ""}
    ]
GITHUB_LOGIN_ENABLED = bool(GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)
GITHUB_WEBHOOK_SECRET = os.environ.get("GITHUB_WEBHOOK_SECRET", "")
# The hackathon answers PRs and claim comments on GitHub only with a token (else it records the
# replies); also used to check PR links people add by hand.
GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "")
GITHUB_API_URL = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")

# Languages: Simplified Chinese by default, English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploads nobody may fetch by URL (résumés): outside MEDIA_ROOT, served through checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", MEDIA_ROOT.parent / "private"))
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
# Uploads: no single request body larger than this; each upload form checks its own limits too.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated,
# e.g. "127.0.0.1,::1" for nginx on the same machine). Rate limits (allauth's login limits and
# the site's own) count the address the nearest untrusted hop gives; empty = the header is
# ignored and REMOTE_ADDR is the client. See common/clientip.py and the README's Security section.
PFCC_TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
for _proxy in PFCC_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {_error}") from None

# Security headers and cookies. Production defaults; a reverse proxy that terminates TLS sets
# DJANGO_SECURE_PROXY_SSL_HEADER=1 so that Django sees HTTPS.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Hosts whose images, sound and video posts and reports may show (comma-separated origins): the
# community's CDN (the blog's videos and GIFs) and GitHub's image hosts (avatars, pasted
# screenshots). Nothing else is loaded from outside.
PFCC_MEDIA_HOSTS = env_list(
    "PFCC_MEDIA_HOSTS",
    "https://blog-video.bj.bcebos.com,https://avatars.githubusercontent.com,https://github.com,"
    "https://raw.githubusercontent.com,https://user-images.githubusercontent.com,"
    "https://private-user-images.githubusercontent.com",
)
# No inline scripts or styles anywhere: templates link static files only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *PFCC_MEDIA_HOSTS],
    "media-src": [CSP.SELF, *PFCC_MEDIA_HOSTS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, "https://github.com"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
