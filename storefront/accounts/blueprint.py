"""The accounts blueprint and the status its views answer a form that does not validate."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

FORM_INVALID = 422
