"""Errors as RFC 9457 problem details, each with a stable machine-readable `code`."""

import math
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://seller-api.example/problems/"


class Problem(BaseModel):
    """RFC 9457 problem details; extension members (code, errors, current) follow."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str
    request_id: str | None = None  # also in X-Request-Id and in the server log of a 500


class ProblemError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def body(self, instance: str) -> dict[str, Any]:
        """The problem document, for an entry of a batch answer."""
        return problem_body(self.status, self.code, self.detail, instance=instance, **self.extra)


def rate_limited(wait_s: float, detail: str) -> ProblemError:
    """429 with Retry-After in whole seconds (at least 1)."""
    return ProblemError(
        429, "rate_limited", detail, headers={"Retry-After": str(max(1, math.ceil(wait_s)))}
    )


def not_found(what: str) -> ProblemError:
    return ProblemError(404, "not_found", f"No such {what}.")


def problem_body(
    status: int, code: str, detail: str, *, instance: str, **extra: Any
) -> dict[str, Any]:
    return {
        "type": PROBLEM_TYPE_BASE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
        **extra,
    }


def problem_json(
    body: dict[str, Any], status: int, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    # The id the request-context middleware gave this request (absent only outside it).
    request_id = getattr(request.state, "request_id", None)
    if request_id is not None:
        extra.setdefault("request_id", request_id)
    body = problem_body(status, code, detail, instance=request.url.path, **extra)
    return problem_json(body, status, headers)


_HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    401: "unauthorized",
    413: "payload_too_large",
}


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            request, exc.status, exc.code, exc.detail, headers=exc.headers, **exc.extra
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return problem_response(
            request, exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {})
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": [str(part) for part in err.get("loc", ())],
                "msg": err.get("msg", ""),
                "type": err.get("type", ""),
            }
            for err in exc.errors()
        ]
        if any(err["type"] == "json_invalid" for err in errors):
            return problem_response(
                request, 400, "malformed_json", "The request body is not valid JSON."
            )
        return problem_response(
            request, 422, "validation_failed", "The request is not valid.", errors=errors
        )

    # Anything else is logged and answered by marketplace.request_context.
