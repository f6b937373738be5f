"""Run the server inside another process: a background thread on 127.0.0.1, a free port.

with run_embedded(tmp_path) as market:
    token = market.create_seller("closet-one")
    httpx.get(f"{market.base_url}/v1/me", headers={"Authorization": f"Bearer {token}"})
"""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import uvicorn

from marketplace.app import build_state, create_app
from marketplace.config import Settings
from marketplace.sellers import create_seller
from marketplace.state import ServerState


@dataclass
class EmbeddedMarketplace:
    base_url: str
    state: ServerState

    def create_seller(self, name: str, password: str | None = None) -> str:
        """Create a seller; returns its personal API token (`Authorization: Bearer <token>`)."""
        return create_seller(self.state.db, name, password)


@contextmanager
def run_embedded(data_dir: Path | str, **settings: Any) -> Iterator[EmbeddedMarketplace]:
    """Serve until the block ends. `settings` override Settings fields, e.g.
    `rate_limit_per_minute=0` or `database_url="postgresql+psycopg://..."`."""
    config = replace(Settings(data_dir=Path(data_dir)), **settings)
    state = build_state(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Without it every small response waits ~40 ms for a delayed ACK (Nagle's algorithm).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        # Forwarding headers are the app's to judge (state.client_address), not uvicorn's,
        # which would believe any X-Forwarded-For from 127.0.0.1.
        uvicorn.Config(
            create_app(state), log_level="warning", access_log=False, proxy_headers=False
        )
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="marketplace", daemon=True
    )
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("The embedded marketplace failed to start.")
            threading.Event().wait(0.01)
        yield EmbeddedMarketplace(base_url=f"http://127.0.0.1:{port}", state=state)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        state.db.dispose()
