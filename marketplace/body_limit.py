"""Request size limits, enforced while the body streams in (Content-Length can lie)."""

import json
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketplace.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE


class BodyTooLarge(HTTPException):
    """An HTTPException so that FastAPI's body parsing passes it through to the handlers."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes.")


# Bytes read and thrown away after the limit, so the client gets to read our 413: closing a
# socket with unread input makes the kernel answer with a reset instead. Beyond this, close.
DRAIN_BYTES = 16 * 1024 * 1024


async def _drain(receive: Receive, more_body: bool) -> None:
    drained = 0
    while more_body and drained < DRAIN_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        drained += len(message.get("body", b""))
        more_body = message.get("more_body", False)


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int, max_batch_bytes: int
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.max_upload = max_upload_bytes
        self.max_batch = max_batch_bytes

    def _limit_for(self, scope: Scope) -> int:
        if scope["path"].startswith(("/v1/photos/", "/v1/videos/", "/v1/photos:batch")):
            return self.max_upload
        return self.max_batch if scope["path"].endswith(":batch") else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _drain(receive, more_body=True)
            await _reject(scope, send, limit)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    await _drain(receive, message.get("more_body", False))
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not response_started:
                await _reject(scope, send, limit)


async def _reject(scope: Scope, send: Send, limit: int) -> None:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + "payload_too_large",
        "title": "Content Too Large",
        "status": 413,
        "detail": f"The request body is larger than {limit} bytes.",
        "instance": scope["path"],
        "code": "payload_too_large",
    }
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
