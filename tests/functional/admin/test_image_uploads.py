"""Upload battery: only real images get in, re-encoded clean, under names the server chose."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from storefront.catalog.models import ProductImage
from storefront.catalog.storage import KEY_PATTERN


def png_bytes(size=(64, 48), colour=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (20, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.php", "<?php system($_GET['c']); ?>")
    return buffer.getvalue()


def pixel_bomb_png(width=30000, height=30000) -> bytes:
    """Return a tiny PNG whose header claims a huge canvas (nothing big is ever allocated)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
REFUSED = [
    ("php_named_jpg", "shell.jpg", b"<?php system($_GET['c']); ?>", "Only JPEG, PNG or WebP"),
    ("html", "page.html", b"<html><script>alert(1)</script></html>", "Only JPEG, PNG or WebP"),
    ("svg_with_script", "logo.svg", SVG, "Only JPEG, PNG or WebP"),
    ("six_megabytes", "big.jpg", jpeg_bytes() + b"\x00" * (6 * 1024 * 1024), "larger than 5 MB"),
    ("pixel_bomb", "bomb.png", pixel_bomb_png(), "more than 40 megapixels"),
]


@pytest.fixture
def product(db, make):
    return make.product(sizes={"42": 3})


def files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def upload(client, product_id: int, *files, alt_text=""):
    return client.post(
        f"/admin/products/{product_id}/images",
        data={
            "alt_text": alt_text,
            "images": [(io.BytesIO(data), name) for name, data in files],
        },
        content_type="multipart/form-data",
    )


def stored_images(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(ProductImage.id)))


@pytest.mark.parametrize(
    ("name", "data", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_upload_that_is_not_an_acceptable_image_is_refused_and_nothing_is_stored(
    app, db, admin_client, product, tmp_path, name, data, message
):
    before = files_under(tmp_path)
    response = upload(admin_client, product.id, (name, data))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'id="images-error"' in page
    assert files_under(tmp_path) == before
    assert stored_images(db) == 0


def test_one_refused_file_among_good_ones_stores_none_of_them(db, admin_client, product, tmp_path):
    before = files_under(tmp_path)
    response = upload(admin_client, product.id, ("a.png", png_bytes()), ("b.svg", SVG))
    assert response.status_code == 400
    assert "b.svg" in response.get_data(as_text=True)
    assert files_under(tmp_path) == before and stored_images(db) == 0


def test_jpeg_with_a_zip_appended_is_stored_re_encoded_without_the_zip(
    app, db, admin_client, product
):
    response = upload(admin_client, product.id, ("holiday.jpg", jpeg_bytes() + zip_bytes()))
    assert response.status_code == 302
    root = Path(app.config["IMAGE_STORAGE_PATH"])
    stored = files_under(root)
    assert len(stored) == 2  # full size and thumbnail
    for path in stored:
        data = path.read_bytes()
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        assert b"PK\x03\x04" not in data and b"evil.php" not in data


@pytest.mark.parametrize("client_name", ["../../../../tmp/evil.png", "../x.png", "a\x00.php.png"])
def test_client_file_names_are_ignored_and_the_server_chooses_the_stored_name(
    app, db, admin_client, product, tmp_path, client_name
):
    before = files_under(tmp_path)
    response = upload(admin_client, product.id, (client_name, png_bytes()))
    assert response.status_code in (302, 400)
    root = Path(app.config["IMAGE_STORAGE_PATH"]).resolve()
    new_files = files_under(tmp_path) - before
    for path in new_files:
        assert root in path.resolve().parents
        assert KEY_PATTERN.match(path.name)
    assert not Path("/tmp/evil.png").exists() or Path("/tmp/evil.png") in before
    db.session.expire_all()
    keys = db.session.scalars(select(ProductImage.storage_key)).all()
    assert all(len(key) == 32 and "." not in key and "/" not in key for key in keys)


def test_several_images_upload_at_once_with_thumbnails(app, db, admin_client, product):
    response = upload(
        admin_client,
        product.id,
        ("one.png", png_bytes()),
        ("two.jpg", jpeg_bytes()),
        alt_text="Side view",
    )
    assert response.status_code == 302
    db.session.expire_all()
    images = db.session.scalars(select(ProductImage).order_by(ProductImage.position)).all()
    assert [image.alt_text for image in images] == ["Side view", "Side view"]
    root = Path(app.config["IMAGE_STORAGE_PATH"])
    names = {path.name for path in files_under(root)}
    for image in images:
        assert {f"{image.storage_key}-full.webp", f"{image.storage_key}-thumb.webp"} <= names
    page = admin_client.get(f"/admin/products/{product.id}").get_data(as_text=True)
    assert f"{images[0].storage_key}-thumb.webp" in page


def test_deleting_an_image_removes_its_files(app, db, admin_client, product):
    upload(admin_client, product.id, ("one.png", png_bytes()))
    image = db.session.scalars(select(ProductImage)).one()
    root = Path(app.config["IMAGE_STORAGE_PATH"])
    assert len(files_under(root)) == 2
    response = admin_client.post(
        f"/admin/products/{product.id}/images/{image.id}/delete",
        data={},
    )
    assert response.status_code == 302
    assert files_under(root) == set() and stored_images(db) == 0


def test_main_image_and_order_can_be_changed(db, admin_client, product):
    upload(admin_client, product.id, ("a.png", png_bytes()), ("b.png", png_bytes(colour=(0, 0, 0))))
    first, second = db.session.scalars(select(ProductImage).order_by(ProductImage.position)).all()
    admin_client.post(
        f"/admin/products/{product.id}/images/{second.id}/main",
        data={},
    )
    db.session.expire_all()
    assert [i.id for i in db.session.get(type(product), product.id).images] == [second.id, first.id]
    admin_client.post(
        f"/admin/products/{product.id}/images/{second.id}/move",
        data={"direction": "down"},
    )
    db.session.expire_all()
    assert [i.id for i in db.session.get(type(product), product.id).images] == [first.id, second.id]
