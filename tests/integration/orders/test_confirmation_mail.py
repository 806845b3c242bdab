"""The order confirmation is committed with the order: sent once, even if COMMIT's reply is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from storefront.errors import InsufficientStock
from storefront.orders.models import Order
from storefront.orders.placement import new_checkout_token, place_order
from storefront.outbox.models import OutboxMessage
from storefront.outbox.worker import send_due_messages

from .conftest import ADDRESS


class CommitReplyLost(ConnectionError):
    """What a process sees when the database committed but its answer never arrived."""


@pytest.fixture
def lose_next_commit_reply():
    """Return a function after which the next commit reaches the database, then fails here."""

    def lose_reply(_session):
        event.remove(Session, "after_commit", lose_reply)
        raise CommitReplyLost("the reply to COMMIT was lost")

    # First in line: nothing that runs after a commit the process saw runs after this one.
    yield lambda: event.listen(Session, "after_commit", lose_reply, insert=True)
    if event.contains(Session, "after_commit", lose_reply):
        event.remove(Session, "after_commit", lose_reply)


def _drain(app) -> None:
    while send_due_messages(app.config):
        pass


def test_a_placed_order_sends_one_confirmation_even_when_the_checkout_is_submitted_again(
    db, app, make, buyer, smtp_inbox
):
    shoe = make.product(name="Trail Runner", price_cents=4500, sizes={"42": 5})
    customer = buyer({shoe.variants[0].id: 2})
    token = new_checkout_token()

    first = place_order(customer, token, ADDRESS, "standard", "bank_transfer")
    again = place_order(customer, token, ADDRESS, "standard", "bank_transfer")
    _drain(app)

    assert again.id == first.id
    [mail] = smtp_inbox.wait(1)
    assert smtp_inbox.wait(2, timeout=0.3) == [mail]
    assert first.reference in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "2 x Trail Runner (size 42)" in text and "Total: €94.99" in text
    assert first.reference in html and "€94.99" in html and "Storefront Shoes" in html
    assert "<img" not in html and "http" not in html.split("</head>")[0]  # nothing remote


def test_an_order_whose_commit_reply_was_lost_still_gets_its_confirmation(
    db, app, make, buyer, smtp_inbox, lose_next_commit_reply
):
    shoe = make.product(price_cents=4500, sizes={"42": 5})
    customer = buyer({shoe.variants[0].id: 1})
    token = new_checkout_token()

    lose_next_commit_reply()
    with pytest.raises(Exception) as failure:  # the customer sees an error page
        place_order(customer, token, ADDRESS, "standard", "bank_transfer")
    assert isinstance(failure.value, CommitReplyLost) or isinstance(
        failure.value.__context__, CommitReplyLost
    )
    db.session.remove()
    [order] = db.session.scalars(select(Order)).all()  # yet the order was committed
    retried = place_order(customer, token, ADDRESS, "standard", "bank_transfer")
    _drain(app)

    assert retried.id == order.id
    [mail] = smtp_inbox.wait(1)
    assert smtp_inbox.wait(2, timeout=0.3) == [mail]
    assert order.reference in mail["Subject"] and mail["To"] == order.customer_email


def test_an_order_refused_for_want_of_stock_queues_no_confirmation(db, app, make, buyer):
    shoe = make.product(price_cents=4500, sizes={"42": 1})
    first = buyer({shoe.variants[0].id: 1})
    second = buyer({shoe.variants[0].id: 1})
    place_order(first, new_checkout_token(), ADDRESS, "standard", "cod")

    with pytest.raises(InsufficientStock):
        place_order(second, new_checkout_token(), ADDRESS, "standard", "cod")

    db.session.rollback()
    [message] = db.session.scalars(select(OutboxMessage)).all()
    [order] = db.session.scalars(select(Order)).all()
    assert message.idempotency_key == f"order-confirmation:{order.id}"


def test_the_owner_hears_of_each_new_order_once_when_an_address_is_set(
    db, app, make, buyer, smtp_inbox
):
    app.config["MAIL_NEW_ORDER_TO"] = "orders@shop.example"
    shoe = make.product(name="Trail Runner", price_cents=4500, sizes={"42": 5})
    customer = buyer({shoe.variants[0].id: 1})
    token = new_checkout_token()

    order = place_order(customer, token, ADDRESS, "standard", "cod")
    place_order(customer, token, ADDRESS, "standard", "cod")
    _drain(app)

    mails = smtp_inbox.wait(2)
    assert smtp_inbox.wait(3, timeout=0.3) == mails
    [notice] = [mail for mail in mails if mail["To"] == "orders@shop.example"]
    assert notice["Subject"] == f"New order {order.reference}: €49.99 from {order.customer_name}"
    text = notice.get_body(preferencelist=("plain",)).get_content()
    assert "1 x Trail Runner (size 42)" in text and "Total: €49.99" in text
    assert order.reference in notice.get_body(preferencelist=("html",)).get_content()


def test_without_an_owner_address_only_the_customer_is_mailed(db, app, make, buyer):
    shoe = make.product(price_cents=4500, sizes={"42": 5})
    place_order(buyer({shoe.variants[0].id: 1}), new_checkout_token(), ADDRESS, "standard", "cod")

    db.session.rollback()
    assert [m.kind for m in db.session.scalars(select(OutboxMessage))] == ["order-confirmation"]
