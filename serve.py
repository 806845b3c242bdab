"""Serve the shop in production: `make serve` (Granian) or `make serve SERVER=gunicorn`.

Granian is the default because it served the shop's own pages 1.3-1.8 times as fast as
gunicorn with the same processes, steadier and (on PostgreSQL) with a lower p99
(docs/benchmarks.md, "Choosing the WSGI server"). Gunicorn stays available with
gunicorn.conf.py. Every Granian setting can be given in its own GRANIAN_* environment
variable (see `granian --help`); this script only fills in the shop's defaults for those left
unset, then replaces itself with the server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "storefront.wsgi:app"
BIN = Path(sys.executable).parent


def granian_defaults(cpus: int) -> dict[str, str]:
    """Return the shop's defaults for Granian's settings."""
    return {
        "GRANIAN_INTERFACE": "wsgi",
        "GRANIAN_HOST": "127.0.0.1",
        "GRANIAN_PORT": "8000",
        # One process per core; four threads each overlap the database and Redis waits
        # (Granian does the network I/O outside the interpreter lock; measured 2 x 4 against
        # 2 x 2 and 3 x 1 in docs/benchmarks.md).
        "GRANIAN_WORKERS": os.environ.get("WEB_CONCURRENCY", str(cpus)),
        "GRANIAN_BLOCKING_THREADS": os.environ.get("WEB_THREADS", "4"),
        "GRANIAN_WEBSOCKETS": "false",
        "GRANIAN_RESPAWN_FAILED_WORKERS": "true",
        # A worker above 300 MB (a leak; the shop's workers stay near 110 MB) is replaced.
        "GRANIAN_WORKERS_MAX_RSS": "300",
    }


def main() -> None:
    """Exec the chosen server with the shop's defaults (`serve.py [module:app]`)."""
    app = sys.argv[1] if len(sys.argv) > 1 else APP
    server = os.environ.get("SERVER", "granian")
    if server == "gunicorn":
        gunicorn = str(BIN / "gunicorn")
        config = str(Path(__file__).resolve().parent / "gunicorn.conf.py")
        os.execv(gunicorn, [gunicorn, "-c", config, app])
    if server != "granian":
        raise SystemExit(f"SERVER must be granian or gunicorn, not {server!r}.")
    for name, value in granian_defaults(os.cpu_count() or 1).items():
        os.environ.setdefault(name, value)
    granian = str(BIN / "granian")
    os.execv(granian, [granian, app])


if __name__ == "__main__":
    main()
