"""What a visitor and an operator notice of the foundation: pages, errors, health, start-up."""

import subprocess
import sys

import pytest
from sqlalchemy.exc import OperationalError

from storefront import create_app
from storefront.config import Config, TestConfig


def test_the_home_page_is_served_in_the_shop_layout(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "navbar" in page and "Storefront Shoes" in page
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page


def test_bootstrap_is_served_by_the_app_not_a_cdn(client):
    page = client.get("/").get_data(as_text=True)
    assert "cdn" not in page.lower()
    assert client.get("/static/vendor/bootstrap/bootstrap.min.css").status_code == 200
    assert client.get("/static/vendor/bootstrap/bootstrap.bundle.min.js").status_code == 200


def test_an_unknown_page_gets_the_404_page_in_the_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "navbar" in response.get_data(as_text=True)


def test_a_server_fault_shows_the_500_page_without_a_traceback(database_url, tmp_path):
    app = create_app(TestConfig(database_url, str(tmp_path)))
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_a_request_larger_than_the_limit_gets_the_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/login", data={"blob": "x" * 4096})
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)


def test_health_check_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_when_the_database_does_not(app, client, monkeypatch):
    from storefront.extensions import db

    def refuse(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_production_mode_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("STOREFRONT_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SHOP_URL", "https://shop.example")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(SystemExit) as stopped:
        create_app(Config())
    assert "SECRET_KEY" in str(stopped.value)


def test_production_mode_refuses_to_start_without_the_shops_public_address(monkeypatch, tmp_path):
    monkeypatch.setenv("STOREFRONT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.delenv("SHOP_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(SystemExit) as stopped:
        create_app(Config())
    assert "SHOP_URL is not set" in str(stopped.value)


def test_development_mode_generates_a_secret_key_once_into_the_instance_folder(tmp_path):
    first, second = Config(), Config()
    first.SQLALCHEMY_DATABASE_URI = second.SQLALCHEMY_DATABASE_URI = "sqlite://"
    first.SECRET_KEY = second.SECRET_KEY = None
    first.finalize(str(tmp_path))
    second.finalize(str(tmp_path))
    assert first.SECRET_KEY and first.SECRET_KEY == second.SECRET_KEY
    assert (tmp_path / "secret_key").exists()


def _run_flask(args, env_extra, tmp_path):
    import os

    env = {**os.environ, "STOREFRONT_INSTANCE_PATH": str(tmp_path), **env_extra}
    env.pop("SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "storefront:create_app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_a_malformed_database_url_stops_start_up_with_one_clear_line(tmp_path):
    result = _run_flask(["check-database"], {"DATABASE_URL": "not a url"}, tmp_path)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_named_with_its_host(tmp_path):
    url = "postgresql+psycopg://shop@127.0.0.1:1/shop"
    result = _run_flask(["check-database"], {"DATABASE_URL": url}, tmp_path)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and "127.0.0.1:1" in result.stderr
    assert "Traceback" not in result.stderr
