"""Error pages in the shop's layout; a server fault rolls back and logs the traceback."""

from __future__ import annotations

import time

from flask import Flask, g, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from storefront.extensions import db, limiter

TITLES = {
    400: ("Bad request", "The request could not be understood. Please check what you entered."),
    403: ("Not allowed", "You do not have permission to see this page."),
    404: ("Page not found", "We could not find that page. It may have moved or been removed."),
    405: ("Not allowed", "That action is not available here."),
    413: ("File too large", "What you sent is larger than the shop accepts."),
    429: ("Too many attempts", "You have tried that too often."),
    500: ("Something went wrong", "An error occurred on our side. Please try again shortly."),
    503: (
        "Briefly unavailable",
        "The shop cannot reach its database just now. Please try again in a few seconds.",
    ),
}
DATABASE_RETRY_SECONDS = 5  # Retry-After while the database cannot be reached


def render_error(status: int, message: str | None = None, retry_after: str | None = None):
    """Return the error page for `status` with an optional specific message."""
    title, default_message = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=title,
            message=message or default_message,
            retry_after=retry_after,
        ),
        status,
    )


def wait_phrase(seconds: int) -> str:
    """Return a wait as a customer reads it: "45 seconds", "50 minutes", "1 hour" (rounded up)."""
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = -(-seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _retry_after_seconds() -> int | None:
    """Return how many seconds until the rate limit that was just breached lets requests in."""
    breached = limiter.current_limit
    if breached is None:
        return None
    return max(1, int(breached.reset_at - time.time()))


def register_error_pages(app: Flask) -> None:
    """Register the handlers for HTTP errors, database outages and unexpected exceptions."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code == 429:
            seconds = _retry_after_seconds()
            body, status = render_error(429, None, wait_phrase(seconds) if seconds else None)
            return body, status, ({"Retry-After": str(seconds)} if seconds else {})
        if error.code >= 500:
            db.session.rollback()
        # A message given with abort(status, message) is shown; werkzeug's generic one is not.
        specific = error.description if error.description != type(error).description else None
        response = render_error(error.code, specific)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        # Refused or lost connections (a restart, a failover) and timeouts pass: 503, not 500.
        if not (isinstance(error, OperationalError) or error.connection_invalidated):
            return unexpected_error(error)
        app.logger.error(
            "Database unavailable on %s %s", request.method, request.path, exc_info=error
        )
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass  # the connection is gone; the pool replaces it
        # The page is drawn for a guest: showing the customer's name would need the database.
        g._login_user = app.login_manager.anonymous_user()
        body, status = render_error(503)
        return body, status, {"Retry-After": str(DATABASE_RETRY_SECONDS)}

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)

    @app.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError):
        db.session.rollback()
        original = getattr(error, "original_exception", None)
        if original is not None:
            app.logger.error("Server error", exc_info=original)
        return render_error(500)
