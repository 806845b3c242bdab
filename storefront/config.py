"""Settings read from the environment, with safe defaults for local use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from exc


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


def _shipping_methods() -> list[dict]:
    return [
        {
            "code": "standard",
            "label": "Standard delivery (3–5 days)",
            "price_cents": _env_int("SHIPPING_STANDARD_CENTS", 499),
            "free_above_cents": _env_int("SHIPPING_FREE_ABOVE_CENTS", 10000),
        },
        {
            "code": "express",
            "label": "Express delivery (1–2 days)",
            "price_cents": _env_int("SHIPPING_EXPRESS_CENTS", 999),
            "free_above_cents": None,
        },
    ]


class Config:
    """Settings for development and production, all overridable from the environment."""

    def __init__(self) -> None:
        env = os.environ
        self.ENV_NAME = env.get("STOREFRONT_ENV", env.get("FLASK_ENV", "development"))
        self.SECRET_KEY = env.get("SECRET_KEY") or None
        self.SQLALCHEMY_DATABASE_URI = env.get("DATABASE_URL") or None
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # made per database by database.engine_options
        self.SQLALCHEMY_RECORD_QUERIES = False
        self.REDIS_URL = env.get("REDIS_URL") or None
        # Every wait on the database is bounded: a statement, a wait for a row or file lock,
        # and a transaction left open by a stalled client (the server ends that session and
        # frees its locks). TCP keepalives notice a peer that vanished.
        self.DB_STATEMENT_TIMEOUT_MS = _env_int("DB_STATEMENT_TIMEOUT_MS", 15000)
        self.DB_LOCK_TIMEOUT_MS = _env_int("DB_LOCK_TIMEOUT_MS", 5000)
        self.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = _env_int(
            "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 10000
        )
        self.DB_TCP_KEEPALIVE_IDLE_SECONDS = _env_int("DB_TCP_KEEPALIVE_IDLE_SECONDS", 30)

        self.STOREFRONT_NAME = env.get("STOREFRONT_NAME", "Storefront Shoes")
        self.STOREFRONT_CURRENCY = env.get("STOREFRONT_CURRENCY", "EUR").upper()
        self.STOREFRONT_LOCALE_DECIMAL = env.get("STOREFRONT_DECIMAL_SEPARATOR", ".")
        self.STOREFRONT_BANK_DETAILS = env.get(
            "STOREFRONT_BANK_DETAILS",
            "Storefront Shoes Ltd · IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX",
        )
        self.PRODUCTS_PER_PAGE = _env_int("PRODUCTS_PER_PAGE", 24)
        self.CART_MAX_QUANTITY = _env_int("CART_MAX_QUANTITY", 99)
        self.SHIPPING_METHODS = _shipping_methods()

        # Mail: SMTP when MAIL_SERVER is set, otherwise messages are written to the log.
        self.MAIL_SERVER = env.get("MAIL_SERVER") or None
        self.MAIL_PORT = _env_int("MAIL_PORT", 25)
        self.MAIL_USERNAME = env.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD") or None
        self.MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
        self.MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
        self.MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 10)
        self.MAIL_DEFAULT_SENDER = env.get("MAIL_DEFAULT_SENDER", "shop@storefront.local")

        # Uploads and images.
        self.MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
        self.IMAGE_MAX_BYTES = _env_int("IMAGE_MAX_BYTES", 5 * 1024 * 1024)
        self.IMAGE_MAX_PIXELS = _env_int("IMAGE_MAX_PIXELS", 40_000_000)
        self.IMAGE_STORAGE = env.get("IMAGE_STORAGE", "local")  # "local" or "database"
        self.IMAGE_STORAGE_PATH = env.get("IMAGE_STORAGE_PATH") or None

        # Sessions and cookies.
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_DURATION = _env_int("REMEMBER_COOKIE_DAYS", 14) * 86400
        self.PERMANENT_SESSION_LIFETIME = _env_int("SESSION_LIFETIME_HOURS", 12) * 3600
        self.PREFERRED_URL_SCHEME = "https" if self.SESSION_COOKIE_SECURE else "http"

        # Passwords (argon2id) and rate limits.
        self.ARGON2_TIME_COST = _env_int("ARGON2_TIME_COST", 3)
        self.ARGON2_MEMORY_COST = _env_int("ARGON2_MEMORY_COST", 65536)
        self.ARGON2_PARALLELISM = _env_int("ARGON2_PARALLELISM", 4)
        self.RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_HEADERS_ENABLED = True
        self.PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 3600)

        # Caching of anonymous catalogue pages and shared lookups.
        self.CACHE_TYPE = "RedisCache" if self.REDIS_URL else "SimpleCache"
        self.CACHE_REDIS_URL = self.REDIS_URL
        self.CACHE_DEFAULT_TIMEOUT = _env_int("CACHE_DEFAULT_TIMEOUT", 300)
        self.CACHE_KEY_PREFIX = env.get("CACHE_KEY_PREFIX", "storefront:")
        # Pages are compressed per request (static files once, by `make serve`): the fastest
        # levels. A 54 kB list page: zstd 1 in 68 us (5.9 kB) against 120 us at Flask-Compress's
        # default 3 (5.6 kB); brotli 1 in 75 us against 380 us; gzip 1 in 120 us against 500 us.
        self.COMPRESS_ZSTD_LEVEL = 1
        self.COMPRESS_BR_LEVEL = 1
        self.COMPRESS_LEVEL = 1

        self.WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
        self.SEND_FILE_MAX_AGE_DEFAULT = 0
        self.STATIC_MAX_AGE = _env_int("STATIC_MAX_AGE", 365 * 86400)
        # How many proxies (nginx, a load balancer) stand in front: their X-Forwarded-* is trusted.
        self.TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")

    @property
    def is_production(self) -> bool:
        """Return True when the shop runs in production mode."""
        return self.ENV_NAME == "production"

    def finalize(self, instance_path: str) -> None:
        """Fill the settings that depend on the instance folder."""
        folder = Path(instance_path)
        if not self.SQLALCHEMY_DATABASE_URI:
            folder.mkdir(parents=True, exist_ok=True)
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'storefront.sqlite3'}"
        if not self.IMAGE_STORAGE_PATH:
            self.IMAGE_STORAGE_PATH = str(folder / "images")
        if not self.SECRET_KEY:
            if self.is_production:
                raise ConfigError(
                    "SECRET_KEY is not set: production mode refuses to start without it."
                )
            self.SECRET_KEY = _instance_secret_key(folder)


def _instance_secret_key(folder: Path) -> str:
    """Return the development secret key kept in the instance folder, creating it once."""
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


class TestConfig(Config):
    """Settings for the test suite: fast hashing, no mail, CSRF on as in production."""

    __test__ = False  # not a pytest test class

    def __init__(self, database_url: str, instance_path: str) -> None:
        super().__init__()
        self.ENV_NAME = "testing"
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key-not-for-production"
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.REDIS_URL = None
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.CACHE_TYPE = "SimpleCache"  # one per app, so per test
        self.MAIL_SERVER = None
        self.ARGON2_TIME_COST = 1
        self.ARGON2_MEMORY_COST = 1024
        self.ARGON2_PARALLELISM = 1
        self.IMAGE_STORAGE = "local"
        self.IMAGE_STORAGE_PATH = str(Path(instance_path) / "images")
        self.SERVER_NAME = None
