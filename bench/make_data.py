"""Fill DATABASE_URL with N benchmark products over 50 categories: `make bench-data N=100000`.

Each product gets 3-8 size variants with stock (and the ledger's initial movements) and one
image row. The image files are six pictures drawn once with Pillow and stored through the
shop's image storage; products share them by storage key. Rows go in with bulk Core inserts
(executemany) in one transaction, so 100,000 products take seconds, not minutes.

Search words: every product name has a colour, an adjective and a kind ("Blue Swift Runner");
"runner" is common (1 in 8 products), "aurora" is rare (about 1 in 25,000).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import current_app  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from storefront import create_app  # noqa: E402
from storefront.catalog.images import process_image  # noqa: E402
from storefront.catalog.models import Category, Product, ProductImage, Variant  # noqa: E402
from storefront.catalog.storage import image_storage  # noqa: E402
from storefront.extensions import db  # noqa: E402
from storefront.inventory.models import REASON_INITIAL, StockMovement  # noqa: E402

CATEGORY_COUNT = 50
CHUNK = 20_000
COLOURS = ["Black", "White", "Red", "Blue", "Green", "Grey", "Navy", "Olive", "Sand", "Teal"]
ADJECTIVES = ["Swift", "Urban", "Alpine", "Classic", "Storm", "Summit", "Coastal", "Metro"]
ADJECTIVES += ["Nimble", "Rugged", "Feather", "Canyon", "Harbor", "Velvet", "Granite", "Breeze"]
KINDS = ["Runner", "Trainer", "Boot", "Sneaker", "Loafer", "Sandal", "Hiker", "Racer"]
SHELVES = ["Running", "Trail", "Casual", "Winter", "Hiking", "Court", "Work", "Dress", "Beach"]
SHELVES += ["Kids"]
AUDIENCES = ["Women's", "Men's", "Junior", "Unisex", "Outlet"]
SIZES = ["38", "39", "40", "41", "42", "43", "44", "45", "46", "47"]
RARE_WORD, RARE_EVERY = "Aurora", 25_000


def draw_images(count: int = 6) -> list[str]:
    """Draw `count` shoe pictures, store them like uploads and return their storage keys."""
    settings = current_app.config
    keys = []
    for number in range(count):
        picture = Image.new("RGB", (800, 600), (40 + 35 * number, 90, 160 - 20 * number))
        pen = ImageDraw.Draw(picture)
        pen.rounded_rectangle((120, 300, 680, 430), radius=60, fill=(240, 240, 240))
        pen.rectangle((120, 430, 680, 460), fill=(30, 30, 30))
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        processed = process_image(
            buffer.getvalue(), settings["IMAGE_MAX_BYTES"], settings["IMAGE_MAX_PIXELS"]
        )
        image_storage().save(processed.full_key, processed.full)
        image_storage().save(processed.thumb_key, processed.thumb)
        keys.append(processed.key)
    db.session.commit()  # DatabaseStorage adds rows to the session
    return keys


def ensure_categories(connection) -> list[int]:
    """Return the ids of the 50 benchmark categories, creating those that are missing."""
    now = datetime.now(UTC)
    wanted = []
    for number in range(CATEGORY_COUNT):
        shelf, audience = SHELVES[number % len(SHELVES)], AUDIENCES[number // len(SHELVES)]
        wanted.append((f"{audience} {shelf}", f"{audience} {shelf}".lower().replace("'", "")))
    existing = dict(connection.execute(select(Category.slug, Category.id)).all())
    rows = [
        {"name": name, "slug": slug.replace(" ", "-"), "description": "", "position": 100 + i}
        | {"created_at": now}
        for i, (name, slug) in enumerate(wanted)
        if slug.replace(" ", "-") not in existing
    ]
    if rows:
        connection.execute(insert(Category), rows)
        existing = dict(connection.execute(select(Category.slug, Category.id)).all())
    return [existing[slug.replace(" ", "-")] for _name, slug in wanted]


def _next_id(connection, model) -> int:
    return (connection.execute(select(func.max(model.id))).scalar() or 0) + 1


def build_rows(count: int, first_ids: dict, categories: list[int], image_keys: list[str]):
    """Yield (products, variants, images, movements) row lists, CHUNK products at a time."""
    rng = random.Random(20240601)
    product_id, variant_id = first_ids["product"], first_ids["variant"]
    image_id, movement_id = first_ids["image"], first_ids["movement"]
    start = datetime.now(UTC) - timedelta(days=365)
    for chunk_start in range(0, count, CHUNK):
        products, variants, images, movements = [], [], [], []
        for number in range(chunk_start, min(count, chunk_start + CHUNK)):
            colour, adjective = rng.choice(COLOURS), rng.choice(ADJECTIVES)
            kind = KINDS[number % len(KINDS)]
            rare = f" {RARE_WORD}" if number % RARE_EVERY == 7 else ""
            name = f"{colour} {adjective}{rare} {kind} {product_id}"
            created = start + timedelta(seconds=number * 300)
            price = rng.randrange(2999, 19999, 100)
            first_size = rng.randrange(0, 3)
            sizes = SIZES[first_size : first_size + rng.randint(3, 8)]
            prices = []
            for position, size in enumerate(sizes):
                override = price + 1000 if size in {"46", "47"} else None
                prices.append(override or price)
                stock = rng.choice((0, 2, 5, 10, 20, 40))
                sku = f"B{product_id}-{size}"
                variants.append(
                    {"id": variant_id, "product_id": product_id, "label": size, "sku": sku}
                    | {"price_override_cents": override, "stock": stock}
                    | {"low_stock_threshold": 3, "position": position, "created_at": created}
                )
                if stock:
                    movements.append(
                        {"id": movement_id, "variant_id": variant_id, "sku": sku, "delta": stock}
                        | {"stock_after": stock, "reason": REASON_INITIAL, "note": "bench data"}
                        | {"created_at": created}
                    )
                    movement_id += 1
                variant_id += 1
            products.append(
                {"id": product_id, "name": name, "slug": f"{name.lower().replace(' ', '-')}"}
                | {"description": f"The {adjective.lower()} {kind.lower()} in {colour.lower()}."}
                | {"base_price_cents": price, "price_min_cents": min(prices)}
                | {"price_max_cents": max(prices), "category_id": rng.choice(categories)}
                | {"is_active": True, "created_at": created, "updated_at": created}
            )
            images.append(
                {"id": image_id, "product_id": product_id, "storage_key": rng.choice(image_keys)}
                | {"width": 480, "height": 360, "alt_text": name, "position": 0}
                | {"created_at": created}
            )
            image_id += 1
            product_id += 1
        yield products, variants, images, movements


def fill(count: int) -> dict:
    """Insert `count` products with variants, stock, ledger and images; return row counts."""
    image_keys = draw_images()
    totals = {"products": 0, "variants": 0, "images": 0, "movements": 0}
    with db.engine.begin() as connection:
        categories = ensure_categories(connection)
        first_ids = {
            "product": _next_id(connection, Product),
            "variant": _next_id(connection, Variant),
            "image": _next_id(connection, ProductImage),
            "movement": _next_id(connection, StockMovement),
        }
        for products, variants, images, movements in build_rows(
            count, first_ids, categories, image_keys
        ):
            connection.execute(insert(Product), products)
            connection.execute(insert(Variant), variants)
            connection.execute(insert(ProductImage), images)
            connection.execute(insert(StockMovement), movements)
            for name, rows in zip(totals, (products, variants, images, movements), strict=True):
                totals[name] += len(rows)
            print(f"  {totals['products']:>9,} products", flush=True)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    return totals


def _reset_sequences(connection) -> None:
    """Move PostgreSQL's id sequences past the ids written explicitly."""
    from sqlalchemy import text

    for table in ("categories", "products", "variants", "product_images", "stock_movements"):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def main() -> None:
    """Parse the arguments, fill the database and print the time it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    arguments = parser.parse_args()
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        totals = fill(arguments.products)
        if db.engine.dialect.name == "postgresql":
            # The search triggers rewrite each products_fts row several times while filling;
            # without VACUUM (autovacuum may be off, as on CI machines) the dead versions stay
            # and every search count visits them.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as bare:
                bare.exec_driver_sql("VACUUM ANALYZE")
        elif db.engine.dialect.name == "sqlite":
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        elapsed = time.perf_counter() - started
        backend = db.engine.dialect.name
    summary = ", ".join(f"{count:,} {name}" for name, count in totals.items())
    print(f"bench-data: {summary} on {backend} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
