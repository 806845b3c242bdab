"""Every mail template shown to the owner with sample data, as text and as HTML."""

from __future__ import annotations

from flask import abort, render_template

from storefront.admin.blueprint import bp
from storefront.orders.emails import confirmation_mail, new_order_notice, sample_order

# name: (what the owner reads, a function returning the rendered sample mail)
PREVIEWS = {
    "order-confirmation": ("Order confirmation", lambda: confirmation_mail(sample_order())),
    "new-order": ("New order (to the owner)", lambda: new_order_notice(sample_order())),
}

# The mail's HTML is shown as a mail client shows it: its own inline styles, no scripts, no
# remote anything, framed only by the back office's preview page.
_PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def _rendered(name: str):
    if name not in PREVIEWS:
        abort(404)
    label, render = PREVIEWS[name]
    return label, render()


@bp.get("/outbox/previews")
def mail_previews():
    """List the mail templates the owner can preview."""
    return render_template("admin/mail_previews.html", previews=PREVIEWS)


@bp.get("/outbox/previews/<name>")
def mail_preview(name: str):
    """Show one mail with sample data: subject, plain text, and its HTML in a frame."""
    label, mail = _rendered(name)
    return render_template("admin/mail_preview.html", name=name, label=label, mail=mail)


@bp.get("/outbox/previews/<name>/html")
def mail_preview_html(name: str):
    """Return one mail's HTML with sample data, as the frame of the preview page shows it."""
    _label, mail = _rendered(name)
    return (
        mail.html,
        200,
        {
            "Content-Security-Policy": _PREVIEW_POLICY,
            "X-Frame-Options": "SAMEORIGIN",
            "Content-Type": "text/html; charset=utf-8",
        },
    )
