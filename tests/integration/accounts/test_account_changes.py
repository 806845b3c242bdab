import pytest

from storefront.accounts.models import User
from storefront.accounts.passwords import verify_password
from storefront.accounts.services import (
    EmailTaken,
    change_email,
    change_name,
    change_password,
    log_in,
)
from storefront.accounts.sessions import load_user_for_token
from storefront.errors import ValidationFailed
from tests.factories import PASSWORD

NEW_PASSWORD = "purple elephant juggles 7 kettles"


def test_changing_the_name_saves_it(db, make):
    person = make.user(name="Ada")

    change_name(person.id, "  Ada Lovelace ")

    assert db.session.get(User, person.id).name == "Ada Lovelace"


def test_changing_the_email_needs_the_current_password(db, make):
    person = make.user(email="ada@example.com")

    with pytest.raises(ValidationFailed) as refused:
        change_email(person.id, "new@example.com", "wrong password")

    assert refused.value.field == "email_password"
    assert db.session.get(User, person.id).email == "ada@example.com"


def test_changing_the_email_to_one_taken_in_another_case_is_refused(db, make):
    make.user(email="taken@example.com")
    person = make.user(email="ada@example.com")

    with pytest.raises(EmailTaken):
        change_email(person.id, "Taken@Example.com", PASSWORD)


def test_changing_the_email_stores_it_normalised(db, make):
    person = make.user(email="ada@example.com")

    assert change_email(person.id, "Ada.New@Example.com", PASSWORD) == "ada.new@example.com"
    assert db.session.get(User, person.id).email == "ada.new@example.com"


def test_changing_the_password_needs_the_current_one(db, make):
    person = make.user()

    with pytest.raises(ValidationFailed) as refused:
        change_password(person.id, "not it", NEW_PASSWORD, keep_token=None)

    assert refused.value.field == "current_password"


def test_a_password_change_ends_the_other_sessions_but_keeps_this_one(db, make):
    person = make.user(email="ada@example.com")
    here = log_in("ada@example.com", PASSWORD).login_session_id
    elsewhere = log_in("ada@example.com", PASSWORD).login_session_id

    change_password(person.id, PASSWORD, NEW_PASSWORD, keep_token=here)

    assert load_user_for_token(here) is not None
    assert load_user_for_token(elsewhere) is None
    assert verify_password(db.session.get(User, person.id).password_hash, NEW_PASSWORD)


def test_a_weak_new_password_is_refused_beside_the_new_password_field(db, make):
    person = make.user(email="ada@example.com")

    with pytest.raises(ValidationFailed) as refused:
        change_password(person.id, PASSWORD, "ada@example.com", keep_token=None)

    assert refused.value.field == "new_password"
