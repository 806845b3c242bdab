"""The shop's commands: seed-demo loads once; create-admin refuses weak passwords."""

from sqlalchemy import func, select

from storefront.accounts.models import User
from storefront.catalog.models import Product


def test_seed_demo_loads_once_and_says_so_the_second_time(runner, db):
    first = runner.invoke(args=["seed-demo"])
    assert "Demo catalogue loaded" in first.output
    count = db.session.scalar(select(func.count(Product.id)))
    second = runner.invoke(args=["seed-demo"])
    assert "already has products" in second.output
    assert db.session.scalar(select(func.count(Product.id))) == count


def test_create_admin_makes_an_admin_who_is_stored_with_a_hashed_password(runner, db):
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "Owner@Example.com",
            "--password",
            "plum tractor velvet 93",
            "--name",
            "Owner",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "owner@example.com"))
    assert user.is_admin
    assert user.password_hash.startswith("$argon2id$")


def test_create_admin_refuses_a_weak_password_with_the_reason(runner, db):
    result = runner.invoke(
        args=["create-admin", "--email", "a@example.com", "--password", "password"]
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0
