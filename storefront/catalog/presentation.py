"""Turn catalogue records into what a page shows: safe description HTML, schema.org data."""

from __future__ import annotations

import markdown
import nh3
from flask import current_app, url_for
from markupsafe import Markup

from storefront.catalog.images import full_key, thumb_key
from storefront.catalog.models import Product, Variant
from storefront.money import format_amount

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "blockquote", "code"}


def render_description(text: str | None) -> Markup:
    """Return a product description (Markdown) as sanitised HTML: no raw HTML survives."""
    if not text:
        return Markup("")
    # Escape first: HTML typed into a description shows as text, never as markup.
    html = markdown.markdown(str(Markup.escape(text)), output_format="html")
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}))


def image_url(storage_key: str, size: str = "thumb") -> str:
    """Return the URL of an image's thumbnail or full-size file."""
    key = thumb_key(storage_key) if size == "thumb" else full_key(storage_key)
    return url_for("media.image", key=key)


def shown_variant(product: Product) -> Variant | None:
    """Return the option a product page shows first: the first in stock, else the first."""
    in_stock = (variant for variant in product.variants if variant.stock > 0)
    return next(in_stock, product.variants[0] if product.variants else None)


def product_json_ld(product: Product, available: bool) -> dict:
    """Return schema.org Product data for a product page (serialised with |tojson).

    `available` is the stock badge's answer (inventory's rule), which the page already shows.
    """
    currency = current_app.config["STOREFRONT_CURRENCY"]
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": (product.description or "")[:500],
        "url": url_for("catalog.product", slug=product.slug, _external=True),
        "offers": {
            "@type": "AggregateOffer",
            "priceCurrency": currency,
            "lowPrice": format_amount(product.price_min_cents),
            "highPrice": format_amount(product.price_max_cents),
            "offerCount": len(product.variants),
            "availability": "https://schema.org/InStock"
            if available
            else "https://schema.org/OutOfStock",
        },
    }
    shown = shown_variant(product)
    if shown is not None:
        data["sku"] = shown.sku
    if product.category is not None:
        data["category"] = product.category.name
    if product.images:
        data["image"] = [
            url_for("media.image", key=full_key(image.storage_key), _external=True)
            for image in product.images
        ]
    return data
