import time

import pytest
from itsdangerous import TimestampSigner

from storefront.accounts.models import User
from storefront.accounts.passwords import verify_password
from storefront.accounts.recovery import make_reset_token, reset_password, user_for_reset_token
from storefront.accounts.services import log_in
from storefront.accounts.sessions import load_user_for_token
from storefront.errors import ValidationFailed
from tests.factories import PASSWORD

NEW_PASSWORD = "purple elephant juggles 7 kettles"


def _token_made_seconds_ago(monkeypatch, user, seconds: int) -> str:
    issued = int(time.time()) - seconds
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
        return make_reset_token(user)


def test_a_reset_link_works_once_and_not_twice(db, make):
    person = make.user()
    token = make_reset_token(person)

    reset_password(token, NEW_PASSWORD)

    assert verify_password(db.session.get(User, person.id).password_hash, NEW_PASSWORD)
    with pytest.raises(ValidationFailed):
        reset_password(token, "another fine passphrase 99")
    assert verify_password(db.session.get(User, person.id).password_hash, NEW_PASSWORD)


def test_a_reset_link_works_until_the_hour_is_up(db, make, monkeypatch):
    person = make.user()

    assert user_for_reset_token(_token_made_seconds_ago(monkeypatch, person, 3590)) is not None


def test_a_reset_link_does_not_work_after_an_hour(db, make, monkeypatch):
    person = make.user()
    token = _token_made_seconds_ago(monkeypatch, person, 3601)

    with pytest.raises(ValidationFailed):
        reset_password(token, NEW_PASSWORD)
    assert verify_password(db.session.get(User, person.id).password_hash, PASSWORD)


def test_a_tampered_reset_link_is_refused(db, make):
    person = make.user()
    token = make_reset_token(person)

    assert user_for_reset_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB")) is None


def test_setting_a_new_password_through_a_link_ends_every_session(db, make):
    person = make.user(email="ada@example.com")
    session = log_in("ada@example.com", PASSWORD).login_session_id

    reset_password(make_reset_token(db.session.get(User, person.id)), NEW_PASSWORD)

    assert load_user_for_token(session) is None


def test_a_reset_link_for_a_disabled_user_is_refused(db, make):
    person = make.user(is_active=False)

    assert user_for_reset_token(make_reset_token(person)) is None
