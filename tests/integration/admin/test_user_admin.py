"""Users in the back office: roles and access, never without an admin."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.accounts import admin_services
from storefront.accounts.models import LoginSession, User
from storefront.errors import Conflict


def test_the_last_admin_cannot_be_demoted_or_disabled(db, admin_user, make):
    with pytest.raises(Conflict):
        admin_services.set_user_role(admin_user, admin_user.id, "customer")
    other = make.user()
    with pytest.raises(Conflict):
        admin_services.set_user_active(other, admin_user.id, False)
    db.session.expire_all()
    person = db.session.get(User, admin_user.id)
    assert person.is_admin and person.is_active


def test_promoting_someone_else_lets_the_first_admin_step_down(db, admin_user, make):
    other = make.user()
    admin_services.set_user_role(admin_user, other.id, "admin")
    admin_services.set_user_role(admin_user, admin_user.id, "customer")
    db.session.expire_all()
    assert db.session.get(User, other.id).is_admin
    assert not db.session.get(User, admin_user.id).is_admin


def test_disabling_a_user_ends_all_their_sessions(db, admin_user, make, client, login_as):
    customer = make.user()
    login_as(client, customer)
    login_as(client, customer)
    admin_services.set_user_active(admin_user, customer.id, False)

    def sessions():
        return db.session.scalar(
            select(func.count(LoginSession.id)).where(LoginSession.user_id == customer.id)
        )

    assert sessions() == 0
    db.session.expire_all()
    assert db.session.get(User, customer.id).is_active is False
    admin_services.set_user_active(admin_user, customer.id, True)
    db.session.expire_all()
    assert db.session.get(User, customer.id).is_active is True


def test_an_admin_cannot_disable_themselves(db, admin_user, make):
    make.admin()
    with pytest.raises(Conflict):
        admin_services.set_user_active(admin_user, admin_user.id, False)
