"""Categories, products, their variants and images, and stored image files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.mysql import LONGBLOB
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from storefront.extensions import db
from storefront.models_base import UTCDateTime, utcnow


class Category(db.Model):
    """A shelf of the shop, such as running shoes."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    products: Mapped[list[Product]] = relationship(back_populates="category")


class Product(db.Model):
    """A thing the shop sells; its variants carry SKU, stock and any price override."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("base_price_cents >= 0", name="base_price_not_negative"),
        Index("ix_products_listing", "is_active", "created_at"),
        Index("ix_products_category_listing", "category_id", "is_active", "created_at"),
        Index("ix_products_price", "is_active", "price_min_cents"),
        Index("ix_products_name", "is_active", "name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    base_price_cents: Mapped[int] = mapped_column(Integer)
    # Lowest and highest variant price, kept by catalog services when prices change.
    price_min_cents: Mapped[int] = mapped_column(Integer, default=0)
    price_max_cents: Mapped[int] = mapped_column(Integer, default=0)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT")
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)  # False = archived
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category | None] = relationship(back_populates="products")
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        order_by="(Variant.position, Variant.id)",
    )
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        order_by="(ProductImage.position, ProductImage.id)",
    )

    @property
    def main_image(self) -> ProductImage | None:
        """Return the first image in the gallery order, if any."""
        return self.images[0] if self.images else None


class Variant(db.Model):
    """One buyable option of a product (a size); stock changes only through inventory."""

    __tablename__ = "variants"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_override_cents >= 0", name="price_override_not_negative"),
        Index("ix_variants_product_label", "product_id", "label"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(40), default="")  # "" = the default variant
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    price_override_cents: Mapped[int | None] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=3)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(back_populates="variants")

    @hybrid_property
    def price_cents(self) -> int:
        """Return what one unit costs now: the override, or the product's base price.

        In a query (`Variant.price_cents`) the same rule in SQL; the query must join products.
        """
        if self.price_override_cents is not None:
            return self.price_override_cents
        return self.product.base_price_cents

    @price_cents.inplace.expression
    @classmethod
    def _price_cents_expression(cls) -> ColumnElement[int]:
        return func.coalesce(cls.price_override_cents, Product.base_price_cents)


class ProductImage(db.Model):
    """An image in a product's gallery; the files live in image storage under `storage_key`."""

    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(String(100))
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    alt_text: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(back_populates="images")


class StoredFile(db.Model):
    """Bytes of an image kept in the database: the storage several app servers can share."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(60))
    data: Mapped[bytes] = mapped_column(LargeBinary().with_variant(LONGBLOB(), "mysql", "mariadb"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
