"""Tillit's one settings file. Production differs from development only by environment variables.

Secrets may come from a file: for any NAME below, NAME_FILE=/path reads the value from that file
(the Docker/Kubernetes secrets convention).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """An environment variable, or the contents of the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY") or ("insecure-development-key-only" if DEBUG else "")
if not SECRET_KEY:
    # Refuse to run in production with a guessable key; tests and the demo set one explicitly.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE); see docs/configuration.md.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],visselblasning.localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "tillit.core",
    "tillit.accounts",
    "tillit.chain",
    "tillit.audit",
    "tillit.charts",
    "tillit.agreements",
    "tillit.indicators",
    "tillit.followup",
    "tillit.dialogue",
    "tillit.obstacles",
    "tillit.delegation",
    "tillit.notifications",
    "tillit.experiments",
    "tillit.burden",
    "tillit.pulse",
    "tillit.whistle",
    "tillit.api",
    "tillit.demo",
]

MIDDLEWARE = [
    # First: on the reporter host it swaps the URLs, drops the staff application's cookies and sets the
    # reporter pages' headers (tillit/whistle/middleware.py).
    "tillit.whistle.middleware.ReporterHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tillit.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tillit.core.middleware.AccessMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tillit" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    },
]

# --- Database: SQLite (embedded default, WAL) or PostgreSQL through DATABASE_URL -------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'tillit.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the task worker writes; the busy timeout makes a
        # writer wait for the lock instead of failing at once.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared across processes so that login throttling holds for every web worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tillit_cache",
    },
    # Rendered process behaviour charts, keyed by everything they show (tillit/followup/chart_markup.py).
    # In the process's memory: no query for a hit, and a wrong entry is impossible, only a missing one.
    # About 16 KiB a chart: 2 000 charts are some 32 MB per worker.
    "charts": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tillit-charts",
        "OPTIONS": {"MAX_ENTRIES": 2000, "CULL_FREQUENCY": 4},
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Authentication ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "tillit.accounts.adapters.InviteOnlyAccountAdapter"
SOCIALACCOUNT_ADAPTER = "tillit.accounts.adapters.ExistingPeopleSocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Five failed attempts per minute from one address, and per account: throttled logins.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_RATE_LIMIT", "5/m/ip,5/5m/key"),
    "reset_password": "5/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tillit"

# OIDC single sign-on (e.g. a municipality's Entra ID, Keycloak or Freja eID broker); off unless configured.
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS = {}
if env("OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", "sso"),
                "name": env("OIDC_NAME", "Single sign-on"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": env("OIDC_SERVER_URL")},
            }
        ],
    }

# --- Transport and cookies -----------------------------------------------------------------------
# HTTPS is the default; `make demo` and the tests run on plain http://127.0.0.1 and set HTTPS=false.
HTTPS = env_bool("HTTPS", default=True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", default=False) else None
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict CSP: only our own origin, no inline script or style. The nonce exists for htmx's script tag.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- Language: Swedish first, English second ----------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tillit" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files: vendored, served by WhiteNoise, no CDN ---------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "tillit" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", default=False)

# --- Mail: console in development and the demo, SMTP in production ------------------------------
MAILERS = {
    "default": {
        "BACKEND": env("MAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": {
            key: value
            for key, value in {
                "host": env("MAIL_HOST"),
                "port": int(env("MAIL_PORT", "0")) or None,
                "username": env("MAIL_USER"),
                "password": env("MAIL_PASSWORD"),
                "use_tls": env_bool("MAIL_USE_TLS", default=False) or None,
            }.items()
            if value
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Tillit <noreply@tillit.invalid>")

# --- Whistleblowing channel (tillit/whistle, docs/whistle.md) -----------------------------------
# The reporter pages answer only on these hosts ("name" matches any port, "name:port" one port), and
# nothing else answers there. `make demo` serves them on port 8001 and at visselblasning.localhost.
WHISTLE_HOSTS = env_list("WHISTLE_HOSTS", "visselblasning.localhost")
# Mixed into the receipts' hashes, so that a database dump alone cannot even start a search. Set it on
# its own in production (WHISTLE_RECEIPT_PEPPER_FILE); without it, it is derived from SECRET_KEY.
WHISTLE_RECEIPT_PEPPER = env("WHISTLE_RECEIPT_PEPPER")
# Argon2id for key passphrases and receipts: libsodium's "interactive" cost (t = 2, m = 64 MiB).
WHISTLE_KDF_OPSLIMIT = int(env("WHISTLE_KDF_OPSLIMIT", "2"))
WHISTLE_KDF_MEMLIMIT = int(env("WHISTLE_KDF_MEMLIMIT", str(64 * 1024 * 1024)))
WHISTLE_POW_BITS = int(env("WHISTLE_POW_BITS", "16"))  # about 65 000 hashes: a second on a phone
WHISTLE_FILES_DIR = Path(env("WHISTLE_FILES_DIR", str(BASE_DIR / "var" / "whistle")))
WHISTLE_MAX_FILE_BYTES = int(env("WHISTLE_MAX_FILE_BYTES", str(50 * 1024 * 1024)))
WHISTLE_MAX_FILES = int(env("WHISTLE_MAX_FILES", "10"))
# The reverse proxies whose X-Forwarded-For the reporter host's rate limits may read (addresses, comma-
# separated). Empty: only the connection's own address counts, and a forged header changes nothing (T-10).
WHISTLE_TRUSTED_PROXIES = env_list("WHISTLE_TRUSTED_PROXIES")

# --- API -------------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
