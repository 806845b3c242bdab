"""The back office under /admin: one blueprint, one views module per domain, admins only.

The views are imported when the blueprint is first asked for, not when the package is:
services import `storefront.admin.audit` and must not pull the views (and so themselves) in.
"""


def __getattr__(name: str):
    """Return the blueprint `bp` with the routes of every views module registered."""
    if name != "bp":
        raise AttributeError(name)
    from storefront.admin import (  # noqa: F401  (routes register on import)
        audit_views,
        categories,
        dashboard,
        images,
        inventory,
        orders,
        products,
        stock_import,
        users,
    )
    from storefront.admin.blueprint import bp

    return bp
