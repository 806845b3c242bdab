"""Input the shop refuses before any view: malformed hosts, NUL bytes, ids no table can hold."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from flask import Flask, abort, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from werkzeug.sansio.utils import host_is_trusted

# A host name of LDH labels of at most 63 characters, or an IPv4 or bracketed IPv6 address,
# with an optional port: what RFC 3986 and RFC 1123 allow, and what IDNA can encode.
_HOST = re.compile(
    r"(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?"
    r"|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
)
LARGEST_ID = 2**31 - 1  # the largest INTEGER: the type of every table's key on every database
NUL_REFUSED = "The request contained a NUL character, which no field accepts."


class HostGuard:
    """WSGI middleware: answer 400 to a Host header that is malformed or not in TRUSTED_HOSTS.

    Flask checks TRUSTED_HOSTS too, but a malformed name makes that check raise (IDNA cannot
    encode a label over 63 characters), and a refused host leaves Flask no URLs to build its
    error page with; refused here, neither reaches Flask. The proxy settings apply first.
    """

    def __init__(self, wsgi_app: Callable, trusted_hosts: list[str] | None) -> None:
        self.wsgi_app = wsgi_app
        self.trusted_hosts = trusted_hosts

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Refuse a malformed or unknown Host, or hand the request on."""
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if len(host) > 260 or not _HOST.fullmatch(host):
            return BadRequest("The Host header is not a valid host name.")(environ, start_response)
        if self.trusted_hosts is not None and not host_is_trusted(host, self.trusted_hosts):
            refusal = BadRequest(f"This shop does not answer to the host name {host}.")
            return refusal(environ, start_response)
        return self.wsgi_app(environ, start_response)


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in a route: a whole number no larger than a database key can be (else 404)."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int = 0, max: int = LARGEST_ID):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max)


def _holds_nul(fields) -> bool:
    """Return True if a MultiDict has a NUL byte in any name or any of its values."""
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in fields.lists()
    )


def register_request_guards(app: Flask) -> None:
    """Bound `<int:>` route segments and refuse NUL bytes in paths, query strings and forms."""
    app.url_map.converters["int"] = RecordIdConverter

    @app.before_request
    def refuse_nul_bytes():
        if "\x00" in request.path or _holds_nul(request.args):
            abort(400, NUL_REFUSED)
        if request.method not in ("GET", "HEAD") and request.mimetype in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            names = (upload.filename or "" for upload in request.files.values())
            if _holds_nul(request.form) or any("\x00" in name for name in names):
                abort(400, NUL_REFUSED)
