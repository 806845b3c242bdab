"""Does answering stored pages before Flask pay? A stored page served three ways, in process.

1. `StoredPageFront` (what the shop does): the WSGI middleware answers before Flask starts.
2. The same stored bytes answered by Flask: a `before_request` hook, first of all, returns the
   stored page, so Flask pushes its contexts, opens the session, matches the URL and runs its
   after-request hooks (compression skipped: the body is already compressed).
3. `bench/hello.py` through Flask, for scale.

Each is called through its WSGI callable with the same environ, after a warm-up; the table
gives microseconds per request (median of rounds) and the ratio to hello. Run against the
benchmark database: `python bench/front.py` with DATABASE_URL set as for `make bench`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from flask import Flask, Response, request

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hello  # noqa: E402

ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def environ_for(path: str, accept_encoding: str | None) -> dict:
    """Return a WSGI environ for a GET of `path` on the shop's own host."""
    from werkzeug.test import EnvironBuilder

    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    return EnvironBuilder(path=path, base_url="http://127.0.0.1", headers=headers).get_environ()


def per_request_us(wsgi_app, environ: dict, count: int, rounds: int) -> float:
    """Return the median over `rounds` of the microseconds one request takes."""

    def start_response(status, headers, exc_info=None):
        return None

    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(count):
            body = wsgi_app(dict(environ), start_response)
            for _chunk in body:
                pass
            getattr(body, "close", lambda: None)()
        timings.append((time.perf_counter() - started) / count * 1e6)
    return statistics.median(timings)


def flask_answering_stored_pages() -> Flask:
    """Return the shop with a first before_request hook that answers from the page store."""
    from storefront import create_app
    from storefront.web.page_store import find_page

    app = create_app()

    def answer_from_store():
        page = find_page(app, request.environ)
        if page is None:
            return None
        coding = page.encoding_for(request.headers.get("Accept-Encoding"))
        response = Response(page.bodies[coding], content_type=page.content_type)
        if coding != "identity":
            response.headers["Content-Encoding"] = coding
        response.headers["ETag"] = f'"{page.etag_for(coding)}"'
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, answer_from_store)
    return app


def flask_itself(app: Flask):
    """Return the app's own Flask WSGI callable, without the middleware create_app adds."""
    return lambda environ, start_response: Flask.wsgi_app(app, environ, start_response)


def main() -> None:
    """Store a page, then time the three ways of answering it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/products")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()

    from storefront import create_app

    shop = create_app()
    through_flask = flask_itself(flask_answering_stored_pages())
    for accept_encoding in (ACCEPT_ENCODING, None):
        environ = environ_for(arguments.path, accept_encoding)
        # The first request renders and stores the page (once the response is closed).
        per_request_us(shop.wsgi_app, environ, 2, 1)
        per_request_us(through_flask, environ, 2, 1)
        rows = {
            "hello app through Flask": per_request_us(
                hello.app.wsgi_app,
                environ_for("/", accept_encoding),
                arguments.count,
                arguments.rounds,
            ),
            "stored page, StoredPageFront": per_request_us(
                shop.wsgi_app, environ, arguments.count, arguments.rounds
            ),
            "stored page, answered inside Flask": per_request_us(
                through_flask, environ, arguments.count, arguments.rounds
            ),
        }
        hello_time = rows["hello app through Flask"]
        print(f"\n{arguments.path}, Accept-Encoding: {accept_encoding or '(none)'}")
        print("| way | us per request | requests/s of one core, as a ratio to hello |")
        print("|---|---:|---:|")
        for name, micros in rows.items():
            print(f"| {name} | {micros:.0f} | {hello_time / micros:.2f} |")


if __name__ == "__main__":
    main()
