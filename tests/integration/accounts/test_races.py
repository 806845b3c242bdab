"""Rules that must hold when two requests arrive at the same moment, on every database."""

from sqlalchemy import func, select

from storefront.accounts.admin_services import set_user_role
from storefront.accounts.deletion import delete_account
from storefront.accounts.models import ROLE_ADMIN, ROLE_CUSTOMER, User
from storefront.accounts.passwords import verify_password
from storefront.accounts.recovery import make_reset_token, reset_password
from storefront.errors import ShopError
from tests.factories import PASSWORD

from .races import race

FIRST_NEW = "purple elephant juggles 7 kettles"
SECOND_NEW = "orange walrus hums 9 sonatas"


def _active_admins(db) -> int:
    db.session.rollback()  # a fresh snapshot: SQLite keeps the test's read transaction
    return db.session.execute(
        select(func.count(User.id)).where(
            User.role == ROLE_ADMIN, User.is_active.is_(True), User.deleted_at.is_(None)
        )
    ).scalar_one()


def test_a_reset_link_used_twice_at_once_changes_the_password_only_once(
    app, db, make, database_url
):
    person = make.user()
    token = make_reset_token(person)

    results = race(
        app,
        database_url,
        "users",
        [person.id],
        lambda: reset_password(token, FIRST_NEW),
        lambda: reset_password(token, SECOND_NEW),
    )

    refused = [result for result in results if isinstance(result, ShopError)]
    assert len(refused) == 1, results
    assert "already been used" in refused[0].message
    db.session.rollback()
    stored = db.session.get(User, person.id).password_hash
    winner = FIRST_NEW if isinstance(results[1], ShopError) else SECOND_NEW
    assert verify_password(stored, winner)


def test_two_admins_deleting_their_accounts_at_once_leave_one_admin(app, db, make, database_url):
    first, second = make.admin(), make.admin()

    results = race(
        app,
        database_url,
        "users",
        [first.id, second.id],
        lambda: delete_account(first.id, PASSWORD),
        lambda: delete_account(second.id, PASSWORD),
    )

    assert sum(isinstance(result, ShopError) for result in results) == 1, results
    assert _active_admins(db) == 1


def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, db, make, database_url):
    first, second = make.admin(), make.admin()

    results = race(
        app,
        database_url,
        "users",
        [first.id, second.id],
        lambda: set_user_role(first, second.id, ROLE_CUSTOMER),
        lambda: set_user_role(second, first.id, ROLE_CUSTOMER),
    )

    assert sum(isinstance(result, ShopError) for result in results) == 1, results
    assert _active_admins(db) == 1


def test_an_admin_deleting_their_account_while_demoted_leaves_one_admin(
    app, db, make, database_url
):
    first, second = make.admin(), make.admin()

    results = race(
        app,
        database_url,
        "users",
        [first.id, second.id],
        lambda: delete_account(first.id, PASSWORD),
        lambda: set_user_role(first, second.id, ROLE_CUSTOMER),
    )

    assert sum(isinstance(result, ShopError) for result in results) == 1, results
    assert _active_admins(db) == 1
