"""Cross-site request forgery refused by origin, not by token.

The algorithm of Go's `net/http.CrossOriginProtection` (also tower-http's `csrf` and
filippo.io/csrf), applied once before every view:

1. GET, HEAD and OPTIONS are allowed: they change nothing.
2. An `Origin` on the configured trusted list (`CSRF_TRUSTED_ORIGINS`) is allowed.
3. `Sec-Fetch-Site: same-origin` or `none` (typed in, a bookmark) is allowed; any other
   value (`same-site`, `cross-site`) is refused.
4. With no `Sec-Fetch-Site` (browsers before 2023), `Origin`'s host must equal the request's
   host (as TRUSTED_HOSTS and the proxy settings leave it); a mismatch is refused.
5. With neither header the request is not from a browser (curl, a payment provider's
   webhook) and is allowed: forgery needs a victim's browser, and every browser the shop
   supports sends one of the two on an unsafe request.

Session cookies are also `SameSite=Lax`, so a cross-site POST carries no login anyway.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSAL = (
    "This form was sent from another site, so the shop did not act on it. "
    "If you sent it yourself, go back to the shop's page and send it from there."
)


def cross_origin_reason(
    method: str, headers, host: str, trusted_origins: frozenset[str]
) -> str | None:
    """Return why a request must be refused as cross-origin, or None if it may go on."""
    if method in SAFE_METHODS:
        return None
    origin = headers.get("Origin")
    if origin and origin in trusted_origins:
        return None
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site in ("same-origin", "none"):
            return None
        return f"Sec-Fetch-Site is {fetch_site}"
    if not origin:
        return None  # not a browser
    if urlsplit(origin).netloc.lower() == host.lower():
        return None
    return f"Origin {origin} does not match host {host}"


def register_csrf_protection(app: Flask) -> None:
    """Refuse cross-origin unsafe requests before any view runs."""
    trusted = frozenset(app.config["CSRF_TRUSTED_ORIGINS"])

    @app.before_request
    def refuse_cross_origin_requests():
        reason = cross_origin_reason(request.method, request.headers, request.host, trusted)
        if reason is not None:
            app.logger.warning(
                "Refused cross-origin %s %s: %s", request.method, request.path, reason
            )
            abort(403, REFUSAL)
