"""What every request handler needs, built once per server and passed in through app.state."""

from dataclasses import dataclass

from fastapi import Request

from marketplace.config import Settings
from marketplace.db import Database
from marketplace.rate_limit import RateLimiter


@dataclass
class ServerState:
    settings: Settings
    db: Database
    limiter: RateLimiter


def server_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state
