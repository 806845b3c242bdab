"""Alembic environment: the shop's metadata, shared naming, and search objects left alone."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

engine = current_app.extensions["migrate"].db.engine
config.set_main_option(
    "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
)
target_metadata = current_app.extensions["migrate"].db.metadata

# Database-specific search structures (FTS5 tables, trigram and FULLTEXT indexes) are made
# by hand in migrations; autogenerate must not try to drop them.
IGNORED_PREFIXES = ("products_fts", "ix_products_search", "ix_products_fulltext")


def include_name(name, type_, parent_names):
    """Leave the hand-made search objects out of autogenerate comparisons."""
    if name and name.startswith(IGNORED_PREFIXES):
        return False
    return True


def render_item(type_, obj, autogen_context):
    """Render the shop's UTC timestamp type as a plain DateTime in migration files."""
    if type_ == "type" and obj.__class__.__name__ == "UTCDateTime":
        return "sa.DateTime()"
    return False


def _configure(**kwargs):
    context.configure(
        target_metadata=target_metadata,
        include_name=include_name,
        render_item=render_item,
        compare_type=True,
        render_as_batch=True,
        **kwargs,
    )


def run_migrations_offline():
    """Emit SQL for the configured URL without connecting."""
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Apply migrations over a live connection."""

    def process_revision_directives(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    with engine.connect() as connection:
        _configure(connection=connection, process_revision_directives=process_revision_directives)
        # An index build on a big table may take longer than the shop lets a statement run.
        if connection.dialect.name == "mysql":
            connection.exec_driver_sql("SET SESSION max_statement_time = 0")
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
            context.run_migrations()
        if connection.dialect.name == "mysql":
            connection.invalidate()  # the pool must not hand out the unlimited session


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
