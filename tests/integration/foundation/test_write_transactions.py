"""What a write transaction guarantees on every database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import User
from storefront.database import transactional, write_transaction


def _new_user(db, email: str) -> User:
    user = User(email=email, name="Ada", password_hash="not-a-real-hash")
    db.session.add(user)
    return user


def _user_count(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def _server_transaction_open(db) -> bool:
    """Ask the server itself whether this session's connection is inside a transaction."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return connection.connection.driver_connection.info.transaction_status.name != "IDLE"
    if connection.dialect.name == "sqlite":
        return connection.connection.driver_connection.in_transaction
    return connection.exec_driver_sql("SELECT @@in_transaction").scalar() == 1


def test_every_statement_of_a_failed_use_case_is_undone(db):
    @transactional
    def register_two_then_fail():
        _new_user(db, "ada@example.com")
        db.session.flush()
        _new_user(db, "bob@example.com")
        db.session.flush()
        raise RuntimeError("the second step failed")

    with pytest.raises(RuntimeError):
        register_two_then_fail()

    assert _user_count(db) == 0


def test_what_a_use_case_wrote_is_seen_by_other_connections_once_it_returns(db):
    with write_transaction():
        _new_user(db, "ada@example.com")

    with db.engine.connect() as other:
        assert other.scalar(select(func.count(User.id))) == 1


def test_a_write_runs_inside_a_transaction_on_the_server(db):
    with write_transaction():
        _new_user(db, "ada@example.com")
        db.session.flush()
        inside = _server_transaction_open(db)

    assert inside is True


def test_a_use_case_reads_its_records_afresh_after_the_commit(db, count_queries):
    @transactional
    def register():
        return _new_user(db, "ada@example.com")

    with count_queries() as counter:
        user = register()
        sent = len(counter.statements)
        assert user.email == "ada@example.com"

    assert len(counter.statements) == sent + 1
