"""Product settings read from the environment, declared once with a default and help.

Django's own settings keep their names (``DATABASE_URL``, ``DEBUG``); product knobs are
``KANSOU_*``. ``tests/test_docs.py`` checks every entry here is documented in the README.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def read(self) -> str:
        return os.environ.get(self.name, self.default)


SETTINGS = [
    Setting("KANSOU_DATA_DIR", ".kansou", "Folder for the SQLite database, secret key and models."),
    Setting(
        "KANSOU_SECRET_KEY",
        "",
        "Django secret key; generated once and stored in the data folder when empty.",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "Database URL (postgres://… or sqlite:///…); default: SQLite in the data folder.",
    ),
    Setting("DEBUG", "0", "Django debug mode (1 to enable); the demo turns it on."),
    Setting(
        "KANSOU_ALLOWED_HOSTS",
        "127.0.0.1,localhost,[::1]",
        "Comma-separated host names the site answers to.",
    ),
    Setting(
        "KANSOU_HTTPS",
        "0",
        "1 when served over HTTPS (behind a TLS proxy): secure cookies, HSTS, HTTPS redirect.",
    ),
    Setting(
        "KANSOU_PAGE_CACHE_SECONDS",
        "300",
        "How long a page stays cached for anonymous readers (0 turns the page cache off).",
    ),
    Setting(
        "KANSOU_FRAGMENT_CACHE_SECONDS",
        "3600",
        "How long a review page's reader-independent parts stay cached (0: render every time).",
    ),
    Setting(
        "KANSOU_CACHE_URL",
        "",
        "redis://… (or rediss://, unix://): pages, fragments and rate limits in one Redis or "
        "Valkey shared by every node; empty: a disk cache in the data folder (one machine).",
    ),
    Setting(
        "KANSOU_MODELS_STORE",
        "",
        "Folder every node mounts where trained models are published; each node copies the "
        "current version to its data folder, checked. Empty: one machine's models folder.",
    ),
    Setting("KANSOU_LOG_SQL", "0", "With DEBUG=1, 1 logs every SQL query."),
    Setting(
        "KANSOU_MEDIA_ROOT",
        "",
        "Folder for stored images (posters, review uploads); default: media/ in the data folder. "
        "Several nodes share one by mounting the same folder (NFS, a shared volume).",
    ),
    Setting(
        "KANSOU_MEDIA_URL",
        "/media/",
        "URL prefix of stored images: /media/ (served by nginx or the site) or a CDN's origin.",
    ),
    Setting("KANSOU_IMPORT_BATCH", "1000", "Catalog import batch size (records per transaction)."),
    Setting(
        "KANSOU_LIST_IMPORT_QUEUE_ENTRIES",
        "500",
        "A MyAnimeList export with more entries than this is imported by the worker, not the "
        "request.",
    ),
    Setting(
        "KANSOU_IMPORT_DIR",
        "",
        "Folder the admin's background catalog import reads files from and saves uploads to; "
        "empty: imports/ in the data folder.",
    ),
    Setting(
        "KANSOU_EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend",
        "Django email backend for password-reset mail; the default prints mail to the console.",
    ),
    Setting(
        "KANSOU_SITE_URL",
        "",
        "Public origin (https://example.org) for canonical URLs, feeds and sitemaps; "
        "empty: taken from each request.",
    ),
    Setting(
        "KANSOU_COMMENT_MODERATION",
        "first",
        "Which comments wait for a moderator: all, first (until the account is trusted) or none.",
    ),
    Setting(
        "KANSOU_COMMENT_TRUSTED_DAYS",
        "1",
        "With moderation 'first': account age in days before comments skip the queue.",
    ),
    Setting("KANSOU_COMMENT_EDIT_MINUTES", "15", "Minutes a reader may edit or delete a comment."),
    Setting("KANSOU_COMMENT_MAX_LINKS", "2", "More links than this holds a comment for review."),
    Setting("KANSOU_COMMENT_REPORTS_TO_HOLD", "3", "Reports that hold a comment for review."),
    Setting("KANSOU_COMMENT_RATE", "5/m,30/h", "Comments one account may post per window."),
    Setting("KANSOU_COMMENT_IP_RATE", "20/m", "Comments one IP address may post per window."),
    Setting(
        "KANSOU_LOGIN_RATE",
        "5/15m",
        "Failed log-ins per username from one IP address before that pair locks for the window.",
    ),
    Setting(
        "KANSOU_LOGIN_ACCOUNT_RATE",
        "50/h",
        "Failed log-ins per username from all addresses together before the username locks.",
    ),
    Setting(
        "KANSOU_LOGIN_IP_RATE",
        "50/h",
        "Failed log-ins from one IP address, all usernames together, before the address locks.",
    ),
    Setting(
        "KANSOU_TRUSTED_PROXIES",
        "",
        "Comma-separated proxy addresses or networks whose X-Forwarded-For names the client.",
    ),
    Setting(
        "KANSOU_UPLOAD_RATE",
        "10/h",
        "MyAnimeList exports one IP address may upload anonymously for recommendations.",
    ),
    Setting(
        "KANSOU_ACCOUNT_IP_RATE",
        "10/h",
        "Sign-ups, and separately password-reset requests, one IP address may make.",
    ),
    Setting(
        "KANSOU_ACCOUNT_MAIL_RATE",
        "3/h,10/d",
        "Sign-up and password-reset mails one email address may receive.",
    ),
]
BY_NAME = {setting.name: setting for setting in SETTINGS}


def get(name: str) -> str:
    return BY_NAME[name].read()


def data_dir() -> Path:
    """The data folder, created if missing and kept readable by this user only (mode 700): it
    holds the database, sessions, password hashes, the secret key, the cache and the models."""
    path = Path(get("KANSOU_DATA_DIR")).expanduser().resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:  # created by an older version, or mkdir's mode met a umask
        try:
            path.chmod(0o700)
        except PermissionError:  # someone else's folder: leave it to its owner
            pass
    return path


def secret_key() -> str:
    """The configured key, else one generated once and kept in ``DATA_DIR/secret_key``."""
    configured = get("KANSOU_SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        key = secrets.token_urlsafe(50)
        # Exclusive create: two processes starting at once cannot both write a key.
        try:
            with open(key_file, "x", encoding="ascii") as handle:
                handle.write(key)
            key_file.chmod(0o600)
        except FileExistsError:
            pass
    return key_file.read_text(encoding="ascii").strip()
