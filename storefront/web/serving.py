"""The WSGI stack: host check, static files, proxy headers and stored pages in front of Flask.

Static files are served by WhiteNoise in front of the Flask app: no session, no database,
headers computed once at start-up, ETag/Last-Modified answered with 304, and the pre-compressed
`.br`/`.gz` siblings that `make serve` writes served to browsers that accept them. Every
`url_for('static', ...)` carries `?v=<content hash>`, so a one-year max-age is safe: a changed
file gets a new URL. Stored guest pages are answered next (`page_front`), then Flask.
"""

from __future__ import annotations

import hashlib
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from storefront.web.page_front import StoredPageFront
from storefront.web.request_guards import HostGuard


def register_serving(app: Flask) -> None:
    """Wrap the app in its WSGI stack and version the static URLs."""
    # Inside ProxyFix, so that they see the host and scheme it restores.
    app.wsgi_app = StoredPageFront(app, app.wsgi_app)
    app.wsgi_app = HostGuard(app.wsgi_app, app.config["TRUSTED_HOSTS"])
    _trust_proxy_headers(app)
    _serve_static_with_whitenoise(app)
    _version_static_urls(app)


def _trust_proxy_headers(app: Flask) -> None:
    # Behind nginx every request comes from nginx: without this, rate limits would count
    # all visitors as one address. Only as many X-Forwarded-* values as there are proxies
    # are believed; absolute URLs come from SHOP_URL whatever they say.
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )


def _serve_static_with_whitenoise(app: Flask) -> None:
    def add_headers(headers, _path, _url) -> None:
        headers["X-Content-Type-Options"] = "nosniff"

    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=app.static_folder,
        prefix=app.static_url_path,
        max_age=app.config["STATIC_MAX_AGE"],
        autorefresh=app.debug,  # re-scan on each request only while developing
        add_headers_function=add_headers,
    )


def static_file_version(folder: str, filename: str) -> str | None:
    """Return a short hash of a static file's content, or None if there is no such file."""
    path = os.path.realpath(os.path.join(folder, filename))
    if not path.startswith(os.path.realpath(folder) + os.sep) or not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=6).hexdigest()


def _version_static_urls(app: Flask) -> None:
    # Derived from the files on disk, never from a request: safe to keep per process.
    versions: dict[str, str | None] = {}

    @app.url_defaults
    def add_static_version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        filename = values["filename"]
        if filename not in versions or app.debug:
            versions[filename] = static_file_version(app.static_folder, filename)
        if versions[filename]:
            values["v"] = versions[filename]
