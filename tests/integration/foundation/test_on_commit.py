"""Steps that must follow a commit (sending the confirmation) run once it happened, only then."""

from __future__ import annotations

import logging

import pytest

from storefront.accounts.models import User
from storefront.database import on_commit, write_transaction


def _new_user(db, email: str) -> User:
    user = User(email=email, name="Ada", password_hash="not-a-real-hash")
    db.session.add(user)
    return user


def test_a_step_runs_once_the_transaction_commits(db):
    seen = []
    with write_transaction():
        _new_user(db, "ada@example.com")
        on_commit(lambda: seen.append("committed"))
        assert seen == []
    assert seen == ["committed"]


def test_a_step_reads_what_the_transaction_wrote_without_a_query(db, count_queries):
    seen = []
    with count_queries() as counter:
        with write_transaction():
            user = _new_user(db, "ada@example.com")
            db.session.flush()
            flushed = len(counter.statements)
            on_commit(lambda: seen.append((user.id, user.email, user.name)))
    assert seen == [(user.id, "ada@example.com", "Ada")]
    after_commit = [s for s in counter.statements[flushed:] if "COMMIT" not in s.upper()]
    assert after_commit == []


def test_a_step_is_forgotten_when_the_transaction_rolls_back(db):
    seen = []
    with pytest.raises(RuntimeError), write_transaction():
        _new_user(db, "ada@example.com")
        on_commit(lambda: seen.append("rolled back"))
        raise RuntimeError("the use case failed")
    with write_transaction():
        _new_user(db, "bob@example.com")
    assert seen == []


def test_releasing_a_savepoint_does_not_run_the_step_before_the_commit(db):
    seen = []
    with write_transaction():
        on_commit(lambda: seen.append("committed"))
        with db.session.begin_nested():
            _new_user(db, "ada@example.com")
        assert seen == []
    assert seen == ["committed"]


def test_a_failing_step_is_logged_and_what_was_committed_stays(db, caplog):
    def broken():
        raise ValueError("the mail template is broken")

    with caplog.at_level(logging.ERROR, logger="storefront.database"), write_transaction():
        _new_user(db, "ada@example.com")
        on_commit(broken)
    db.session.rollback()
    assert db.session.query(User).filter_by(email="ada@example.com").count() == 1
    assert "the mail template is broken" in caplog.text
