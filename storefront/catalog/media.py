"""Serve stored product images under immutable URLs with long cache lifetimes."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from storefront.catalog.storage import KEY_PATTERN, content_type_for, image_storage
from storefront.extensions import limiter

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/media/<key>")
@limiter.exempt
def image(key: str):
    """Return one stored image file; its key changes whenever the image does."""
    if not KEY_PATTERN.match(key):
        abort(404)
    etag = f'"{key}"'
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304, headers={"ETag": etag})
    data = image_storage().load(key)
    if data is None:
        abort(404)
    response = Response(data, mimetype=content_type_for(key))
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.headers["ETag"] = etag
    return response
