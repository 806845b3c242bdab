"""Account forms: the shape of the input only; services check the business rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from storefront.accounts.passwords import MAX_LENGTH, password_problem

# Longer input than this is never a password; refusing it early keeps argon2 cheap.
_PASSWORD_INPUT_MAX = 1024


def _email_field(label: str = "Email") -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired("Enter your email address."),
            Length(max=254, message="An email address has at most 254 characters."),
            Email("Enter a valid email address.", check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )


def _current_password(label: str = "Current password") -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired("Enter your password."), Length(max=_PASSWORD_INPUT_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


def _new_password(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired("Choose a password.")],
        description="At least 10 characters; a few unusual words make a strong one.",
        render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
    )


def _password_again(target: str) -> PasswordField:
    return PasswordField(
        "Password again",
        validators=[
            DataRequired("Enter the password again."),
            EqualTo(target, message="The two passwords are not the same."),
        ],
        render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
    )


def _strong(form, field, *context: str) -> None:
    problem = password_problem(field.data or "", tuple(value for value in context if value))
    if problem:
        raise ValidationError(problem)


class RegisterForm(FlaskForm):
    """Name, email and a password typed twice."""

    name = StringField(
        "Name",
        validators=[DataRequired("Enter your name."), Length(max=100)],
        render_kw={"autocomplete": "name", "maxlength": 100},
    )
    email = _email_field()
    password = _new_password()
    password_again = _password_again("password")

    def validate_password(self, field) -> None:
        """Refuse a weak password, telling why, beside the field."""
        _strong(self, field, self.name.data, self.email.data)


class LoginForm(FlaskForm):
    """Email, password and whether to stay signed in."""

    email = EmailField(
        "Email",
        validators=[DataRequired("Enter your email address."), Length(max=254)],
        render_kw={"autocomplete": "username", "maxlength": 254},
    )
    password = _current_password("Password")
    remember = BooleanField("Remember me")


class ForgotPasswordForm(FlaskForm):
    """The email address to send a reset link to."""

    email = _email_field()


class ResetPasswordForm(FlaskForm):
    """A new password typed twice."""

    password = _new_password("New password")
    password_again = _password_again("password")

    def validate_password(self, field) -> None:
        """Refuse a weak password, telling why, beside the field."""
        _strong(self, field)


class ChangeNameForm(FlaskForm):
    """The name the shop uses for this person."""

    name = StringField(
        "Name",
        validators=[DataRequired("Enter your name."), Length(max=100)],
        render_kw={"autocomplete": "name", "maxlength": 100},
    )


class ChangeEmailForm(FlaskForm):
    """A new email address, confirmed with the current password."""

    new_email = _email_field("New email")
    email_password = _current_password()


class ChangePasswordForm(FlaskForm):
    """The current password and a new one typed twice."""

    current_password = _current_password()
    new_password = _new_password("New password")
    new_password_again = _password_again("new_password")

    def validate_new_password(self, field) -> None:
        """Refuse a weak password, telling why, beside the field."""
        _strong(self, field)


class DeleteAccountForm(FlaskForm):
    """The password, to confirm that the person really wants the account gone."""

    delete_password = _current_password("Your password")
