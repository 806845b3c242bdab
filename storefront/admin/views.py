"""The back-office blueprint, with the routes of every views module registered on it."""

from storefront.admin import (  # noqa: F401  (each module registers its routes on import)
    audit_views,
    categories,
    confirmations,
    dashboard,
    images,
    inventory,
    mail_previews,
    orders,
    outbox,
    products,
    stock_import,
    users,
)
from storefront.admin.blueprint import bp

__all__ = ["bp"]
