"""Test clients that behave as a real server does towards the app."""

from __future__ import annotations

from flask.testing import FlaskClient


class ClosingClient(FlaskClient):
    """A test client that closes each response once it is read, as a server does once it sent it.

    Work an app defers with `call_on_close` (storing a guest page in the cache) is then done
    before the test looks again.
    """

    def open(self, *args, **kwargs):
        """Send the request and close the response (its body stays readable)."""
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)
