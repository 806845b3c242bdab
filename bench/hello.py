"""The ceiling for `make bench`: a ten-line Flask app returning a fixed 2 kB HTML page."""

from flask import Flask

HEAD, TAIL = (
    "<!doctype html><html><head><title>Hello</title></head><body><p>",
    "</p></body></html>\n",
)
PAGE = HEAD + ("Hello from the benchmark ceiling. " * 64)[: 2048 - len(HEAD) - len(TAIL)] + TAIL

app = Flask(__name__)
app.add_url_rule("/", "hello", lambda: PAGE)
