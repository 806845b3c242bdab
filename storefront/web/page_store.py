"""Guest pages stored once: the same bytes for every guest, compressed once per encoding.

The catalogue's public pages (`GUEST_PAGES`) hold nothing of the visitor: no CSRF token, no
cart count, no name. When one is rendered for a guest with no message waiting, it is kept as
its plain bytes and compressed once in each encoding browsers ask for, after the response has
gone (`call_on_close`). `page_front` answers the next guests from it before Flask starts.

Every key holds the catalogue version; any change to the catalogue sets a new one, which
retires every stored page at once. With Redis the version and the pages are shared by every
app server, and `version_watch` keeps each process's copy of the version current. Each
process also keeps its recent pages in memory, so a hit needs no round trip.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import secrets
import threading
from dataclasses import dataclass

import brotli
from cachelib import BaseCache
from cachetools import TTLCache
from flask import Flask, Response, current_app, g, has_app_context, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import Accept
from werkzeug.http import parse_accept_header

from storefront.catalog.models import Category, Product, ProductImage, Variant
from storefront.catalog.navigation import forget_nav_categories, forget_size_labels
from storefront.extensions import cache, db
from storefront.inventory.events import stock_level_changed
from storefront.inventory.levels import change_shows_on_pages
from storefront.web.version_watch import VersionWatch

#: Endpoints whose pages are the same for every guest.
GUEST_PAGES = frozenset(
    {"catalog.home", "catalog.products", "catalog.category", "catalog.search", "catalog.product"}
)
VERSION_KEY = "catalog-version"
PAGE_KEY_PREFIX = "page-v4"  # changes whenever what an entry holds changes
LOCAL_PAGES = 256  # pages each process keeps in memory
_PENDING = "storefront.catalog_changes"
_LOCAL_PAGES_KEY = "storefront.local_pages"
_VERSION_WATCH_KEY = "storefront.catalog_version_watch"
# Session keys that make a visit personal: a login, or a message waiting to be shown.
PERSONAL_SESSION_KEYS = ("_user_id", "_flashes")
BROTLI_QUALITY = 9
GZIP_LEVEL = 9


@dataclass(frozen=True)
class StoredPage:
    """A page as stored: its type, an entity tag of its bytes, and its bytes per encoding."""

    content_type: str
    etag: str
    bodies: dict[str, bytes]  # "identity", and "br" and "gzip" where they are smaller

    @classmethod
    def compress(cls, content_type: str, body: bytes) -> StoredPage:
        """Return the page `body`, compressed once in each encoding that makes it smaller."""
        bodies = {"identity": body}
        for coding, packed in (
            ("br", brotli.compress(body, quality=BROTLI_QUALITY)),
            ("gzip", gzip.compress(body, GZIP_LEVEL, mtime=0)),
        ):
            if len(packed) < len(body):
                bodies[coding] = packed
        return cls(content_type, page_etag(body), bodies)

    def encoding_for(self, accept_encoding: str | None) -> str:
        """Return the smallest stored encoding the client accepts ("identity" at worst)."""
        if not accept_encoding or len(self.bodies) == 1:
            return "identity"
        accepted: Accept = parse_accept_header(accept_encoding)
        best = "identity"
        for coding, body in self.bodies.items():
            if accepted[coding] > 0 and len(body) < len(self.bodies[best]):
                best = coding
        return best

    def etag_for(self, coding: str) -> str:
        """Return the entity tag of the page in `coding` (each encoding is its own entity)."""
        return self.etag if coding == "identity" else f"{self.etag}-{coding}"


def page_etag(body: bytes) -> str:
    """Return the entity tag of a page's plain bytes."""
    return hashlib.blake2b(body, digest_size=12).hexdigest()


def public_cache_control(app: Flask) -> str:
    """Return the Cache-Control of a stored page: shared caches may keep it briefly."""
    return (
        f"public, max-age={app.config['PAGE_MAX_AGE']}, "
        f"stale-while-revalidate={app.config['PAGE_STALE_WHILE_REVALIDATE']}"
    )


def cache_store(app: Flask | None = None) -> BaseCache:
    """Return the cache backend (in memory, or Redis) of `app`, the current app by default."""
    return (app or current_app).extensions["cache"][cache]


def _is_shared(app: Flask) -> bool:
    return app.config.get("CACHE_TYPE") != "SimpleCache"


def version_watch(app: Flask) -> VersionWatch | None:
    """Return the app's watch on a version shared through Redis (None for an in-memory cache)."""
    watch = app.extensions.get(_VERSION_WATCH_KEY)
    if watch is None and _is_shared(app):
        store = cache_store(app)
        watch = app.extensions.setdefault(
            _VERSION_WATCH_KEY,
            VersionWatch(
                app.config["CACHE_REDIS_URL"],
                f"{app.config['CACHE_KEY_PREFIX']}{VERSION_KEY}",
                lambda: store.get(VERSION_KEY),
            ),
        )
    return watch


def catalog_version(app: Flask | None = None) -> str | None:
    """Return the current catalogue version (None while the shared cache cannot be reached)."""
    app = app or current_app._get_current_object()
    watch = version_watch(app)
    version = watch.current() if watch is not None else None
    if version is not None:
        return version
    store = cache_store(app)
    version = store.get(VERSION_KEY)
    if version is None:
        # A fresh random value, never a counter: an evicted key cannot revive old pages.
        if store.add(VERSION_KEY, secrets.token_hex(8), timeout=0) and watch is not None:
            watch.announce_change()
        version = store.get(VERSION_KEY)
    return version


def bump_catalog_version(app: Flask | None = None) -> None:
    """Retire every stored page: now, or when the open transaction commits.

    Within a transaction the change is only noted, so an import that changes thousands of
    variants sets one new version, once what it wrote can be read.
    """
    db_session = db.session()
    if db_session.in_transaction():
        db_session.info.setdefault(_PENDING, set()).add("pages")
    else:
        _set_new_version(app or current_app._get_current_object())


def _set_new_version(app: Flask) -> None:
    cache_store(app).set(VERSION_KEY, secrets.token_hex(8), timeout=0)
    watch = version_watch(app)
    if watch is not None:
        watch.announce_change()


def page_key(environ: dict, version: str) -> str:
    """Return the key of the page a WSGI request asks for, in a catalogue version."""
    address = "{}{}?{}".format(
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )
    path_hash = hashlib.blake2b(address.encode("utf-8", "surrogateescape"), digest_size=16)
    return f"{PAGE_KEY_PREFIX}:{version}:{path_hash.hexdigest()}"


class _LocalPages:
    """A process's recent pages (least recently used forgotten first), safe across threads."""

    def __init__(self, capacity: int, seconds: int) -> None:
        self._pages: TTLCache = TTLCache(maxsize=capacity, ttl=seconds)
        self._lock = threading.Lock()

    def get(self, key: str) -> StoredPage | None:
        with self._lock:
            return self._pages.get(key)

    def set(self, key: str, page: StoredPage) -> None:
        with self._lock:
            self._pages[key] = page


def _local_pages(app: Flask) -> _LocalPages:
    local = app.extensions.get(_LOCAL_PAGES_KEY)
    if local is None:
        local = app.extensions.setdefault(
            _LOCAL_PAGES_KEY, _LocalPages(LOCAL_PAGES, app.config["CACHE_DEFAULT_TIMEOUT"])
        )
    return local


def find_page(app: Flask, environ: dict) -> StoredPage | None:
    """Return the stored page a WSGI request asks for, or None."""
    version = catalog_version(app)
    if version is None:
        return None
    key = page_key(environ, version)
    local = _local_pages(app)
    page = local.get(key)
    if page is None and _is_shared(app):
        page = cache_store(app).get(key)
        if isinstance(page, StoredPage):
            local.set(key, page)
        else:
            page = None
    return page


def _store_page(app: Flask, key: str, content_type: str, body: bytes) -> None:
    page = StoredPage.compress(content_type, body)
    _local_pages(app).set(key, page)
    if _is_shared(app):
        cache_store(app).set(key, page, timeout=app.config["CACHE_DEFAULT_TIMEOUT"])


def is_personal_session(visitor_session) -> bool:
    """Return True if a session holds a login or a message waiting to be shown."""
    return any(name in visitor_session for name in PERSONAL_SESSION_KEYS)


def _store_guest_page(response: Response) -> Response:
    """Give a guest page its public headers and keep it, once sent, for the next guests."""
    if request.endpoint not in GUEST_PAGES or request.method not in ("GET", "HEAD"):
        return response
    app = current_app._get_current_object()
    remember_cookie = app.config["REMEMBER_COOKIE_NAME"]
    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
        or session.modified
        or is_personal_session(session)
        or remember_cookie in request.cookies
        or request.method == "HEAD"
    ):
        return response
    version = g.get("page_version")
    if version is None:
        return response
    response.headers["Cache-Control"] = public_cache_control(app)
    response.vary.add("Cookie")
    if app.config["PAGE_CACHE_HEADER"]:
        response.headers["X-Page-Cache"] = "miss"
    key = page_key(request.environ, version)
    body = response.get_data()
    response.call_on_close(functools.partial(_store_page, app, key, response.content_type, body))
    return response


def _note_page_version() -> None:
    """Keep the version a guest page is rendered in: it is stored under that one.

    A change committed while the page renders sets a newer version, so a page that may show
    what was there before is never stored where the next guests look.
    """
    if request.endpoint in GUEST_PAGES:
        g.page_version = catalog_version(current_app._get_current_object())


def _note_catalog_changes(db_session: Session, _flush_context) -> None:
    """Note what the flushed records change: pages, the category menu, the size list."""
    kinds = {type(record) for record in (*db_session.new, *db_session.dirty, *db_session.deleted)}
    pending = db_session.info.setdefault(_PENDING, set())
    if kinds & {Category, Product, ProductImage, Variant}:
        pending.add("pages")
    if Category in kinds:
        pending.add("categories")
    if Variant in kinds:
        pending.add("sizes")


def _retire_after_commit(db_session: Session) -> None:
    pending = db_session.info.pop(_PENDING, set())
    if not pending or not has_app_context():
        return
    if "pages" in pending:
        # Not bump_catalog_version: the committing transaction still counts as open here,
        # and noting the change again would retire every page at each later commit.
        _set_new_version(current_app._get_current_object())
    if "categories" in pending:
        forget_nav_categories()
    if "sizes" in pending:
        forget_size_labels()


def _forget_pending(db_session: Session) -> None:
    db_session.info.pop(_PENDING, None)


def _on_stock_level_changed(variant_id, before=None, after=None, badge_threshold=None, **_):
    if has_app_context() and change_shows_on_pages(variant_id, before, after, badge_threshold):
        bump_catalog_version()


def register_page_store(app: Flask) -> None:
    """Store guest pages once sent, and retire them when the catalogue changes."""
    app.before_request(_note_page_version)
    app.after_request(_store_guest_page)
    stock_level_changed.connect(_on_stock_level_changed, weak=False)  # idempotent
    if not event.contains(Session, "after_commit", _retire_after_commit):
        # Any flushed change to a product, variant, image or category retires stored pages
        # once committed: one mechanism, so no service has to remember to call it.
        event.listen(Session, "after_flush", _note_catalog_changes)
        event.listen(Session, "after_commit", _retire_after_commit)
        event.listen(Session, "after_rollback", _forget_pending)
