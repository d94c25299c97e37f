"""Django settings, all read from the environment (see ``kansou.conf``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kansou import conf
from kansou.core.cache import cache_settings
from kansou.core.clientip import parse_proxies
from kansou.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()

SECRET_KEY = conf.secret_key()
DEBUG = conf.get("DEBUG").lower() in {"1", "true", "yes", "on"}
ALLOWED_HOSTS = [h.strip() for h in conf.get("KANSOU_ALLOWED_HOSTS").split(",") if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ninja",  # serves the API docs (Swagger UI) from local static files, not a CDN
    "django_tasks",  # the job queue (Django 6's tasks, backported): kansou/core/jobs.py
    "django_tasks_db",  # its database backend and worker (`kansou worker`)
    "kansou.core",
    "kansou.catalog",
    "kansou.reviews",
    "kansou.discovery",
    "kansou.community",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come pre-compressed), above the page cache (which stores
    # pages plain); only pages that hold no secret (BREACH): kansou/core/compression.py.
    "kansou.core.compression.AnonymousGZipMiddleware",
    "kansou.core.security.ContentSecurityPolicyMiddleware",
    "kansou.core.pagecache.AnonymousPageCacheMiddleware",
    "kansou.core.busy.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kansou.reviews.middleware.LegacyRedirectMiddleware",
]

ROOT_URLCONF = "kansou.urls"
WSGI_APPLICATION = "kansou.wsgi.application"

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
                "kansou.core.navigation.navigation",
            ],
        },
    },
]

_SQLITE_OPTIONS = {
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing half-way through a transaction.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}


def _database() -> dict:
    url = conf.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'kansou.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**_SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        # Kept open between requests: opening one (Python functions registered, pragmas run)
        # costs more than rendering a page reads. Checked before reuse after an error.
        config["CONN_MAX_AGE"] = None
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"].endswith("postgresql") and importlib.util.find_spec("psycopg") is None:
        raise ImproperlyConfigured(
            "DATABASE_URL names PostgreSQL but its driver is missing: "
            "pip install 'kansou[postgres]'"
        )
    return config


DATABASES = {"default": _database()}

# Pages, review fragments, their generation counters and every rate-limit counter: a disk cache
# in the data folder shared by one machine's workers, or with KANSOU_CACHE_URL one Redis shared
# by every node (kansou/core/cache.py).
CACHES = {"default": cache_settings(conf.get("KANSOU_CACHE_URL"), DATA_DIR)}
KANSOU_PAGE_CACHE = "default"
KANSOU_PAGE_CACHE_SECONDS = int(conf.get("KANSOU_PAGE_CACHE_SECONDS"))
KANSOU_FRAGMENT_CACHE_SECONDS = int(conf.get("KANSOU_FRAGMENT_CACHE_SECONDS"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Trained models published for every node (kansou/discovery/artefact_store.py); empty: one
# machine, serving its own KANSOU_DATA_DIR/models.
KANSOU_MODELS_STORE = conf.get("KANSOU_MODELS_STORE")

# Background jobs (training, full reindexing, large imports started from the web): a queue in
# the database, drained by `kansou worker` on any machine (kansou/core/jobs.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The only folder the admin's "Import catalog" job reads files from (and saves uploads to).
KANSOU_IMPORT_DIR = Path(conf.get("KANSOU_IMPORT_DIR") or DATA_DIR / "imports").expanduser()
# A reader's MyAnimeList export longer than this is imported in the worker (community/tasks.py).
KANSOU_LIST_IMPORT_QUEUE_ENTRIES = int(conf.get("KANSOU_LIST_IMPORT_QUEUE_ENTRIES"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names from collectstatic's manifest (cached for a year), plain names without one.
    "staticfiles": {"BACKEND": "kansou.core.staticfiles.HashedStaticFilesStorage"},
}
LOGGING = logging_config("DEBUG" if DEBUG and conf.get("KANSOU_LOG_SQL") == "1" else "INFO")
STATIC_ROOT = DATA_DIR / "static"
# Posters and review images, through the default storage (kansou/core/media.py serves them).
MEDIA_ROOT = Path(conf.get("KANSOU_MEDIA_ROOT") or DATA_DIR / "media").expanduser()
MEDIA_URL = conf.get("KANSOU_MEDIA_URL")
STATICFILES_DIRS = [BASE_DIR / "static"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "community:my-list"
LOGOUT_REDIRECT_URL = "catalog:anime-list"
EMAIL_BACKEND = conf.get("KANSOU_EMAIL_BACKEND")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the cache (the shared Redis on several machines), written through to the
# database: a signed-in request skips one query, and a lost cache loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Behind TLS (KANSOU_HTTPS=1): cookies only over HTTPS, HSTS, redirect plain HTTP. Off by default
# so `kansou demo` and `kansou serve` on http://127.0.0.1 can log people in.
HTTPS = conf.get("KANSOU_HTTPS") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Canonical origin for absolute URLs (feeds, sitemap, Open Graph); empty means "from the request".
KANSOU_SITE_URL = conf.get("KANSOU_SITE_URL").rstrip("/")

# Comments and log-in limits (kansou/community/comments.py, moderation.py, ratelimit.py).
KANSOU_COMMENT_MODERATION = conf.get("KANSOU_COMMENT_MODERATION")
KANSOU_COMMENT_TRUSTED_DAYS = int(conf.get("KANSOU_COMMENT_TRUSTED_DAYS"))
KANSOU_COMMENT_EDIT_MINUTES = int(conf.get("KANSOU_COMMENT_EDIT_MINUTES"))
KANSOU_COMMENT_MAX_LINKS = int(conf.get("KANSOU_COMMENT_MAX_LINKS"))
KANSOU_COMMENT_REPORTS_TO_HOLD = int(conf.get("KANSOU_COMMENT_REPORTS_TO_HOLD"))
KANSOU_COMMENT_RATE = conf.get("KANSOU_COMMENT_RATE")
KANSOU_COMMENT_IP_RATE = conf.get("KANSOU_COMMENT_IP_RATE")
KANSOU_LOGIN_RATE = conf.get("KANSOU_LOGIN_RATE")
KANSOU_LOGIN_ACCOUNT_RATE = conf.get("KANSOU_LOGIN_ACCOUNT_RATE")
KANSOU_LOGIN_IP_RATE = conf.get("KANSOU_LOGIN_IP_RATE")
KANSOU_UPLOAD_RATE = conf.get("KANSOU_UPLOAD_RATE")
KANSOU_ACCOUNT_IP_RATE = conf.get("KANSOU_ACCOUNT_IP_RATE")
KANSOU_ACCOUNT_MAIL_RATE = conf.get("KANSOU_ACCOUNT_MAIL_RATE")

# Per-IP limits believe X-Forwarded-For only from these peers (kansou/core/clientip.py); a bad
# entry stops the start with its name.
KANSOU_TRUSTED_PROXIES = conf.get("KANSOU_TRUSTED_PROXIES")
parse_proxies(KANSOU_TRUSTED_PROXIES)
