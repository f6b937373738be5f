"""What every request handler needs, built once per server and passed in through app.state."""

import ipaddress
from dataclasses import dataclass, field

from fastapi import Request

from marketplace.config import Settings
from marketplace.db import Database
from marketplace.rate_limit import FailureLockout, RateLimiter

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


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
    trusted_proxies: tuple[IPNetwork, ...] = ()  # Settings.trusted_proxies, parsed


def client_address(request: Request) -> str:
    """The client's address, for the per-address limits: the peer's, or when the peer is a
    trusted proxy (Settings.trusted_proxies), the nearest address in X-Forwarded-For that is
    not one; each proxy appends the address it got the request from, so the entries left of
    that one could be anything a client chose to send."""
    peer = request.client.host if request.client is not None else "unknown"
    state: ServerState = request.app.state.server
    proxies = state.trusted_proxies
    address = peer
    if not _within(address, proxies):
        return address
    hops = ",".join(request.headers.getlist("x-forwarded-for")).split(",")
    for hop in reversed([hop.strip() for hop in hops if hop.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # a broken entry: the last proxy's word is all there is
        address = hop
        if not _within(hop, proxies):
            break
    return address


def trusted_networks(settings: Settings) -> tuple[IPNetwork, ...]:
    """Settings.trusted_proxies as networks; a wrong entry stops the server at start."""
    try:
        return tuple(
            ipaddress.ip_network(entry, strict=False) for entry in settings.trusted_proxies
        )
    except ValueError as error:
        raise ValueError(f"trusted proxies: {error}") from None


def _within(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


async def server_state(request: Request) -> ServerState:
    # Async, as it never blocks: FastAPI runs a plain function dependency on a worker
    # thread, a hop that cost more than this whole function on every request.
    state: ServerState = request.app.state.server
    return state
