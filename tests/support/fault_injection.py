"""A fault injector between the studio and the real Seller API server.

It sits in the HTTP client's transport: every request really goes to the server over
loopback unless a planned fault says otherwise, so each scenario tests the real protocol
with the failure a network or a proxy would cause.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

# A fault decides, for one request, what happens instead of (or after) a normal exchange.
Fault = Callable[[httpx.Request, Callable[[], httpx.Response]], httpx.Response]


def drop_before(request: httpx.Request, _forward: Callable[[], httpx.Response]) -> httpx.Response:
    """The connection fails before the server sees the request."""
    raise httpx.ConnectError("connection refused (injected)", request=request)


def drop_after(request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
    """The server commits, then the response is lost on the way back."""
    forward()
    raise httpx.ReadTimeout("response lost (injected)", request=request)


def reset_mid_body(request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
    """The server commits and starts answering, then the connection is reset."""
    forward()
    raise httpx.RemoteProtocolError(
        "peer closed connection without sending complete message body (injected)",
        request=request,
    )


def delay_past_timeout(seconds: float) -> Fault:
    """The answer comes later than the client waits: the server has committed by then."""

    def fault(request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
        forward()
        time.sleep(seconds)
        raise httpx.ReadTimeout("no answer in time (injected)", request=request)

    return fault


def server_error(request: httpx.Request, _forward: Callable[[], httpx.Response]) -> httpx.Response:
    return httpx.Response(500, request=request, json={"code": "injected"})


def rate_limited(retry_after: str, server_date: str | None = None) -> Fault:
    headers = {"Retry-After": retry_after} | ({"Date": server_date} if server_date else {})

    def fault(request: httpx.Request, _forward: Callable[[], httpx.Response]) -> httpx.Response:
        return httpx.Response(429, request=request, headers=headers, json={"code": "rate_limited"})

    return fault


def duplicate(request: httpx.Request, forward: Callable[[], httpx.Response]) -> httpx.Response:
    """The request arrives twice (a retrying proxy); the client sees the second answer."""
    forward()
    return forward()


@dataclass
class FaultInjector(httpx.BaseTransport):
    """Injects the planned faults, in order, into requests whose 'METHOD path' matches."""

    plan: list[tuple[str, Fault]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    real: httpx.HTTPTransport = field(default_factory=httpx.HTTPTransport)
    # The engine sends several requests at once (photo uploads, batch creates): each planned
    # fault still hits exactly one of them.
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, where: str, fault: Fault) -> None:
        with self.lock:
            self.plan.append((where, fault))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        where = f"{request.method} {request.url.path}"

        def forward() -> httpx.Response:
            response = self.real.handle_request(request)
            response.read()
            return response

        with self.lock:
            self.seen.append(where)
            planned = next(
                (n for n, (pattern, _) in enumerate(self.plan) if where.startswith(pattern)), None
            )
            fault = self.plan.pop(planned)[1] if planned is not None else None
        return fault(request, forward) if fault is not None else forward()
