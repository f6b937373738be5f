"""The reference Seller API server in a process of its own, as a marketplace is to the studio
(an embedded server would share this process's interpreter lock with the studio it serves),
and a transport that adds up the server's own time from its `Server-Timing` answers."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from marketplace.app import build_state
from marketplace.config import Settings
from marketplace.sellers import create_seller

START_TIMEOUT_S = 60


@dataclass
class ServedMarketplace:
    base_url: str
    tokens: dict[str, str]  # seller name -> personal API token
    pid: int

    def cpu_s(self) -> float | None:
        """CPU seconds the server process has used so far (None where /proc is missing)."""
        try:
            with open(f"/proc/{self.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served_marketplace(data_dir: Path, sellers: list[str]) -> Iterator[ServedMarketplace]:
    """`python -m marketplace serve` (no rate limit, no access log) with these sellers."""
    state = build_state(Settings(data_dir=data_dir))
    tokens = {name: create_seller(state.db, name) for name in sellers}
    state.db.dispose()
    port = _free_port()
    command = [sys.executable, "-m", "marketplace", "serve", "--data", str(data_dir)]
    command += ["--port", str(port), "--rate-limit", "0", "--quiet"]
    process = subprocess.Popen(command)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                httpx.get(f"{base_url}/openapi.json", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the marketplace server did not start") from None
                time.sleep(0.1)
        yield ServedMarketplace(base_url, tokens, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)


class ServerClock(httpx.BaseTransport):
    """Passes requests on and adds up the `Server-Timing: app;dur=<ms>` of each answer."""

    def __init__(self, limits: httpx.Limits) -> None:
        self.inner = httpx.HTTPTransport(limits=limits)
        self.seconds = 0.0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        for metric in response.headers.get("server-timing", "").split(","):
            name, _, duration = metric.strip().partition(";dur=")
            if name == "app" and duration:
                with self._lock:
                    self.seconds += float(duration) / 1000
        return response

    def close(self) -> None:
        self.inner.close()
