"""What every request handler needs, built once per server and passed in through app.state."""

from dataclasses import dataclass, field

from fastapi import Request

from marketplace.config import Settings
from marketplace.db import Database
from marketplace.rate_limit import FailureLockout, RateLimiter


@dataclass
class ServerState:
    settings: Settings
    db: Database
    limiter: RateLimiter  # per seller
    # Per client address; the defaults (off) are for states built by hand.
    signup_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(0, 1))
    bad_token_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(0, 1))
    seller_logins: FailureLockout = field(default_factory=lambda: FailureLockout(0))
    address_logins: FailureLockout = field(default_factory=lambda: FailureLockout(0))


def client_address(request: Request) -> str:
    """The peer's address: the server trusts no forwarding header (run it unproxied, or add
    proxy-header handling with a trusted-hosts list before relying on this behind a proxy)."""
    return request.client.host if request.client is not None else "unknown"


async def server_state(request: Request) -> ServerState:
    # Async, as it never blocks: FastAPI runs a plain function dependency on a worker
    # thread, a hop that cost more than this whole function on every request.
    state: ServerState = request.app.state.server
    return state
