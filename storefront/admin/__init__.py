"""The back office under /admin: one blueprint (admin/views.py), one views module per domain."""
