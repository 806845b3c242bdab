import re

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import LoginSession, User
from storefront.accounts.passwords import hash_password
from storefront.accounts.registration import (
    confirm_email,
    make_confirmation_token,
    register_user,
)
from storefront.accounts.services import (
    AccountDisabled,
    InvalidCredentials,
    find_user_by_email,
    log_in,
    log_out,
)
from storefront.accounts.sessions import load_user_for_token
from storefront.errors import ValidationFailed
from tests.factories import PASSWORD


def _count(db, model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _links(token):
    links = {"login": "https://shop.test/login", "reset": "https://shop.test/forgot-password"}
    if token:
        links["confirm"] = f"https://shop.test/confirm-email/{token}"
    return links


def test_registering_stores_an_unconfirmed_account_and_mails_its_confirmation_link(db, smtp_server):
    register_user("Ada", "  Ada.Lovelace@Example.COM ", PASSWORD, _links)

    user = find_user_by_email("ada.lovelace@example.com")
    assert user.password_hash.startswith("$argon2id$")
    assert not user.email_confirmed
    assert _count(db, LoginSession) == 0
    (mail,) = smtp_server.wait(1)
    assert mail["To"] == "ada.lovelace@example.com"
    assert "Confirm your email address" in mail["Subject"]
    token = re.search(r"/confirm-email/(\S+)", mail.get_content()).group(1)
    assert confirm_email(token).email_confirmed
    db.session.rollback()
    assert db.session.get(User, user.id).email_confirmed


def test_registering_a_known_address_changes_nothing_and_tells_its_owner(db, make, smtp_server):
    owner = make.user(email="ada@example.com", name="Ada")
    before = owner.password_hash

    register_user("Other Ada", "ADA@Example.com", PASSWORD, _links)

    assert _count(db, User) == 1
    assert _count(db, LoginSession) == 0
    db.session.rollback()
    assert db.session.get(User, owner.id).password_hash == before
    (mail,) = smtp_server.wait(1)
    assert mail["To"] == "ada@example.com"
    assert "Someone tried to register with your address" in mail["Subject"]
    body = mail.get_content()
    assert "https://shop.test/login" in body and "https://shop.test/forgot-password" in body


def test_a_confirmation_link_for_an_address_the_account_no_longer_has_is_refused(db, make):
    person = make.user(email="ada@example.com", confirmed=False)
    token = make_confirmation_token(person)
    person.email = "ada.new@example.com"
    db.session.commit()

    with pytest.raises(ValidationFailed):
        confirm_email(token)
    with pytest.raises(ValidationFailed):
        confirm_email(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))


def test_a_weak_password_is_refused_by_the_service_too(db):
    with pytest.raises(ValidationFailed) as refused:
        register_user("Ada", "ada@example.com", "password12", _links)

    assert refused.value.field == "password"
    assert _count(db, User) == 0


def test_logging_in_accepts_the_email_in_any_case(db, make):
    person = make.user(email="ada@example.com")

    user = log_in("ADA@example.com ", PASSWORD)

    assert user.id == person.id
    assert load_user_for_token(user.login_session_id).id == person.id


def test_a_wrong_password_and_an_unknown_email_are_refused_alike(db, make):
    make.user(email="ada@example.com")

    with pytest.raises(InvalidCredentials) as wrong_password:
        log_in("ada@example.com", "not the password at all")
    with pytest.raises(InvalidCredentials) as unknown_email:
        log_in("nobody@example.com", PASSWORD)

    assert wrong_password.value.message == unknown_email.value.message
    assert wrong_password.value.status == unknown_email.value.status
    assert _count(db, LoginSession) == 0


def test_a_disabled_user_cannot_log_in(db, make):
    make.user(email="ada@example.com", is_active=False)

    with pytest.raises(AccountDisabled):
        log_in("ada@example.com", PASSWORD)

    assert _count(db, LoginSession) == 0


def test_a_hash_made_with_old_parameters_is_upgraded_at_the_next_login(db, make, app):
    person = make.user(email="ada@example.com")
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    person.password_hash = old
    db.session.commit()

    log_in("ada@example.com", PASSWORD)

    db.session.expire_all()
    upgraded = db.session.get(User, person.id).password_hash
    parameters = upgraded.split("$")[3]
    assert old.split("$")[3] == "m=512,t=1,p=1"
    assert parameters == hash_password(PASSWORD).split("$")[3] == "m=1024,t=1,p=1"


def test_logging_out_ends_only_that_session(db, make):
    make.user(email="ada@example.com")
    first = log_in("ada@example.com", PASSWORD).login_session_id
    second = log_in("ada@example.com", PASSWORD).login_session_id

    log_out(first)

    assert load_user_for_token(first) is None
    assert load_user_for_token(second) is not None
