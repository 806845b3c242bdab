"""The WSGI entry point for production (`make serve`: Granian, or gunicorn; see serve.py)."""

from storefront import create_app

app = create_app()
