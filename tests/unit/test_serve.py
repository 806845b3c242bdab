"""serve.py, what `make serve` runs: Granian by default with the shop's settings, or gunicorn."""

from __future__ import annotations

import pytest

import serve


def test_granian_gets_one_process_per_core_and_four_threads_by_default(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("WEB_THREADS", raising=False)
    settings = serve.granian_defaults(cpus=2)
    assert settings["GRANIAN_INTERFACE"] == "wsgi"
    assert settings["GRANIAN_WORKERS"] == "2"
    assert settings["GRANIAN_BLOCKING_THREADS"] == "4"


def test_the_same_process_and_thread_settings_serve_both_servers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("WEB_THREADS", "1")
    settings = serve.granian_defaults(cpus=2)
    assert (settings["GRANIAN_WORKERS"], settings["GRANIAN_BLOCKING_THREADS"]) == ("3", "1")


def test_an_operators_own_granian_setting_wins_over_the_default(monkeypatch):
    launched = {}
    environment = {"SERVER": "granian", "GRANIAN_PORT": "9123"}  # this test's own copy
    monkeypatch.setattr(serve.os, "environ", environment)
    monkeypatch.setattr(serve.os, "execv", lambda path, args: launched.update(path=path))
    serve.main()
    assert launched["path"].endswith("granian")
    assert environment["GRANIAN_PORT"] == "9123"
    assert environment["GRANIAN_INTERFACE"] == "wsgi"


def test_an_unknown_server_is_refused_in_one_clear_line(monkeypatch):
    monkeypatch.setenv("SERVER", "waitress")
    with pytest.raises(SystemExit, match="SERVER must be granian or gunicorn, not 'waitress'"):
        serve.main()
