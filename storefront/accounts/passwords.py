"""Password hashing with argon2id, and the strength rule for new passwords."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_SCORE = 3


def _hasher() -> PasswordHasher:
    hasher = current_app.extensions.get("storefront.password_hasher")
    if hasher is None:
        settings = current_app.config
        hasher = PasswordHasher(
            time_cost=settings["ARGON2_TIME_COST"],
            memory_cost=settings["ARGON2_MEMORY_COST"],
            parallelism=settings["ARGON2_PARALLELISM"],
        )
        current_app.extensions["storefront.password_hasher"] = hasher
        # A real hash to verify against when the email is unknown, so timing does not tell.
        current_app.extensions["storefront.dummy_hash"] = hasher.hash("not-a-real-password!")
    return hasher


def hash_password(password: str) -> str:
    """Return the argon2id hash of `password` with the configured parameters."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return True when `password` matches; spends the same effort when there is no hash."""
    hasher = _hasher()
    target = password_hash or current_app.extensions["storefront.dummy_hash"]
    try:
        matched = hasher.verify(target, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    """Return True when the hash was made with other parameters than the configured ones."""
    return _hasher().check_needs_rehash(password_hash)


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Return why `password` is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    result = zxcvbn(password, user_inputs=[value for value in user_inputs if value])
    if result["score"] < MIN_SCORE:
        feedback = result.get("feedback", {})
        hint = feedback.get("warning") or " ".join(feedback.get("suggestions", []))
        reason = "This password is too easy to guess."
        return f"{reason} {hint}".strip() if hint else f"{reason} Add more unusual words."
    return None
