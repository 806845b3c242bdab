"""The back office under /admin: one blueprint (admin/routes.py), one views module per domain.

The package itself imports nothing, so services can use `storefront.admin.audit` without
pulling in the views.
"""
