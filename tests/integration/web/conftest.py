"""Back-office fixtures: see tests/admin_fixtures.py."""

from tests.admin_fixtures import admin_client, admin_user  # noqa: F401
