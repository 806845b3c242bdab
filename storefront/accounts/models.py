"""Users, their login sessions and saved addresses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models_base import UTCDateTime, utcnow

ROLE_CUSTOMER = "customer"
ROLE_ADMIN = "admin"
ROLES = (ROLE_CUSTOMER, ROLE_ADMIN)


class User(db.Model):
    """A customer or an admin; after deletion the row stays with no personal data."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    # Stored normalised (lower case), so uniqueness ignores case on every database.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=ROLE_CUSTOMER)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the address was proved by a link mailed to it; None until then.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    addresses: Mapped[list[Address]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Address.id.desc()"
    )

    # Flask-Login protocol: the session's id, not the user's, goes into the cookie.
    is_authenticated = True
    is_anonymous = False
    login_session_id = None  # set by the user loader; not a column

    def get_id(self) -> str | None:
        """Return the login session id that Flask-Login keeps in the cookie."""
        return self.login_session_id

    @property
    def is_admin(self) -> bool:
        """Return True for shop administrators."""
        return self.role == ROLE_ADMIN

    @property
    def email_confirmed(self) -> bool:
        """Return True once the owner of the email address has proved it."""
        return self.email_confirmed_at is not None

    @property
    def is_deleted(self) -> bool:
        """Return True once the account has been deleted and anonymised."""
        return self.deleted_at is not None


class LoginSession(db.Model):
    """One signed-in browser; deleting the row ends that session everywhere it was copied."""

    __tablename__ = "login_sessions"

    # SHA-256 of the random token in the cookie: a leaked table gives no usable sessions.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship()


class Address(db.Model):
    """A shipping address a customer saved at checkout."""

    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(100))
    street: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    postal_code: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="addresses")

    def one_line(self) -> str:
        """Return the address on one line for pickers and summaries."""
        return f"{self.full_name}, {self.street}, {self.postal_code} {self.city}, {self.country}"
