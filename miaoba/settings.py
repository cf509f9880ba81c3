"""Settings of 法治政府建设工作台, read from the environment with django-environ.

Every variable is listed with a comment in `.env.example`. Development defaults are safe and
need no set-up (an SQLite file beside this project); production must set `SECRET_KEY`,
`ALLOWED_HOSTS` and `DATABASE_URL`, and start-up fails loudly when `SECRET_KEY` is missing
with `DEBUG` off.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is read when present; the real environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Demo mode loads demo users with published passwords; only ever on a developer's machine.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "未设置 SECRET_KEY：关闭 DEBUG 时必须在环境变量中设置 SECRET_KEY "
            "(SECRET_KEY is required when DEBUG is off)."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "django_filters",
    "simple_history",
    "axes",
    "miaoba.apps.MiaobaConfig",
    "disputes",
    "normative_docs",
    "tasks",
    "reports",
    "reconsideration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "miaoba.urls"

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
                "miaoba.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "miaoba.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one clerk writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue (busy timeout) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 10,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the plan of every query it estimates as costly, and our list
    # queries (correlated subqueries over 10^5 rows) cost 0.1–0.2 s to compile each time while
    # running in a few ms: the tasks page took 0.59 s with JIT and 0.13 s without. Options
    # given in DATABASE_URL (?options=...) are kept; a jit setting there wins.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if "jit" not in _options.get("options", ""):
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "miaoba.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "miaoba.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)},
    },
    # Django's 20,000 common passwords with zxcvbn's 30,000, and their disguises (Password123!).
    {"NAME": "miaoba.validators.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files keep the name they were uploaded with (miaoba/storage.py).
    "default": {"BACKEND": "miaoba.storage.OriginalNameStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded files (scanned letters, agreements, minutes) are never served directly: views check
# permissions and stream them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

# Reference lists (units, users, the calendar ...) are cached in each process; an edit replaces
# this file so that every process drops its copy (miaoba/refcache.py).
REFERENCE_STAMP_FILE = env.str(
    "REFERENCE_STAMP_FILE", default=str(Path(str(MEDIA_ROOT)) / ".reference-stamp")
)

# Production hardening; each value can be overridden for a deployment behind a TLS proxy.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Login, sessions, passwords, security log, CSP (GB/T 22239-2019 level 2, 8.1.4) ---------
# Sessions end after 30 minutes without a request and 12 hours after login, whichever comes
# first (miaoba.middleware.SessionLimitsMiddleware, which renews the stored session's expiry
# at most once a minute instead of writing it on every request).
SESSION_IDLE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
# The stored session outlives the idle limit so that the middleware, not the session store,
# ends an idle session: it then records the timeout in the security log (会话超时).
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_AGE

# Argon2 first; the others still verify older hashes (upgraded at the next login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS.append(
    {
        "NAME": "miaoba.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    }
)

# django-axes: 5 failed logins lock the username (whether it exists or not) for 30 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that locking by username alone lets an attacker rotate user agents: not so
# here, failures are counted per username across every address and agent (the rule is "5
# failures lock the username").
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it: it ends 30 minutes after it began.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "miaoba.views_security.lockout_response"
AXES_ENABLE_ADMIN = False  # miaoba.admin registers its own read-only list with 解除锁定
AXES_DISABLE_ACCESS_LOG = True  # logins go to the security log (miaoba.SecurityEvent)
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]
# The client's address for lockouts and the security log (miaoba.security.client_ip_address):
# the connection's own; behind the TLS proxy, the one X-Forwarded-For address nginx sets, read
# with django-ipware, and only on requests that come from the proxy itself (TRUSTED_PROXY_IPS).
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
TRUSTED_PROXY_IPS = env.list("TRUSTED_PROXY_IPS", default=["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "miaoba.security.client_ip_address"

MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "miaoba.middleware.RequestContextMiddleware",
    "miaoba.middleware.SessionLimitsMiddleware",
    "miaoba.middleware.NoStoreMiddleware",
    "miaoba.middleware.NulParameterMiddleware",
    "miaoba.middleware.PasswordChangeRequiredMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Content Security Policy (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# `make backup` writes timestamped folders here (miaoba/backup.py).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
LOGGING["loggers"] = {
    # django-axes logs each failed login with the typed username (maybe a phone number): keep
    # only its errors; the security log (masked) records the failures.
    "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    # Django's own default gives "django" a console handler too: with the root's, every line
    # (Not Found, Watching for file changes ...) was printed twice. One handler, the root's.
    "django": {"handlers": [], "level": env.str("LOG_LEVEL", default="INFO"), "propagate": True},
    # Configuring "django" resets its children: keep runserver's request lines as Django has them.
    "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
}

# A form whose fields grow with the records (a clean-up over every document in force, two
# fields a document) must save at 2,000 records; Django's default refuses more than 1,000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=20_000)
