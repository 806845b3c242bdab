"""The shop's `flask` commands (db comes from Flask-Migrate)."""

from __future__ import annotations

import click
from flask import Flask

from storefront.errors import ShopError


def register_cli(app: Flask) -> None:
    """Attach the commands to the app's CLI."""

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load the demo shoe catalogue (does nothing if the shop has products)."""
        from storefront.demo import seed_demo

        created = seed_demo()
        if created:
            click.echo(f"Demo catalogue loaded: {created} products.")
        else:
            click.echo("The shop already has products; demo catalogue not loaded.")

    @app.cli.command("check-database")
    def check_database_command() -> None:
        """Exit non-zero with one clear line when the database does not answer."""
        from storefront.database import describe_database_problem
        from storefront.extensions import db

        problem = describe_database_problem(db.engine)
        if problem:
            raise click.ClickException(problem)
        click.echo(f"Database OK: {db.engine.url.get_backend_name()}")

    @app.cli.command("create-admin")
    @click.option("--email", required=True, help="The admin's email address.")
    @click.option("--password", required=True, help="At least 10 characters, hard to guess.")
    @click.option("--name", default="", help="The admin's name.")
    def create_admin_command(email: str, password: str, name: str) -> None:
        """Create an admin, or promote an existing user to admin."""
        from storefront.accounts.services import create_or_promote_admin

        try:
            user, created = create_or_promote_admin(email, password, name)
        except ShopError as error:
            raise click.ClickException(error.message) from None
        verb = "Created admin" if created else "Promoted to admin"
        click.echo(f"{verb}: {user.email}")

    @app.cli.command("remove-abandoned-carts")
    @click.option(
        "--days",
        type=click.IntRange(min=1),
        default=30,
        show_default=True,
        help="Remove guest carts nobody has touched for this many days.",
    )
    def remove_abandoned_carts_command(days: int) -> None:
        """Delete guest carts left untouched for --days days (users' carts are kept)."""
        from datetime import timedelta

        from storefront.cart.cleanup import remove_abandoned_guest_carts

        removed = remove_abandoned_guest_carts(timedelta(days=days))
        noun = "cart" if removed == 1 else "carts"
        click.echo(f"Removed {removed} guest {noun} untouched for {days} days.")

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Send what is due now, then exit.")
    def worker_command(once: bool) -> None:
        """Send the outbox's messages until stopped (SIGTERM or Ctrl-C finish the batch)."""
        import signal
        import threading

        from storefront.outbox.worker import mail_problem, run_worker, send_due_messages

        problem = mail_problem(app.config)
        if problem:
            raise click.ClickException(problem)
        if once:
            total = 0
            while sent := send_due_messages(app.config):
                total += sent
            noun = "message" if total == 1 else "messages"
            click.echo(f"Outbox: {total} {noun} handled.")
            return
        stop = threading.Event()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signal_number, lambda *_: stop.set())
        click.echo("Outbox worker running (Ctrl-C stops it).")
        run_worker(app, stop)
