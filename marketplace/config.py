"""Configuration: one mapping of defaults, overridden from ``GONGZHI_*`` environment variables.

``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` are read without the prefix because
that is how hosting platforms hand them over.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from marketplace.clock import BEIJING

DEFAULTS: dict[str, object] = {
    # Empty: a random key is made once and kept in instance/secret_key (see _instance_secret).
    "SECRET_KEY": "",
    # Keeps ID numbers unreadable in a database dump (Fernet key, urlsafe base64 of 32 bytes).
    "PERSONAL_DATA_KEY": "",
    "SQLALCHEMY_DATABASE_URI": None,  # filled in by configure() from the instance folder
    # hide_parameters: statement logs and database errors never carry the values (names, phones).
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
    "REDIS_URL": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    # The longest a login lasts; idle sessions end sooner (below), staff far sooner.
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
    # Seconds without a request after which a session ends: social workers, org admins,
    # officials and platform admins see others' personal data, volunteers only their own.
    "IDLE_TIMEOUT_STAFF": 60 * 60 * 2,
    "IDLE_TIMEOUT_VOLUNTEER": 60 * 60 * 24 * 14,
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "zh",
    # Babel's date filters show Beijing time, as every other time on the site (domain §8.30).
    "BABEL_DEFAULT_TIMEZONE": BEIJING.key,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    # When Redis is down, limits are counted in each process's memory instead of failing pages.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    "LOGIN_ATTEMPTS_PER_MINUTE": 10,
    # Requests to the JSON API per token (per address without one).
    "API_RATE_LIMIT": "120/minute",
    # Registrations per minute from one address, and for one phone number.
    "REGISTRATION_ATTEMPTS_PER_MINUTE": 10,
    # Reverse proxies in front of the site; their X-Forwarded-For gives the client address
    # that login throttling keys on (0: the site faces clients directly).
    "TRUSTED_PROXIES": 0,
    # argon2id cost; tests lower it, production keeps the library's defaults.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 65536,
    # A volunteer may cancel a sign-up until the shift starts; after this many hours before
    # the start the cancellation is recorded as late (domain §8.24).
    "SIGNUP_CANCEL_DEADLINE_HOURS": 24,
    # Where notifications go besides the site: "outbox" keeps them in the outbox table,
    # "sms" and "email" send through the adapters of notifications.senders, whose
    # credentials (GONGZHI_NOTIFY_SMS_TOKEN, GONGZHI_NOTIFY_SMTP_PASSWORD …) come from the
    # environment only.
    "NOTIFY_SENDER": "outbox",
    "NOTIFY_INTERVAL_SECONDS": 300,
    # Where `flask seed-demo` writes the demo accounts (None: instance/demo-accounts.json).
    "DEMO_ACCOUNTS_FILE": None,
    # Days a closed household keeps its personal data before `flask purge-expired` removes
    # it (hours, counts and the pseudonym stay; domain §8.27).
    "CARE_RETENTION_DAYS": 365,
    # Base map tiles, e.g. "https://tiles.example.org/{z}/{x}/{y}.png"; empty: none, the
    # map draws grids and points only and nothing leaves the site.
    "MAP_TILE_URL": "",
    "MAP_TILE_ATTRIBUTION": "",
}

SQLITE_LOCK_WAIT_S = 30


def configure(app: Flask, overrides: dict | None = None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("GONGZHI")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(os.environ["DATABASE_URL"])
    if os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    if overrides:
        app.config.from_mapping(overrides)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'gongzhi.sqlite3'}"
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite has one write lock; under a threaded server a burst of sign-ups queues for it.
        # Wait for it instead of failing a sign-up with "database is locked" after the
        # driver's default 5 s.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"timeout": SQLITE_LOCK_WAIT_S, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config["REDIS_URL"] and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]


def _instance_secret(instance_path: Path) -> str:
    """A random secret made on first start and kept in the instance folder.

    It signs session cookies and, when PERSONAL_DATA_KEY is unset, derives the key that
    encrypts ID numbers, so it must survive restarts: a fresh key per start would log
    everyone out and make stored ID numbers unreadable.
    """
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgres://`` / ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
