"""The schema comes from migrations that match the models on every database."""

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, OperationalError


def test_migrations_build_every_table_of_the_model(db):
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_do_not_drift(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        command.check(config)  # raises alembic.util.CommandError when they differ


def test_constraint_names_follow_the_naming_convention(db):
    checks = {c["name"] for c in inspect(db.engine).get_check_constraints("variants")}
    assert "ck_variants_stock_not_negative" in checks


def test_the_database_refuses_a_stock_level_below_zero(db, make):
    product = make.product(sizes={"42": 1})
    variant_id = product.variants[0].id
    with pytest.raises((IntegrityError, OperationalError)):
        db.session.execute(
            text("UPDATE variants SET stock = -1 WHERE id = :id"), {"id": variant_id}
        )
        db.session.commit()
    db.session.rollback()
