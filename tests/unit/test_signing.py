"""Sessions and CSRF tokens signed without wasted work read and write what Flask's do."""

from __future__ import annotations

import hashlib
from unittest import mock

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from storefront.signing import SHORT_PAYLOAD, SessionsSignedOnce, ShortPayloadSerializer

KEY = "unit-test-secret-key"


def _app() -> Flask:
    app = Flask(__name__)
    app.secret_key = KEY
    return app


def test_a_short_payload_is_signed_byte_for_byte_as_itsdangerous_signs_it():
    secret = hashlib.sha1(b"visitor").hexdigest()
    with mock.patch("time.time", return_value=1_800_000_000):
        ours = ShortPayloadSerializer(KEY, salt="wtf-csrf-token").dumps(secret)
        theirs = URLSafeTimedSerializer(KEY, salt="wtf-csrf-token").dumps(secret)
    assert ours == theirs


def test_a_long_payload_is_still_compressed_and_read_by_itsdangerous():
    payload = {"cart": ["the same line of text"] * 40}
    signed = ShortPayloadSerializer(KEY, salt="s").dumps(payload)
    assert signed.startswith(".")  # itsdangerous's mark of a compressed payload
    assert len(signed) < len(str(payload))
    assert URLSafeTimedSerializer(KEY, salt="s").loads(signed) == payload


def test_a_repetitive_short_payload_is_signed_uncompressed_and_read_all_the_same():
    payload = "a" * (SHORT_PAYLOAD // 2)
    signed = ShortPayloadSerializer(KEY, salt="s").dumps(payload)
    assert not signed.startswith(".")
    assert URLSafeTimedSerializer(KEY, salt="s").loads(signed) == payload


def test_flask_and_the_shop_read_each_others_session_cookies():
    app = _app()
    flask_sessions, shop_sessions = SecureCookieSessionInterface(), SessionsSignedOnce()
    session = {"csrf_token": "f" * 40, "_permanent": True}
    from_flask = flask_sessions.get_signing_serializer(app).dumps(session)
    from_shop = shop_sessions.get_signing_serializer(app).dumps(session)
    assert shop_sessions.get_signing_serializer(app).loads(from_flask) == session
    assert flask_sessions.get_signing_serializer(app).loads(from_shop) == session


def test_the_session_serializer_follows_a_new_secret_key_and_its_fallbacks():
    app = _app()
    sessions = SessionsSignedOnce()
    old_cookie = sessions.get_signing_serializer(app).dumps({"csrf_token": "x"})
    app.secret_key = "a-new-key"
    new_cookie = sessions.get_signing_serializer(app).dumps({"csrf_token": "y"})
    with pytest.raises(BadSignature):
        sessions.get_signing_serializer(app).loads(old_cookie)
    app.config["SECRET_KEY_FALLBACKS"] = [KEY]
    assert sessions.get_signing_serializer(app).loads(old_cookie) == {"csrf_token": "x"}
    assert sessions.get_signing_serializer(app).loads(new_cookie) == {"csrf_token": "y"}


def test_no_secret_key_means_no_sessions_as_in_flask():
    app = _app()
    app.secret_key = None
    assert SessionsSignedOnce().get_signing_serializer(app) is None
