"""Settings read from the environment, with safe defaults for local use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit


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


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


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
        # The shop's public address: every absolute URL (mails, canonical links, JSON-LD) is
        # built from it, never from a request's Host. Required in production.
        self.SHOP_URL = env.get("SHOP_URL") or None
        # Host names the shop answers (Flask refuses others with 400); SHOP_URL's by default.
        self.TRUSTED_HOSTS: list[str] | None = _env_list("TRUSTED_HOSTS") or None
        # Origins besides the shop's own that may send forms (storefront/web/csrf.py).
        self.CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
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
        # The owner's notice of each new order goes here (unset: none is sent).
        self.MAIL_NEW_ORDER_TO = env.get("MAIL_NEW_ORDER_TO") or None
        # The outbox: every message is a row written with the change that causes it, sent by
        # `flask worker`. A failed try waits BACKOFF, then twice as long each time, until
        # MAX_ATTEMPTS tries have failed; a claimed message whose worker died is due again
        # after CLAIM_TIMEOUT (longer than a batch's SMTP timeouts, so a slow worker keeps it).
        self.OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 8)
        self.OUTBOX_BACKOFF_SECONDS = _env_int("OUTBOX_BACKOFF_SECONDS", 30)
        self.OUTBOX_CLAIM_TIMEOUT_SECONDS = _env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 300)
        self.OUTBOX_POLL_MILLISECONDS = _env_int("OUTBOX_POLL_MILLISECONDS", 1000)
        self.OUTBOX_BATCH_SIZE = _env_int("OUTBOX_BATCH_SIZE", 10)

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
        self.REMEMBER_COOKIE_NAME = "remember_token"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_DURATION = _env_int("REMEMBER_COOKIE_DAYS", 14) * 86400
        self.PERMANENT_SESSION_LIFETIME = _env_int("SESSION_LIFETIME_HOURS", 12) * 3600

        # Passwords (argon2id) and rate limits.
        self.ARGON2_TIME_COST = _env_int("ARGON2_TIME_COST", 3)
        self.ARGON2_MEMORY_COST = _env_int("ARGON2_MEMORY_COST", 65536)
        self.ARGON2_PARALLELISM = _env_int("ARGON2_PARALLELISM", 4)
        self.RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        # With Redis unreachable, limits are counted per process until it is back.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        self.RATELIMIT_HEADERS_ENABLED = True
        self.PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 3600)

        # Caching of anonymous catalogue pages and shared lookups.
        # Redis errors count as misses there (storefront/web/shared_cache.py): never a 500.
        self.CACHE_TYPE = (
            "storefront.web.shared_cache.TolerantRedisCache" if self.REDIS_URL else "SimpleCache"
        )
        self.CACHE_REDIS_URL = self.REDIS_URL
        self.CACHE_OPTIONS = (
            {"socket_timeout": 0.5, "socket_connect_timeout": 0.5} if self.REDIS_URL else {}
        )
        self.CACHE_DEFAULT_TIMEOUT = _env_int("CACHE_DEFAULT_TIMEOUT", 300)
        self.CACHE_KEY_PREFIX = env.get("CACHE_KEY_PREFIX", "storefront:")
        # Stored guest pages (storefront/web/page_store.py): how long a browser, nginx or a CDN
        # may keep one, and serve it stale while it fetches a fresh copy.
        self.PAGE_MAX_AGE = _env_int("PAGE_MAX_AGE", 30)
        self.PAGE_STALE_WHILE_REVALIDATE = _env_int("PAGE_STALE_WHILE_REVALIDATE", 60)
        self.PAGE_CACHE_HEADER = self.ENV_NAME != "production"  # X-Page-Cache: hit or miss
        # Personal pages are compressed per response (stored pages and static files once):
        # the fastest levels, as a page is read once.
        self.COMPRESS_ZSTD_LEVEL = 1
        self.COMPRESS_BR_LEVEL = 1
        self.COMPRESS_LEVEL = 1

        # Forgery is refused by origin (storefront/web/csrf.py), so forms carry no token.
        self.WTF_CSRF_ENABLED = False
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
        self._apply_shop_url()
        if not self.SECRET_KEY:
            if self.is_production:
                raise ConfigError(
                    "SECRET_KEY is not set: production mode refuses to start without it."
                )
            self.SECRET_KEY = _instance_secret_key(folder)

    def _apply_shop_url(self) -> None:
        """Derive Flask's SERVER_NAME, URL scheme and TRUSTED_HOSTS from SHOP_URL."""
        if not self.SHOP_URL:
            if self.is_production:
                raise ConfigError(
                    "SHOP_URL is not set: production mode needs the shop's public address "
                    "(e.g. https://shop.example.com) for the links in its mails and pages."
                )
            self.SHOP_URL = "http://127.0.0.1:5000"
        parts = urlsplit(self.SHOP_URL)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
            raise ConfigError(
                f"SHOP_URL must be http(s)://host[:port] with no path, not {self.SHOP_URL!r}."
            )
        self.SHOP_URL = f"{parts.scheme}://{parts.netloc}"
        self.SERVER_NAME = parts.netloc
        self.PREFERRED_URL_SCHEME = parts.scheme
        if self.TRUSTED_HOSTS is None:
            self.TRUSTED_HOSTS = [parts.hostname]
            if not self.is_production:
                self.TRUSTED_HOSTS += ["localhost", "127.0.0.1", "::1"]


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
    """Settings for the test suite: fast hashing, no mail, the shop at http://localhost."""

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
        self.CACHE_OPTIONS = {}
        # Tests that race requests hold rows locked, and the test's own session sits idle in
        # a transaction between its requests: waits long enough for both.
        self.DB_LOCK_TIMEOUT_MS = 30_000
        self.DB_STATEMENT_TIMEOUT_MS = 60_000  # MariaDB counts a statement's lock wait in it
        self.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 120_000
        self.MAIL_SERVER = None
        self.ARGON2_TIME_COST = 1
        self.ARGON2_MEMORY_COST = 1024
        self.ARGON2_PARALLELISM = 1
        self.IMAGE_STORAGE = "local"
        self.IMAGE_STORAGE_PATH = str(Path(instance_path) / "images")
        self.SHOP_URL = "http://localhost"
        self.TRUSTED_HOSTS = ["localhost", "127.0.0.1"]
