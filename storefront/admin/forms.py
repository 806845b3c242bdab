"""Back-office forms: input shape only; the services check the business rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as FormError

from storefront.money import parse_amount
from storefront.params import MAX_RECORD_ID


def _amount(form, field) -> None:
    if field.data and parse_amount(field.data) is None:
        raise FormError("Enter an amount such as 49.90.")


class ProductForm(FlaskForm):
    """A product's own details."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        "Slug",
        validators=[Optional(), Length(max=200)],
        description="Part of the web address; made from the name when left empty.",
    )
    description = TextAreaField("Description", validators=[Length(max=20000)])
    base_price = StringField("Price", validators=[DataRequired(), _amount])
    category_id = SelectField(
        "Category",
        coerce=int,
        validate_choice=False,
        validators=[
            NumberRange(min=0, max=MAX_RECORD_ID, message="Choose a category from the list.")
        ],
    )
    is_active = BooleanField("Active (shown in the shop)", default=True)


class VariantForm(FlaskForm):
    """One option of a product: size label, SKU, price override, low-stock threshold."""

    label = StringField("Size", validators=[Optional(), Length(max=40)])
    sku = StringField("SKU", validators=[DataRequired(), Length(max=64)])
    price_override = StringField(
        "Price override", validators=[Optional(), _amount], description="Empty: the product price."
    )
    low_stock_threshold = IntegerField(
        "Low-stock threshold", default=3, validators=[InputRequired(), NumberRange(min=0, max=9999)]
    )


class NewVariantForm(VariantForm):
    """A new option, with the stock that goes in through the ledger."""

    initial_stock = IntegerField(
        "Initial stock", default=0, validators=[InputRequired(), NumberRange(min=0, max=1_000_000)]
    )


class NewProductForm(ProductForm):
    """A new product with its first option."""

    sku = StringField("SKU of the first option", validators=[DataRequired(), Length(max=64)])
    label = StringField(
        "Size of the first option",
        validators=[Optional(), Length(max=40)],
        description="Leave empty for a product without options.",
    )
    low_stock_threshold = IntegerField(
        "Low-stock threshold", default=3, validators=[InputRequired(), NumberRange(min=0, max=9999)]
    )
    initial_stock = IntegerField(
        "Initial stock", default=0, validators=[InputRequired(), NumberRange(min=0, max=1_000_000)]
    )


class ImageUploadForm(FlaskForm):
    """Several images at once."""

    images = MultipleFileField(
        "Images",
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
        description="JPEG, PNG or WebP; at most 5 MB and 40 megapixels each.",
    )
    alt_text = StringField("Alt text", validators=[Optional(), Length(max=200)])


class AltTextForm(FlaskForm):
    """An image's description for people who cannot see it."""

    alt_text = StringField("Alt text", validators=[Length(max=200)])


class CategoryForm(FlaskForm):
    """A category's name, slug and short description."""

    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    slug = StringField("Slug", validators=[Optional(), Length(max=100)])
    description = StringField("Description", validators=[Optional(), Length(max=300)])


class StockChangeForm(FlaskForm):
    """Receive, count or write off stock, always with a reason."""

    action = HiddenField(validators=[DataRequired()])
    quantity = IntegerField(
        "Quantity", validators=[InputRequired(), NumberRange(min=0, max=1_000_000)]
    )
    note = StringField("Reason", validators=[DataRequired(message="Say why."), Length(max=200)])


class ImportForm(FlaskForm):
    """A CSV file of products, variants and stock."""

    file = FileField("CSV file", validators=[FileRequired()], render_kw={"accept": ".csv,text/csv"})


class ApplyImportForm(FlaskForm):
    """The checked file's text, sent back to apply it."""

    csv_text = HiddenField(validators=[DataRequired()])


class StatusForm(FlaskForm):
    """Move an order to its next status."""

    status = HiddenField(validators=[DataRequired()])
    note = StringField("Note", validators=[Optional(), Length(max=500)])
