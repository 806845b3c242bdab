from storefront.accounts.models import ROLE_ADMIN, User
from storefront.accounts.services import find_user_by_email
from tests.factories import PASSWORD


def test_create_admin_makes_the_first_admin(runner, db):
    result = runner.invoke(
        args=["create-admin", "--email", "Owner@Example.com", "--password", PASSWORD]
    )

    assert result.exit_code == 0, result.output
    assert "Created admin: owner@example.com" in result.output
    assert find_user_by_email("owner@example.com").role == ROLE_ADMIN


def test_create_admin_promotes_an_existing_customer(runner, db, make):
    person = make.user(email="ada@example.com")

    result = runner.invoke(
        args=["create-admin", "--email", "ada@example.com", "--password", PASSWORD]
    )

    assert result.exit_code == 0, result.output
    assert "Promoted to admin" in result.output
    db.session.expire_all()
    assert db.session.get(User, person.id).is_admin


def test_create_admin_refuses_a_weak_password_with_the_reason(runner, db):
    result = runner.invoke(
        args=["create-admin", "--email", "owner@example.com", "--password", "short"]
    )

    assert result.exit_code != 0
    assert "Use at least 10 characters." in result.output
    assert find_user_by_email("owner@example.com") is None
