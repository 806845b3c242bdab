"""Signed cookies and CSRF tokens without work they never use.

Flask signs the session cookie, and Flask-WTF each CSRF token, with itsdangerous's
`URLSafeTimedSerializer`, which zlib-compresses every payload to see whether it comes out
shorter. A new guest's session (`{"csrf_token": "<40 hex digits>"}`) and a token's secret
never do, and the attempt was the largest single cost of a cached page: zlib sets up a whole
compressor each time, about 12 us, twice per new visitor. `ShortPayloadSerializer` skips it
for short payloads; what it writes is what itsdangerous writes whenever compression does not
pay, and itsdangerous reads it either way. Both also sign with `hashlib.sha1` itself: Flask
and itsdangerous name SHA-1 through a Python function (`_lazy_sha1`, for FIPS systems that
refuse SHA-1 at import), which sends every HMAC down Python's slow pure-Python path, three
times per new visitor; the bytes signed are the same. `SessionsSignedOnce` also keeps the
session's serializer, which Flask builds anew each time it opens or saves a session.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.url_safe import URLSafeSerializerMixin

# Below this many bytes of JSON, zlib saves at most a few bytes, and then only on a payload far
# more repetitive than a session or a token's hex secret; such a payload is simply signed as is.
SHORT_PAYLOAD = 128


class ShortPayloadSerializer(URLSafeTimedSerializer):
    """itsdangerous's URL-safe timed serializer, not trying to compress short payloads."""

    def __init__(self, *args: Any, signer_kwargs: dict | None = None, **kwargs: Any) -> None:
        signer_kwargs = {"digest_method": hashlib.sha1, **(signer_kwargs or {})}
        super().__init__(*args, signer_kwargs=signer_kwargs, **kwargs)

    def dump_payload(self, obj: Any) -> bytes:
        """Return the payload as URL-safe base64, compressed only when it is long."""
        json = super(URLSafeSerializerMixin, self).dump_payload(obj)
        if len(json) >= SHORT_PAYLOAD:
            return super().dump_payload(obj)
        return base64_encode(json)


class SessionsSignedOnce(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with one serializer per set of keys."""

    digest_method = staticmethod(hashlib.sha1)

    def __init__(self) -> None:
        self._serializer: tuple[tuple, ShortPayloadSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> ShortPayloadSerializer | None:
        """Return the serializer for the app's current keys, built once for them."""
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._serializer is None or self._serializer[0] != keys:
            self._serializer = (keys, self._new_serializer(app))
        return self._serializer[1]

    def _new_serializer(self, app: Flask) -> ShortPayloadSerializer | None:
        # As Flask's own get_signing_serializer, with the serializer class above.
        if not app.secret_key:
            return None
        keys = [*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key]
        return ShortPayloadSerializer(
            keys,
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )
