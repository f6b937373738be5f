"""The OpenAPI document: every error response is documented as problem+json."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from marketplace.problems import PROBLEM_MEDIA_TYPE, Problem

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# Statuses any authenticated or validated endpoint can answer with.
_COMMON = {
    "400": "Malformed request (e.g. invalid JSON)",
    "401": "Missing, unknown, expired or revoked token",
    "404": "No such resource for this seller",
    "413": "Body too large",
    "422": "Invalid request",
    "429": "Rate limit hit; see Retry-After",
}
_OPERATION_ERRORS = {
    "patch": {"409": "Conflict", "412": "Stale version", "428": "If-Match missing"},
    "post": {"409": "Conflict", "412": "Stale version"},
    "put": {"415": "Not an image"},
}


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema()
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            extra = dict(_COMMON)
            extra.update(_OPERATION_ERRORS.get(method, {}))
            for status, description in extra.items():
                # FastAPI's own 422 describes its default body, which this API never sends.
                if status not in responses or status == "422":
                    responses[status] = _problem_response(description)
            if path.startswith("/oauth/"):
                responses["400"] = _problem_response("OAuth error (RFC 6749 `error` included)")
    app.openapi_schema = doc
    return doc
