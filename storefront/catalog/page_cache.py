"""Whole-page cache for catalogue pages seen by guests, invalidated by one catalogue version.

A page is cached only for a visitor who has nothing personal in the session (no login, no cart,
no flashed message), and only if rendering it changed nothing in the session but the CSRF token.
That token is personal: it is cut out of the stored HTML and the visitor's own token is put back
on every hit, so a cached add-to-cart form still posts. A browser that accepts gzip gets the page
as compressed once, when stored, with its token filled in (`page_gzip`); such hits are
answered before Flask's request cycle (`page_front`). Any change to the catalogue bumps the
version that is part of every key, which retires all stored pages at once (in Redis when
REDIS_URL is set, so every app server sees the same version; `version_watch` keeps each
process's copy of it current).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import redis
from cachelib import BaseCache
from flask import Flask, Request, Response, current_app, g, has_app_context, request, session
from flask.sessions import SessionMixin
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from storefront.catalog import page_gzip
from storefront.catalog.version_watch import VersionWatch
from storefront.extensions import cache, db
from storefront.inventory.events import stock_level_changed

VERSION_KEY = "catalog-version"
# Part of every page key: a change to what an entry holds must change it, or a server would
# read entries stored by the version before it.
PAGE_KEY_PREFIX = "page-v3"
_PENDING_BUMP = "storefront.bump_catalog_version"
_PENDING_CATEGORIES = "storefront.forget_nav_categories"
_PENDING_SIZES = "storefront.forget_size_labels"
_LOCAL_PAGES_KEY = "storefront.local_pages"
_VERSION_WATCH_KEY = "storefront.catalog_version_watch"
LOCAL_PAGES = 256  # pages each process keeps (up to about 60 kB each)
# Session keys a guest may carry and still be served a shared page.
_IMPERSONAL_SESSION_KEYS = frozenset({"csrf_token", "_permanent"})


def cache_store(app: Flask | None = None) -> BaseCache:
    """Return the cache backend (in memory, or Redis) of `app`, the current app by default."""
    return (app or current_app).extensions["cache"][cache]


def version_watch(app: Flask) -> VersionWatch | None:
    """Return the app's watch on a version shared through Redis (None for an in-memory cache)."""
    watch = app.extensions.get(_VERSION_WATCH_KEY)
    if watch is None and app.config.get("CACHE_TYPE") == "RedisCache":
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


def catalog_version(app: Flask | None = None) -> str:
    """Return the current catalogue version, creating one if the cache has none."""
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


def _set_new_version() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=0)
    watch = version_watch(current_app)
    if watch is not None:
        watch.announce_change()


def bump_catalog_version() -> None:
    """Retire every cached catalogue page now, and again when the open transaction commits."""
    _set_new_version()
    # A page rendered before the commit could otherwise be stored under the new version.
    db_session = db.session()
    if db_session.in_transaction():
        db_session.info[_PENDING_BUMP] = True


def _note_catalog_changes(db_session: Session, _flush_context) -> None:
    """Mark the transaction as changing the catalogue when it wrote any catalogue record."""
    from storefront.catalog.models import Category, Product, ProductImage, Variant

    changed = (*db_session.new, *db_session.dirty, *db_session.deleted)
    kinds = {type(record) for record in changed}
    if kinds & {Category, Product, ProductImage, Variant}:
        db_session.info[_PENDING_BUMP] = True
    if Category in kinds:
        db_session.info[_PENDING_CATEGORIES] = True
    if Variant in kinds:
        db_session.info[_PENDING_SIZES] = True


def _bump_after_commit(db_session: Session) -> None:
    if not has_app_context():
        return
    from storefront.catalog.navigation import forget_nav_categories, forget_size_labels

    if db_session.info.pop(_PENDING_BUMP, False):
        _set_new_version()
    if db_session.info.pop(_PENDING_CATEGORIES, False):
        forget_nav_categories()
    if db_session.info.pop(_PENDING_SIZES, False):
        forget_size_labels()


def _forget_pending_bump(db_session: Session) -> None:
    for key in (_PENDING_BUMP, _PENDING_CATEGORIES, _PENDING_SIZES):
        db_session.info.pop(key, None)


def shows_differently(
    variant_id: int, before: int | None, after: int | None, badge_threshold: int | None = None
) -> bool:
    """Return True if a guest could see a stock change from `before` to `after` on a page.

    Pages show a variant's stock only as: sold out or not, a quantity limit of at most
    CART_MAX_QUANTITY, and the product's "Only N left" badge while the product's total stock is
    at or below its highest low-stock threshold. A sale from 500 to 499 shows nowhere, and
    retiring every cached page for it would empty the cache at each order. `badge_threshold`,
    that highest threshold, is read here unless the caller already knows it.
    """
    if before is None or after is None:
        return True
    limit = int(current_app.config["CART_MAX_QUANTITY"])
    if min(before, limit) != min(after, limit):
        return True  # sold out, back in stock, or a different quantity limit
    threshold = badge_threshold
    if threshold is None:
        from storefront.catalog.models import Variant

        product_id = select(Variant.product_id).where(Variant.id == variant_id).scalar_subquery()
        threshold = db.session.scalar(
            select(func.max(Variant.low_stock_threshold)).where(Variant.product_id == product_id)
        )
    # The product's total is at least this variant's stock: above the threshold, no badge moves.
    return threshold is None or min(before, after) <= threshold


def _on_stock_level_changed(
    variant_id, before=None, after=None, badge_threshold=None, **_extra
) -> None:
    if has_app_context() and shows_differently(variant_id, before, after, badge_threshold):
        bump_catalog_version()


def connect_invalidation() -> None:
    """Bump the catalogue version when stock changes and after the commit that changed it."""
    stock_level_changed.connect(_on_stock_level_changed, weak=False)  # idempotent
    if not event.contains(Session, "after_commit", _bump_after_commit):
        # Any flushed change to a product, variant, image or category retires cached pages
        # once committed: one mechanism, so no service has to remember to call it.
        event.listen(Session, "after_flush", _note_catalog_changes)
        event.listen(Session, "after_commit", _bump_after_commit)
        event.listen(Session, "after_rollback", _forget_pending_bump)


def is_impersonal_visit(app: Flask, request: Request, visitor_session: SessionMixin) -> bool:
    """Return True for a GET by a guest with no login, cart or flashed message."""
    remember_cookie = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return (
        request.method in {"GET", "HEAD"}
        and remember_cookie not in request.cookies
        and set(visitor_session.keys()) <= _IMPERSONAL_SESSION_KEYS
    )


def page_key(environ: dict, version: str) -> str:
    """Return the cache key of the page a WSGI request asks for, in a catalogue version."""
    address = "{}{}?{}".format(
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )
    path_hash = hashlib.blake2b(address.encode("utf-8", "surrogatepass"), digest_size=16)
    return f"{PAGE_KEY_PREFIX}:{version}:{path_hash.hexdigest()}"


class LocalPages:
    """A process's recent pages, least recently used forgotten first, kept unpickled.

    Thread-safe; an entry expires after its timeout (None or 0: never). Entries are immutable
    (bytes, tuples and a frozen `GzippedPage`), so a hit hands out the stored object itself.
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        """Return the entry under `key`, or None if there is none or it has expired."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if found[0] and found[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return found[1]

    def set(self, key: str, entry: tuple, timeout: int | None = None) -> None:
        """Keep `entry` under `key` for `timeout` seconds, forgetting the least recently used."""
        expires = time.monotonic() + timeout if timeout else 0.0
        with self._lock:
            self._entries[key] = (expires, entry)
            self._entries.move_to_end(key)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)


def _local_pages(app: Flask) -> LocalPages:
    """Return this process's copies of recent pages.

    In memory they are the page cache itself. With Redis they stand in front of it, so a hit
    needs no transfer of the page; the catalogue version, part of every key, still retires
    them when any server bumps it (`version_watch` keeps it without a round trip per hit).
    """
    local = app.extensions.get(_LOCAL_PAGES_KEY)
    if local is None:
        local = app.extensions.setdefault(_LOCAL_PAGES_KEY, LocalPages(LOCAL_PAGES))
    return local


def _is_shared(app: Flask) -> bool:
    return app.config.get("CACHE_TYPE") != "SimpleCache"


def find_page(app: Flask, key: str) -> tuple | None:
    """Return the stored entry under `key`: (status, content type, pieces, gzip, token length)."""
    local = _local_pages(app)
    entry = local.get(key)
    if entry is None and _is_shared(app):
        entry = cache_store(app).get(key)
        if entry is not None:
            local.set(key, entry, timeout=app.config["CACHE_DEFAULT_TIMEOUT"])
    return entry


def _store_page(app: Flask, key: str, page: tuple, timeout: int | None) -> None:
    """Gzip a page (status, content type, pieces, token length) and store it under `key`.

    Runs once the response has gone to the visitor (`call_on_close`), out of any app context:
    gzipping costs 3 ms of a 54 kB page, which no visitor needs to wait for.
    """
    status, content_type, pieces, token_length = page
    entry = (status, content_type, pieces, page_gzip.gzip_page(pieces, token_length), token_length)
    _local_pages(app).set(key, entry, timeout=timeout)
    if _is_shared(app):
        try:
            cache_store(app).set(key, entry, timeout=timeout)
        except (redis.RedisError, OSError):  # a cache that is down costs only the hit
            app.logger.exception("Could not store a page in the shared cache.")


def _storable_page(response: Response, session_before: dict) -> tuple | None:
    """Return (status, content type, pieces, token length) of a response anyone may see.

    None if it is personal. The pieces are the page cut where the visitor's CSRF token was.
    """
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or response.mimetype != "text/html"
        or "Set-Cookie" in response.headers
    ):
        return None
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    after = {key: value for key, value in session.items() if key != field}
    before = {key: value for key, value in session_before.items() if key != field}
    if after != before:
        return None
    body = response.get_data()
    signed_token = (g.get(field) or "").encode()
    pieces = tuple(body.split(signed_token)) if signed_token else (body,)
    return (response.status_code, response.content_type, pieces, len(signed_token))


def _replay(entry: tuple) -> Response:
    """Return the stored page with the visitor's own CSRF token, gzipped if they accept it."""
    status, content_type, pieces, gzipped, token_length = entry
    token = generate_csrf().encode() if len(pieces) > 1 else b""
    if gzipped and request.accept_encodings["gzip"] and len(token) == token_length:
        body = page_gzip.gzip_filled(gzipped, token)
        response = Response(body, status, content_type=content_type)
        response.headers["Content-Encoding"] = "gzip"
    else:  # Flask-Compress compresses it as it would any page
        response = Response(token.join(pieces), status, content_type=content_type)
    response.headers["X-Page-Cache"] = "hit"
    return response


def cached_for_guests(timeout: int | None = None) -> Callable:
    """Cache a view's whole page for guests for `timeout` seconds or until the catalogue changes."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not is_impersonal_visit(current_app, request, session):
                return view(*args, **kwargs)
            key = page_key(request.environ, catalog_version(current_app))
            entry = find_page(current_app, key)
            if entry is not None:
                return _replay(entry)
            session_before = dict(session)
            response = current_app.make_response(view(*args, **kwargs))
            page = _storable_page(response, session_before)
            if page is not None:
                app = current_app._get_current_object()
                response.call_on_close(functools.partial(_store_page, app, key, page, timeout))
                response.headers["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator
