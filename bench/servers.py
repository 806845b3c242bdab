"""Start and stop app servers for the benchmarks through serve.py: Granian, or gunicorn."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """Return a TCP port on the loopback interface that nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(target: str, port: int, env: dict, server: str = "granian", log=None):
    """Start `target` (module:app) on 127.0.0.1:`port` the way `make serve` does; return it."""
    env = {**os.environ, **env, "SERVER": server}
    env |= {"GUNICORN_BIND": f"127.0.0.1:{port}", "GRANIAN_HOST": "127.0.0.1"}
    env |= {"GRANIAN_PORT": str(port)}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "bench")])
    return subprocess.Popen(
        [sys.executable, str(ROOT / "serve.py"), target],
        cwd=ROOT,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_until_up(url: str, process, seconds: float = 30) -> None:
    """Wait until `url` answers, or raise with the reason."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server for {url} did not answer within {seconds:.0f} s")


def stop_server(process) -> None:
    """Stop the server and its workers (its own process group only)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def worker_rss_mb(process) -> list[float]:
    """Return the resident memory (MB) of each worker process under `process`."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(process.pid):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)
