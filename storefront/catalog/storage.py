"""Where image files live: a local folder by default, or the database for several servers."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

from storefront.extensions import db

# Keys are chosen by the server: 32 hex characters, an optional size suffix, an extension.
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}(?:-(?:thumb|full))?\.(?:webp|png|jpg)$")
CONTENT_TYPES = {"webp": "image/webp", "png": "image/png", "jpg": "image/jpeg"}


class ImageStorage(Protocol):
    """What the shop needs from a place that keeps image files."""

    def save(self, key: str, data: bytes) -> None:
        """Store `data` under `key`."""

    def load(self, key: str) -> bytes | None:
        """Return the bytes stored under `key`, or None."""

    def delete(self, key: str) -> None:
        """Remove `key` if it exists."""


def content_type_for(key: str) -> str:
    """Return the MIME type for a storage key."""
    return CONTENT_TYPES[key.rsplit(".", 1)[1]]


def _check_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise ValueError(f"invalid storage key {key!r}")
    return key


class LocalFolderStorage:
    """Files in one folder (which may be a shared mount when several servers run)."""

    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / _check_key(key)

    def save(self, key: str, data: bytes) -> None:
        """Write the file atomically, so a reader never sees half of it."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(data)
        os.replace(partial, path)

    def load(self, key: str) -> bytes | None:
        """Return the file's bytes, or None when it does not exist."""
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, ValueError):
            return None

    def delete(self, key: str) -> None:
        """Remove the file if present."""
        try:
            self._path(key).unlink(missing_ok=True)
        except ValueError:
            return


class DatabaseStorage:
    """Files as rows of `stored_files`: every app server that shares the database sees them."""

    def save(self, key: str, data: bytes) -> None:
        """Add the file to the current transaction."""
        from storefront.catalog.models import StoredFile

        db.session.merge(
            StoredFile(key=_check_key(key), content_type=content_type_for(key), data=data)
        )

    def load(self, key: str) -> bytes | None:
        """Return the file's bytes, or None."""
        from storefront.catalog.models import StoredFile

        if not KEY_PATTERN.match(key):
            return None
        stored = db.session.get(StoredFile, key)
        return stored.data if stored else None

    def delete(self, key: str) -> None:
        """Remove the file's row if present."""
        from storefront.catalog.models import StoredFile

        stored = db.session.get(StoredFile, key) if KEY_PATTERN.match(key) else None
        if stored is not None:
            db.session.delete(stored)


def register_image_storage(app: Flask) -> None:
    """Choose the storage from IMAGE_STORAGE ('local' or 'database')."""
    if app.config["IMAGE_STORAGE"] == "database":
        app.extensions["storefront.image_storage"] = DatabaseStorage()
    else:
        app.extensions["storefront.image_storage"] = LocalFolderStorage(
            app.config["IMAGE_STORAGE_PATH"]
        )


def image_storage() -> ImageStorage:
    """Return the app's image storage."""
    return current_app.extensions["storefront.image_storage"]
