"""Answer a guest's request for a stored page before Flask's request cycle begins.

A stored page is the same bytes for every guest, so a hit needs nothing of what Flask sets up
for a request: no URL matching, no view, no database. `StoredPageFront` wraps the app's WSGI
callable (inside `HostGuard`, which refuses hosts the shop does not serve) and answers a GET or
HEAD itself when the visitor is a guest (no remember-me cookie; a session, opened with the app's
own session interface, with no login and no message waiting) and the page is stored. It sends
the smallest encoding the client accepts, answers a matching `If-None-Match` with 304, and adds
the headers Flask would: Cache-Control, Vary and the security headers. Everything else goes on
to Flask unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask
from werkzeug.http import parse_cookie, parse_etags

from storefront.web.headers import security_headers
from storefront.web.page_store import (
    StoredPage,
    find_page,
    is_personal_session,
    public_cache_control,
)

VARY = "Accept-Encoding, Cookie"


class StoredPageFront:
    """WSGI middleware: serve stored guest pages, pass every other request to `wsgi_app`."""

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Answer from the page store, or hand the request to Flask."""
        page = self._page_for(environ)
        if page is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = self._answer(environ, page)
        start_response(status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _page_for(self, environ: dict) -> StoredPage | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        app = self.app
        cookies = parse_cookie(environ.get("HTTP_COOKIE"))
        if app.config["REMEMBER_COOKIE_NAME"] in cookies:
            return None
        if app.config["SESSION_COOKIE_NAME"] in cookies:
            request = app.request_class(environ, populate_request=False, shallow=True)
            visitor_session = app.session_interface.open_session(app, request)
            if visitor_session is None or is_personal_session(visitor_session):
                return None
        return find_page(app, environ)

    def _answer(self, environ: dict, page: StoredPage) -> tuple[str, list, bytes]:
        coding = page.encoding_for(environ.get("HTTP_ACCEPT_ENCODING"))
        etag = page.etag_for(coding)
        headers = [
            ("ETag", f'"{etag}"'),
            ("Cache-Control", public_cache_control(self.app)),
            ("Vary", VARY),
            *security_headers(self.app, environ.get("wsgi.url_scheme") == "https"),
        ]
        if self.app.config["PAGE_CACHE_HEADER"]:
            headers.append(("X-Page-Cache", "hit"))
        if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains(etag):
            return "304 Not Modified", headers, b""
        body = page.bodies[coding]
        headers += [("Content-Type", page.content_type), ("Content-Length", str(len(body)))]
        if coding != "identity":
            headers.append(("Content-Encoding", coding))
        return "200 OK", headers, body
