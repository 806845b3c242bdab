"""The WSGI entry point for production: `gunicorn -c gunicorn.conf.py storefront.wsgi:app`."""

from storefront import create_app

app = create_app()
