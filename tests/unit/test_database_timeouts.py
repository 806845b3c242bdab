"""The database timeouts reach each driver as the settings say."""

from __future__ import annotations

from storefront.database import DatabaseTimeouts, _add_postgresql_options

TIMEOUTS = DatabaseTimeouts(
    statement_ms=15000, lock_ms=2500, idle_in_transaction_ms=10000, keepalive_idle_s=30
)


def test_postgresql_gets_every_timeout_and_keepalives_while_options_from_the_url_stay():
    parameters = {"options": "-c search_path=shop"}

    _add_postgresql_options(parameters, TIMEOUTS.postgresql_parameters())

    options = parameters["options"]
    assert options.startswith("-c search_path=shop ")
    for setting in (
        "statement_timeout=15000",
        "lock_timeout=2500",
        "idle_in_transaction_session_timeout=10000",
        "tcp_keepalives_idle=30",
    ):
        assert f"-c {setting}" in options
    assert (parameters["keepalives"], parameters["keepalives_idle"]) == (1, 30)


def test_mariadb_timeouts_are_whole_seconds_where_the_server_wants_them():
    parameters = TIMEOUTS.mariadb_parameters()

    assert parameters["init_command"] == (
        "SET SESSION max_statement_time=15, innodb_lock_wait_timeout=3, idle_transaction_timeout=10"
    )
    assert parameters["read_timeout"] > 15 and parameters["write_timeout"] > 15
