"""Per-request context: a request id and the server's own time on every response,
frame-blocking headers on HTML pages, and the last word on unexpected errors (logged with
their traceback, answered as a problem).

The request id is in the `X-Request-Id` header, in every problem document's `request_id`, and
in the log line of any 500, so a seller's report can be matched to the server's log. The time
from the request's arrival to its answer is `Server-Timing: app;dur=<ms>`, so a client can
tell the server's share of a slow sync from the network's and its own.
"""

import logging
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketplace.problems import problem_body, problem_json

log = logging.getLogger("marketplace.errors")

# The consent page must not be framed by another site (clickjacking the Allow button).
_FRAME_HEADERS = {"Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY"}


class RequestContextMiddleware:
    """Outermost of the app's own middleware, so it sees every exception a route raises."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        arrived = time.perf_counter()
        # Starlette's request.state reads scope["state"]; the server gives each request its own.
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers["X-Request-Id"] = request_id
                headers["Server-Timing"] = f"app;dur={(time.perf_counter() - arrived) * 1000:.3f}"
                if headers.get("content-type", "").startswith("text/html"):
                    headers.update(_FRAME_HEADERS)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception(
                "Unhandled error in %s %s [request_id=%s]",
                scope.get("method", ""),
                scope.get("path", ""),
                request_id,
            )
            if started:
                raise  # too late for a problem document; the server drops the connection
            body = problem_body(
                500,
                "internal_error",
                "Something went wrong on the server. Retry later; if it persists, report "
                f"request id {request_id}.",
                instance=scope.get("path", ""),
                request_id=request_id,
            )
            await problem_json(body, 500)(scope, receive, send_with_headers)
