"""A service's refusal is shown beside its field, or for the whole form, with its own status."""

from flask import get_flashed_messages
from wtforms import Form, StringField

from storefront.errors import Conflict, NotFound, ShopError, ValidationFailed
from storefront.forms_feedback import show_error


class SlugForm(Form):
    slug = StringField()


def test_an_error_with_a_field_is_shown_beside_it_with_its_status(app):
    form = SlugForm()
    with app.test_request_context():
        status = show_error(Conflict("That slug is taken.", field="slug"), form)
        assert get_flashed_messages() == []
    assert status == 409
    assert form.slug.errors == ["That slug is taken."]


def test_an_error_for_the_whole_form_is_flashed(app):
    with app.test_request_context():
        status = show_error(NotFound("That order does not exist."), SlugForm())
        assert get_flashed_messages() == ["That order does not exist."]
    assert status == 404


def test_an_error_naming_a_field_the_form_lacks_is_flashed_rather_than_lost(app):
    with app.test_request_context():
        status = show_error(ValidationFailed("Choose a shipping method.", field="shipping"))
        assert get_flashed_messages() == ["Choose a shipping method."]
    assert status == 400


def test_a_refusal_is_never_answered_as_a_server_fault(app):
    with app.test_request_context():
        assert show_error(ShopError("Odd.", status=500)) == 400
