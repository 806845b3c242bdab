"""Storefront: a web shop. `create_app()` is the one place the application is assembled."""

from __future__ import annotations

import logging
import os

from flask import Flask

from storefront.config import Config, ConfigError


class Storefront(Flask):
    """The shop's Flask app: absolute URLs always in SHOP_URL's scheme and host."""

    def create_url_adapter(self, request):
        """Bind URLs to SERVER_NAME (from SHOP_URL) and its scheme, whatever the request said."""
        adapter = super().create_url_adapter(request)
        if adapter is not None and request is not None:
            adapter.url_scheme = self.config["PREFERRED_URL_SCHEME"]
        return adapter


def create_app(config: Config | None = None) -> Flask:
    """Build and return the Flask application."""
    app = Storefront(__name__, instance_path=os.environ.get("STOREFRONT_INSTANCE_PATH"))
    try:
        config = config or Config()
        config.finalize(app.instance_path)
        app.config.from_object(config)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(app.config)
        register_logging(app)
        register_extensions(app)
    except ConfigError as error:
        # One clear line instead of a traceback wall.
        raise SystemExit(f"Storefront cannot start: {error}") from None
    register_security(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_page_store(app)
    register_commands(app)
    register_serving(app)
    return app


def _engine_options(settings) -> dict:
    from storefront.database import engine_options

    options = engine_options(settings["SQLALCHEMY_DATABASE_URI"])  # raises ConfigError
    options.update(settings.get("SQLALCHEMY_ENGINE_OVERRIDES", {}))
    return options


def register_logging(app: Flask) -> None:
    """Log to stderr at the configured level."""
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=app.config["LOG_LEVEL"],
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )


def register_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from storefront import models  # noqa: F401  (every table known before migrations run)
    from storefront.accounts.sessions import register_user_loader
    from storefront.catalog.storage import register_image_storage
    from storefront.database import configure_engine, connect_on_commit
    from storefront.extensions import cache, compress, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    login_manager.init_app(app)
    cache.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    register_user_loader(login_manager)
    register_image_storage(app)
    connect_on_commit()
    with app.app_context():
        try:
            engine = db.engine
        except (ArgumentError, NoSuchModuleError) as error:
            raise ConfigError(f"DATABASE_URL is not a usable database URL ({error}).") from None
        configure_engine(engine)


def register_blueprints(app: Flask) -> None:
    """Mount every domain's blueprint."""
    from storefront.accounts.views import bp as accounts_bp
    from storefront.admin.views import bp as admin_bp
    from storefront.cart.account_hooks import connect_account_hooks
    from storefront.cart.views import bp as cart_bp
    from storefront.catalog.media import bp as media_bp
    from storefront.catalog.views import bp as catalog_bp
    from storefront.orders.account_erasure import connect_account_erasure
    from storefront.orders.views import bp as orders_bp
    from storefront.web.health import bp as health_bp

    for blueprint in (catalog_bp, media_bp, accounts_bp, cart_bp, orders_bp, admin_bp, health_bp):
        app.register_blueprint(blueprint)
    connect_account_hooks(app)
    connect_account_erasure(app)


def register_errorhandlers(app: Flask) -> None:
    """Render every error in the shop's layout."""
    from storefront.web.errors import register_error_pages

    register_error_pages(app)


def register_template_helpers(app: Flask) -> None:
    """Add the `money` filter and the values every template uses."""
    from storefront.inventory.levels import register_stock_helpers
    from storefront.web.templating import register_templating

    register_templating(app)
    register_stock_helpers(app)


def register_security(app: Flask) -> None:
    """Refuse malformed input and cross-origin forms; add the security headers to responses.

    Registered before the blueprints, so `<int:>` routes use the bounded converter, and
    before the shop's other after_request hooks, so its headers are added after theirs.
    """
    from storefront.web.csrf import register_csrf_protection
    from storefront.web.headers import register_security_headers
    from storefront.web.request_guards import register_request_guards

    register_request_guards(app)
    register_csrf_protection(app)
    register_security_headers(app)


def register_page_store(app: Flask) -> None:
    """Store guest pages for the next guests and keep the cart count cookie current."""
    from storefront.web.page_store import register_page_store as register_store
    from storefront.web.visitor import register_visitor_cookie

    register_store(app)
    register_visitor_cookie(app)


def register_serving(app: Flask) -> None:
    """Put the host check, static files, proxy headers and stored pages in front of Flask."""
    from storefront.web.serving import register_serving as wrap_wsgi_app

    wrap_wsgi_app(app)


def register_commands(app: Flask) -> None:
    """Add the shop's `flask` commands."""
    from storefront.cli import register_cli

    register_cli(app)
