"""Gunicorn settings: `make serve SERVER=gunicorn` (Granian is the default; see serve.py).

Every value can be overridden from the environment (see docs/deployment.md). The worker class
and counts were chosen by measurement (docs/benchmarks.md).
"""

import multiprocessing
import os

_cpus = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# Requests are mostly CPU (templates) with short database waits: one process per core, and
# two threads each to overlap the waits. Measured (docs/benchmarks.md): 2 x 2 beat 3 x 4 on
# the shop's pages (more threads only queue for the interpreter lock) and 3 x 1 on p99.
workers = int(os.environ.get("WEB_CONCURRENCY", _cpus))
threads = int(os.environ.get("WEB_THREADS", os.environ.get("GUNICORN_THREADS", 2)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
backlog = int(os.environ.get("GUNICORN_BACKLOG", 2048))
# Recycle workers now and then so a slow leak cannot grow forever; jitter keeps them
# from all restarting at the same moment. Not too often: a fresh worker starts with an empty
# in-process page cache (without Redis) and cold connections, and at 10,000 requests the
# workers restarted every few seconds under load, with 1-second p99 spikes. Resident memory
# stayed flat over a 4-minute mixed run without recycling (docs/benchmarks.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 10000))
# Load the app once in the master: workers share its memory and start fast.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes", "on"}
# Trust X-Forwarded-* only from the load balancer (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_fork(server, worker):
    """Give each worker its own database connections, never the master's."""
    import sys

    if not preload_app or "storefront.wsgi" not in sys.modules:
        return  # not preloaded, or another app (bench/hello.py) served with these settings
    from storefront.extensions import db
    from storefront.wsgi import app

    with app.app_context():
        # close=False: leave the parent's sockets alone; just forget them in this child.
        db.engine.dispose(close=False)
