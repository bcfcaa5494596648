"""Settings, read from the environment.

Everything a deployment changes comes from an environment variable, so the
same code runs on a laptop (SQLite under var/, DEBUG via `make run`) and in
production (PostgreSQL through DATABASE_URL, gunicorn, DEBUG off).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DEBUG is off (production). "
            "For local work use `make run`, which turns DEBUG on."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "catalogue",
    "logins",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "logins.sessions.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: it turns a refused sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "procurement.urls"
WSGI_APPLICATION = "procurement.wsgi.application"

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
                "catalogue.context_processors.public_site",
            ],
        },
    },
]

# DATABASE_URL=postgres://user@host:5432/name selects PostgreSQL; unset, the
# embedded SQLite file under var/ is used.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

# The public pages are cached under a version kept in the database (catalogue/public_cache.py), so
# any cache works: the local-memory one needs no server; REDIS_URL shares one cache between nodes.
REDIS_URL = os.environ.get("REDIS_URL", "")
# A page is keyed by the day too, so nothing is kept longer than a day: in Redis the pages of versions that
# have passed expire by themselves (the local-memory cache also drops its oldest past PUBLIC_CACHE_ENTRIES).
PUBLIC_CACHE_SECONDS = 24 * 60 * 60
if REDIS_URL:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": alias}
        for alias in ("default", "public")
    }
    CACHES["public"]["TIMEOUT"] = PUBLIC_CACHE_SECONDS
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "public": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "public-pages",
            "TIMEOUT": PUBLIC_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PUBLIC_CACHE_ENTRIES", "500"))},
        },
    }
# A response larger than this is served but not kept (a filtered export of a very large edition), so a
# process's page cache holds at most PUBLIC_CACHE_ENTRIES × this many bytes.
PUBLIC_CACHE_MAX_BYTES = int(os.environ.get("PUBLIC_CACHE_MAX_BYTES", str(1024 * 1024)))
# Part of every cache key; empty means a fingerprint of the code and templates (catalogue/public_cache.py).
PUBLIC_CACHE_RELEASE = os.environ.get("DJANGO_RELEASE", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Where `manage.py backup` (make backup) writes its archives (catalogue/backups.py); copy them off this machine.
BACKUP_DIR = Path(os.environ.get("DJANGO_BACKUP_DIR", VAR_DIR / "backups"))
# A published edition's official files (CSV, XLSX, JSON, OCDS and their manifest), kept for good.
PUBLICATIONS_ROOT = Path(os.environ.get("DJANGO_PUBLICATIONS_ROOT", VAR_DIR / "publications"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "publications": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PUBLICATIONS_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Public pages carry no inline script or style; the policy forbids them, so
# a template that slips one in is caught by the browser tests.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The marks a government site shows in its footer, each only when set (catalogue/context_processors.py):
# nothing is invented, only the organiser has a default, the one the footer has always named.
SITE_MARKS = {
    "organiser": os.environ.get("DJANGO_SITE_ORGANISER", "咸宁市财政局"),  # 主办单位
    "site_code": os.environ.get("DJANGO_SITE_CODE", ""),  # 网站标识码
    "icp_number": os.environ.get("DJANGO_ICP_NUMBER", ""),  # ICP备案号
    "icp_url": os.environ.get("DJANGO_ICP_URL", ""),  # the ICP registry's address, linked only when set
    "psb_number": os.environ.get("DJANGO_PSB_NUMBER", ""),  # 公安机关备案号
    "psb_url": os.environ.get("DJANGO_PSB_URL", ""),
    "contact": os.environ.get("DJANGO_SITE_CONTACT", ""),  # 联系方式
    "party_gov_mark": os.environ.get("DJANGO_PARTY_GOV_MARK", ""),  # 党政机关标识: the image's address
    "party_gov_mark_url": os.environ.get("DJANGO_PARTY_GOV_MARK_URL", ""),  # where the mark links to
}
if SITE_MARKS["party_gov_mark"].startswith(("https://", "http://")):
    # The mark is served by the registry: the page may show that one image from its origin.
    _mark_origin = "/".join(SITE_MARKS["party_gov_mark"].split("/", 3)[:3])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_mark_origin)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No page of ours is shown in a frame (the admin's related-object pop-ups are windows), so nobody may frame one.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind our HTTPS proxy, its headers are trusted: X-Forwarded-Proto, and X-Forwarded-For for the client
# address that sign-in failures are counted for (PROXY_COUNT proxies in a row; logins/throttle.py).
BEHIND_HTTPS_PROXY = env_bool("DJANGO_BEHIND_HTTPS_PROXY")
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1"))
# HSTS covers the site's subdomains unless turned off; preloading is opt-in, because leaving the
# browsers' preload list takes months (README, Production).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))

LOGIN_URL = "admin:login"

# Staff sessions end when the browser closes, after SESSION_IDLE_TIMEOUT seconds without a request and
# SESSION_COOKIE_AGE seconds after signing in however busy (logins/sessions.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(float(os.environ.get("DJANGO_SESSION_MAX_HOURS", "8")) * 3600)
SESSION_IDLE_TIMEOUT = int(float(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", "30")) * 60)

# Sign-in throttling with django-axes (logins/throttle.py). Failures count per account and client
# address together, so one clerk's typos never lock out a colleague behind the same office address;
# an address failing LOGIN_ADDRESS_FAILURE_LIMIT times for any accounts is refused too. A refused
# attempt is stopped by axes' backend before ModelBackend hashes the password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True  # the right password clears that account's count at that address
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # refused attempts neither count nor extend the lock
AXES_HANDLER = "logins.throttle.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "logins.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "logins.throttle.lockout_response"
AXES_COOLOFF_MESSAGE = _("登录失败次数过多，请稍后再试。")
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = []  # the log names the account and address; passwords are never logged
AXES_ENABLE_ADMIN = False  # logins/admin.py shows the records, to municipal finance only
AXES_VERBOSE = False  # no banner on every start; the failure log lines stay

# The site's address as the published files (JSON, OCDS) name it: they are written once, when an
# edition is published, without a request to take the host from.
PUBLIC_URL = os.environ.get(
    "DJANGO_PUBLIC_URL", f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS and not DEBUG else "http://127.0.0.1:8000"
).rstrip("/")

# 通知 by email (catalogue/services/notifications.py): SMTP when DJANGO_EMAIL_HOST is set, else the console
# (`make run` prints each email); DJANGO_EMAIL_BACKEND overrides both. Mail leaves after the change is
# committed, with a timeout, and a failure is logged, never shown to the clerk (README, Notifications).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=not EMAIL_USE_SSL)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_EMAIL_FROM", "咸宁市财政局 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = os.environ.get("DJANGO_EMAIL_SUBJECT_PREFIX", "[咸宁市政府购买服务] ")

# Largest spreadsheet a clerk may import, in rows; larger files are refused
# before they are read whole.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000"))
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
# An import is parsed in a child process with this much memory and CPU time (and twice as many
# seconds of wall-clock time) at most (catalogue/imports/isolation.py).
IMPORT_PARSE_MEMORY_MB = int(os.environ.get("IMPORT_PARSE_MEMORY_MB", "256"))
IMPORT_PARSE_SECONDS = int(os.environ.get("IMPORT_PARSE_SECONDS", "10"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Any uploaded file over UPLOAD_MAX_BYTES (the import: IMPORT_MAX_BYTES) is refused while it is
# received, before it is stored whole (catalogue/uploads.py); evidence files may be 10 MB.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "catalogue.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
