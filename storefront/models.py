"""Import every model so that SQLAlchemy and Alembic see the whole schema."""

from storefront.accounts.models import Address, LoginSession, User
from storefront.audit import AuditEntry
from storefront.cart.models import Cart, CartLine
from storefront.catalog.models import Category, Product, ProductImage, StoredFile, Variant
from storefront.inventory.models import StockMovement
from storefront.orders.models import Order, OrderEvent, OrderLine
from storefront.outbox.models import OutboxMessage

__all__ = [
    "Address",
    "AuditEntry",
    "Cart",
    "CartLine",
    "Category",
    "LoginSession",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OutboxMessage",
    "Product",
    "ProductImage",
    "StockMovement",
    "StoredFile",
    "User",
    "Variant",
]
