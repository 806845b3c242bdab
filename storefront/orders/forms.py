"""Checkout forms: the shape of the input only; services check the business rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField
from wtforms.validators import Length, Optional, ValidationError

NEW_ADDRESS = "new"

# (field name, label, max length, required, autocomplete)
ADDRESS_FIELDS = (
    ("full_name", "Full name", 100, True, "name"),
    ("street", "Street and number", 200, True, "street-address"),
    ("city", "City", 100, True, "address-level2"),
    ("postal_code", "Postal code", 20, True, "postal-code"),
    ("country", "Country", 60, True, "country-name"),
    ("phone", "Phone (optional, for the courier)", 40, False, "tel"),
)


def _address_field(label: str, max_length: int, autocomplete: str) -> StringField:
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=max_length, message=f"At most {max_length} characters."),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": f"shipping {autocomplete}", "maxlength": max_length},
    )


class CheckoutForm(FlaskForm):
    """Where to ship, how to ship and how to pay; prices are never part of it."""

    address_choice = RadioField("Ship to", validate_choice=False, default=NEW_ADDRESS)
    full_name = _address_field("Full name", 100, "name")
    street = _address_field("Street and number", 200, "street-address")
    city = _address_field("City", 100, "address-level2")
    postal_code = _address_field("Postal code", 20, "postal-code")
    country = _address_field("Country", 60, "country-name")
    phone = _address_field("Phone (optional, for the courier)", 40, "tel")
    save_address = BooleanField("Save this address for next time")
    shipping_method = RadioField("Shipping", validate_choice=False)
    payment_method = RadioField("Payment", validate_choice=False)

    def set_choices(self, addresses, shipping_options, providers) -> None:
        """Offer the customer's saved addresses, the shipping methods and the payment methods."""
        self.address_choice.choices = [(str(a.id), a.one_line()) for a in addresses] + [
            (NEW_ADDRESS, "A new address")
        ]
        self.shipping_method.choices = [(option.code, option.label) for option in shipping_options]
        self.payment_method.choices = [(provider.code, provider.label) for provider in providers]
        if not self.is_submitted():
            self.address_choice.data = str(addresses[0].id) if addresses else NEW_ADDRESS
            self.shipping_method.data = shipping_options[0].code if shipping_options else None
            self.payment_method.data = providers[0].code if providers else None

    @property
    def uses_new_address(self) -> bool:
        """Return True when the customer typed an address rather than picking a saved one."""
        return self.address_choice.data == NEW_ADDRESS

    def validate_address_choice(self, field) -> None:
        """Accept a saved address from the list or a new one."""
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError("Choose one of your addresses or enter a new one.")

    def validate_shipping_method(self, field) -> None:
        """Accept only a configured shipping method."""
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError("Choose a shipping method.")

    def validate_payment_method(self, field) -> None:
        """Accept only an offered payment method."""
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError("Choose a payment method.")

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields; a new address needs every field but the phone."""
        valid = super().validate(extra_validators)
        if self.uses_new_address:
            for name, label, _max, required, _auto in ADDRESS_FIELDS:
                field = getattr(self, name)
                if required and not field.data and not field.errors:
                    field.errors.append(f"Enter the {label.lower()}.")
                    valid = False
        return valid


class PlaceOrderForm(CheckoutForm):
    """The reviewed checkout plus the token that makes placing it happen only once."""

    checkout_token = HiddenField()

    def validate_checkout_token(self, field) -> None:
        """Require a token of the shape the review page gives out."""
        token = field.data or ""
        if not 20 <= len(token) <= 64 or not token.replace("-", "").replace("_", "").isalnum():
            raise ValidationError("This checkout has expired; please review your order again.")
