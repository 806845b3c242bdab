"""Flask extensions, created unbound and attached to the app in create_app()."""

from flask import request
from flask_caching import Cache
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from storefront.models_base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
cache = Cache()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Every rate limit in the shop is on a POST (tests/functional/accounts hold them to that), so a
# page view skips Flask-Limiter's per-request work.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@limiter.request_filter
def _page_views_are_not_limited() -> bool:
    return request.method in READ_METHODS
