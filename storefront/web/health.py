"""`/healthz`: 200 while the shop serves (``degraded`` without Redis), 503 without its database."""

import redis
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storefront.extensions import db, limiter

bp = Blueprint("health", __name__)


def _redis_state() -> str | None:
    """Return "ok" or "unreachable" for the configured Redis, None when there is none."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "unreachable"
    finally:
        client.close()
    return "ok"


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Report whether the shop reaches its database and, if configured, Redis."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    finally:
        db.session.remove()
    report = {"status": "ok", "database": "ok"}
    redis_state = _redis_state()
    if redis_state is not None:
        report["redis"] = redis_state
        if redis_state != "ok":
            report["status"] = "degraded"
            report["serving"] = "without the shared cache; rate limits counted per process"
    return jsonify(report), 200
