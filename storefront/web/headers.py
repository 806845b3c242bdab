"""Security headers on every response, error pages included; personal pages are never cached."""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def security_headers(app: Flask, is_secure: bool) -> tuple[tuple[str, str], ...]:
    """Return the headers every response carries; HSTS too over HTTPS or with secure cookies."""
    if app.config.get("SESSION_COOKIE_SECURE") or is_secure:
        return (*SECURITY_HEADERS, HSTS)
    return SECURITY_HEADERS


# A page that says nothing of its caching is personal (a cart, an account, a checkout, a page
# drawn for a signed-in customer): no browser or proxy may keep a copy.
PERSONAL_CACHE_CONTROL = "private, no-store"


def register_security_headers(app: Flask) -> None:
    """Attach the headers in an after_request hook that also runs for error responses."""

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        # A view may set its own value for any of these; one pass over the headers it set.
        present = {name.lower() for name in response.headers.keys()}
        wanted = security_headers(app, request.is_secure)
        response.headers.extend([item for item in wanted if item[0].lower() not in present])
        if "cache-control" not in present:
            response.headers["Cache-Control"] = PERSONAL_CACHE_CONTROL
        return response
