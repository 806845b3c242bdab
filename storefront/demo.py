"""The demo shoe catalogue, with product images drawn here by Pillow (nothing downloaded)."""

from __future__ import annotations

import io
import random
from datetime import timedelta

from flask import current_app
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select

from storefront.catalog.images import process_image
from storefront.catalog.models import Category, Product, ProductImage, Variant
from storefront.catalog.pricing import refresh_price_range
from storefront.catalog.storage import image_storage
from storefront.database import transactional
from storefront.extensions import db
from storefront.inventory.models import REASON_INITIAL
from storefront.inventory.services import change_stock
from storefront.models_base import utcnow

CATEGORIES = [
    ("Running", "running", "Light, cushioned shoes for road miles."),
    ("Trail", "trail", "Grip and protection for rough ground."),
    ("Casual", "casual", "Everyday sneakers and town shoes."),
    ("Boots", "boots", "Warm, waterproof boots for winter."),
]

MODELS = {
    "running": [
        "Swift Road",
        "Tempo Racer",
        "Cloud Stride",
        "Pace Runner",
        "Marathon Pro",
        "Daily Trainer",
        "Sprint Lite",
    ],
    "trail": [
        "Ridge Runner",
        "Summit Grip",
        "Mud Crawler",
        "Canyon Trek",
        "Forest Path",
        "Rock Hopper",
    ],
    "casual": [
        "City Walker",
        "Canvas Classic",
        "Harbour Loafer",
        "Street Court",
        "Weekend Slip-on",
        "Retro Low",
    ],
    "boots": [
        "Alpine Hiker",
        "Snow Guard",
        "Chelsea Leather",
        "Work Boot",
        "Rain Stomper",
        "Fjord Winter",
    ],
}

# Shade names and the colour each is drawn in, so "Swift Road Black" looks black.
COLOURS = {
    "Black": (45, 45, 48),
    "Blue": (30, 90, 200),
    "Red": (205, 45, 55),
    "Grey": (130, 135, 140),
    "Olive": (110, 120, 50),
    "White": (235, 235, 230),
    "Sand": (205, 180, 130),
}
SHADES = list(COLOURS)
SIZES = ["38", "39", "40", "41", "42", "43", "44", "45", "46"]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType
        return ImageFont.load_default()


def draw_shoe(name: str, colour: tuple[int, int, int], seed: int, boot: bool = False) -> bytes:
    """Return a PNG of a simple shoe drawing in `colour`, labelled with `name`."""
    rng = random.Random(seed)
    width, height = 1200, 900
    background = tuple(min(255, 225 + rng.randint(0, 25)) for _ in range(3))
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((180, 690, 1040, 760), fill=(200, 200, 200))
    top = 260 if boot else 420
    sole_y = 680
    upper = [
        (200, sole_y),
        (200, sole_y - 120),
        (330, top + 40),
        (470, top),
        (560, top),
        (600, top + 120 if not boot else top + 60),
        (760, 520),
        (960, 560),
        (1020, 620),
        (1020, sole_y),
    ]
    draw.polygon(upper, fill=colour)
    draw.rectangle((190, sole_y, 1030, sole_y + 40), fill=(250, 250, 250), outline=(60, 60, 60))
    for i in range(5):  # laces
        x = 600 + i * 45
        draw.line((x, 470 + i * 12, x + 40, 500 + i * 12), fill=(255, 255, 255), width=8)
    stripe = tuple(max(0, c - 70) for c in colour)
    draw.line((300, 620, 900, 560), fill=stripe, width=18)
    draw.text((60, 60), name, fill=(33, 37, 41), font=_font(72))
    buffer = io.BytesIO()
    image.resize((800, 600), Image.Resampling.BILINEAR).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _store_image(product: Product, png: bytes, alt: str, position: int) -> None:
    settings = current_app.config
    processed = process_image(png, settings["IMAGE_MAX_BYTES"], settings["IMAGE_MAX_PIXELS"])
    storage = image_storage()
    storage.save(processed.full_key, processed.full)
    storage.save(processed.thumb_key, processed.thumb)
    product.images.append(
        ProductImage(
            storage_key=processed.key,
            width=processed.width,
            height=processed.height,
            alt_text=alt,
            position=position,
        )
    )


@transactional
def seed_demo() -> int:
    """Create the demo catalogue if the shop has no products; return how many were made."""
    if db.session.execute(select(func.count(Product.id))).scalar_one():
        return 0
    rng = random.Random(2026)
    now = utcnow()
    made = 0
    for position, (name, slug, description) in enumerate(CATEGORIES):
        category = Category(name=name, slug=slug, description=description, position=position)
        db.session.add(category)
        for index, model in enumerate(MODELS[slug]):
            shade = SHADES[(index + position) % len(SHADES)]
            price = rng.choice([5999, 6999, 7999, 8999, 9999, 11999, 12999, 14999])
            product = Product(
                name=f"{model} {shade}",
                slug=f"{model} {shade}".lower().replace(" ", "-"),
                description=(
                    f"The {model} in {shade.lower()} is made for {name.lower()} days.\n\n"
                    f"{description} Breathable lining, a removable insole and a sole that "
                    "lasts. Runs true to size."
                ),
                base_price_cents=price,
                category=category,
                created_at=now - timedelta(hours=made * 7),
            )
            sizes = SIZES[rng.randint(0, 2) : rng.randint(6, 9)]
            opening_stock = []
            for size_index, size in enumerate(sizes):
                override = price + 1000 if size in {"45", "46"} and index % 2 == 0 else None
                opening_stock.append(0 if (made + size_index) % 11 == 0 else rng.randint(1, 25))
                product.variants.append(
                    Variant(
                        label=size,
                        sku=f"{slug[:3].upper()}-{index + 1:02d}-{size}",
                        price_override_cents=override,
                        low_stock_threshold=3,
                        position=size_index,
                    )
                )
            refresh_price_range(product)
            db.session.add(product)
            tint = COLOURS[shade]
            seed = position * 100 + index
            _store_image(
                product,
                draw_shoe(model, tint, seed, slug == "boots"),
                f"{product.name}, side view",
                0,
            )
            if index < 2:  # a two-image gallery for the first products of each category
                detail = draw_shoe(f"{model} · detail", tint, seed + 1, slug == "boots")
                _store_image(product, detail, f"{product.name}, detail", 1)
            db.session.flush()
            for variant, quantity in zip(product.variants, opening_stock, strict=True):
                if quantity:
                    change_stock(variant.id, quantity, REASON_INITIAL, note="Demo catalogue")
            made += 1
    return made
