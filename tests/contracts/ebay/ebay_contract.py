"""Validation of what passes between the eBay adapter and a fake eBay, against eBay's own
definitions (the *_oas3.json files with overlay.json) and the Trading shapes (trading/).

`ContractTransport` wraps a fake's handler: every request the adapter sends is checked
before the handler sees it, and every answer the handler gives is checked before the
adapter sees it. A violation raises ContractViolation, which fails the test that made it
(it is an AssertionError, so the adapter never mistakes it for an HTTP problem).
"""

import json
import re
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import jsonschema
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

HERE = Path(__file__).resolve().parent
TRADING_NS = "urn:ebay:apis:eBLBaseComponents"
TRADING_PATH = "/ws/api.dll"
TRADING_HEADERS = (
    "X-EBAY-API-CALL-NAME",
    "X-EBAY-API-SITEID",
    "X-EBAY-API-COMPATIBILITY-LEVEL",
    "X-EBAY-API-IAF-TOKEN",
)
# Statuses eBay documents for every REST call, which the definitions leave out.
GENERIC_ERRORS = {401, 403, 429}


class ContractViolation(AssertionError):
    pass


@dataclass
class Api:
    file: str
    spec: dict[str, Any]
    openapi: OpenAPI
    servers: list[str]
    templates: list[tuple[re.Pattern[str], str]]  # path regex, path template


@dataclass(frozen=True)
class Operation:
    api: Api
    template: str
    method: str

    @property
    def definition(self) -> dict[str, Any]:
        return self.api.spec["paths"][self.template][self.method]

    @property
    def name(self) -> str:
        return str(self.definition.get("operationId", f"{self.method} {self.template}"))


def _set(tree: dict[str, Any], path: list[str], value: Any) -> None:
    for key in path[:-1]:
        tree = tree.setdefault(key, {})
    tree[path[-1]] = value


@cache
def apis() -> tuple[Api, ...]:
    overlay = json.loads((HERE / "overlay.json").read_text(encoding="utf-8"))
    loaded = []
    for file, fix in overlay.items():
        if file.startswith("_"):
            continue
        spec = json.loads((HERE / file).read_text(encoding="utf-8"))
        for patch in fix["patches"]:
            _set(spec, patch["path"], patch["value"])
        spec["servers"] = [{"url": url} for url in fix["servers"]]
        templates = [
            (re.compile("^" + re.sub(r"\{[^/}]+\}", "[^/]+", template) + "$"), template)
            for template in spec["paths"]
        ]
        # Literal paths before templated ones (/offer/publish_by_... before /offer/{offerId}).
        templates.sort(key=lambda pair: pair[1].count("{"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openapi-core cannot check oauth2 itself
            openapi = OpenAPI.from_dict(spec)
        loaded.append(Api(file, spec, openapi, fix["servers"], templates))
    return tuple(loaded)


class _Request:
    """An httpx request as openapi-core reads one."""

    def __init__(self, request: httpx.Request) -> None:
        self.request = request
        query = parse_qs(request.url.query.decode(), keep_blank_values=True)
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(query),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict({}),
        )

    @property
    def host_url(self) -> str:
        return f"{self.request.url.scheme}://{self.request.url.netloc.decode()}"

    @property
    def path(self) -> str:
        return self.request.url.path

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self.request.read() or None

    @property
    def content_type(self) -> str:
        return self.request.headers.get("content-type", "").lower()


class _Response:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def content_type(self) -> str:
        return self.response.headers.get("content-type", "").lower()

    @property
    def headers(self) -> Headers:
        return Headers(dict(self.response.headers))

    @property
    def data(self) -> bytes:
        return self.response.read()


def _resolve(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """The schema with its references written out (eBay's schemas are not recursive where
    these checks go; the depth guard only stops a loop)."""
    if depth > 40:
        return {}
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _resolve(spec, spec["components"]["schemas"][name], depth + 1)
    resolved = dict(schema)
    if "properties" in schema:
        resolved["properties"] = {
            key: _resolve(spec, value, depth + 1) for key, value in schema["properties"].items()
        }
    if isinstance(schema.get("items"), dict):
        resolved["items"] = _resolve(spec, schema["items"], depth + 1)
    if isinstance(schema.get("additionalProperties"), dict):
        resolved["additionalProperties"] = _resolve(spec, schema["additionalProperties"], depth + 1)
    return resolved


def undeclared(schema: dict[str, Any], value: Any, where: str = "body") -> list[str]:
    """Properties the schema does not declare: eBay ignores or rejects them; either way the
    adapter meant something else."""
    found: list[str] = []
    if isinstance(value, dict) and schema.get("type", "object") == "object":
        declared = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in declared:
                found += undeclared(declared[key], item, f"{where}.{key}")
            elif isinstance(extra, dict):
                found += undeclared(extra, item, f"{where}.{key}")
            else:
                found.append(f"{where}.{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            found += undeclared(schema["items"], item, f"{where}[{index}]")
    return found


class Contract:
    def __init__(self) -> None:
        self.apis = apis()
        self.shapes = json.loads((HERE / "trading" / "shapes.json").read_text(encoding="utf-8"))
        self.operations: Counter[str] = Counter()  # what was exercised, by operationId

    # REST
    def operation(self, request: httpx.Request) -> Operation:
        url = str(request.url.copy_with(query=None))
        for api in self.apis:
            for server in api.servers:
                if url.startswith(server + "/"):
                    rest = url[len(server) :]
                    for pattern, template in api.templates:
                        if (
                            pattern.match(rest)
                            and request.method.lower() in api.spec["paths"][template]
                        ):
                            return Operation(api, template, request.method.lower())
                    raise ContractViolation(
                        f"{request.method} {rest} is no operation of {api.file}"
                    )
        raise ContractViolation(f"{request.method} {url} is no eBay API this contract knows")

    def check_request(self, request: httpx.Request) -> Operation:
        operation = self.operation(request)
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or len(auth) <= len("Bearer "):
            raise ContractViolation(f"{operation.name} sent without the user's bearer token")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                operation.api.openapi.validate_request(_Request(request))
            except Exception as error:
                raise ContractViolation(
                    f"{operation.name}: the request breaks eBay's definition: {_why(error)}"
                ) from None
        body_schema = (
            (operation.definition.get("requestBody") or {})
            .get("content", {})
            .get("application/json", {})
            .get("schema")
        )
        if body_schema is not None and request.content:
            schema = _resolve(operation.api.spec, body_schema)
            extra = undeclared(schema, json.loads(request.content))
            if extra:
                raise ContractViolation(
                    f"{operation.name}: fields eBay's definition does not have: {extra}"
                )
        self.operations[operation.name] += 1
        return operation

    def check_response(self, request: httpx.Request, response: httpx.Response) -> None:
        operation = self.operation(request)
        if response.status_code >= 400:
            self._check_error(operation, response)
            return
        if str(response.status_code) not in operation.definition["responses"]:
            raise ContractViolation(
                f"{operation.name} never answers {response.status_code} in eBay's definition"
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                operation.api.openapi.validate_response(_Request(request), _Response(response))
            except Exception as error:
                raise ContractViolation(
                    f"{operation.name}: the answer breaks eBay's definition: {_why(error)}"
                ) from None

    def _check_error(self, operation: Operation, response: httpx.Response) -> None:
        status = response.status_code
        answers = operation.definition["responses"]
        if str(status) not in answers and status not in GENERIC_ERRORS:
            raise ContractViolation(f"{operation.name} never answers {status} in eBay's definition")
        spec = operation.api.spec
        schema = {
            "type": "object",
            "required": ["errors"],
            "properties": {
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "items": _resolve(spec, {"$ref": "#/components/schemas/Error"}),
                }
            },
        }
        body = response.json()
        try:
            jsonschema.validate(body, schema)
        except jsonschema.ValidationError as error:
            raise ContractViolation(
                f"{operation.name}: the {status} answer is not eBay's error shape: {error.message}"
            ) from None
        listed = (answers.get(str(status)) or {}).get("x-response-codes", {}).get("errors", {})
        for error in body["errors"]:
            if listed and str(error["errorId"]) not in listed:
                raise ContractViolation(
                    f"{operation.name} never answers {status} with errorId {error['errorId']} "
                    f"(eBay lists {sorted(listed)})"
                )

    # Trading
    def check_trading_request(self, request: httpx.Request) -> str:
        missing = [name for name in TRADING_HEADERS if not request.headers.get(name)]
        if missing:
            raise ContractViolation(f"a Trading call without the headers {missing}")
        if not request.headers.get("content-type", "").startswith("text/xml"):
            raise ContractViolation("a Trading call must be sent as text/xml")
        call = request.headers["X-EBAY-API-CALL-NAME"]
        if call not in self.shapes["calls"]:
            raise ContractViolation(f"{call} is no Trading call this contract knows")
        root = ET.fromstring(request.content)
        if root.tag != f"{{{TRADING_NS}}}{call}Request":
            raise ContractViolation(f"{call}: the request's root is {root.tag}")
        shape = dict(self.shapes["calls"][call]["request"])
        shape["children"] = {
            **dict.fromkeys(self.shapes["standard_request"]),
            **shape.get("children", {}),
        }
        self._check_element(root, shape, call)
        self.operations[call] += 1
        return call

    def check_trading_response(self, call: str, content: bytes) -> None:
        root = ET.fromstring(content)
        if root.tag != f"{{{TRADING_NS}}}{call}Response":
            raise ContractViolation(f"{call}: the answer's root is {root.tag}")
        shape = dict(self.shapes["calls"][call]["response"])
        shape["children"] = {**self.shapes["standard_response"], **shape.get("children", {})}
        self._check_element(root, shape, f"{call}Response")
        for name in ("Timestamp", "Ack"):
            if root.find(f"{{{TRADING_NS}}}{name}") is None:
                raise ContractViolation(f"{call}: the answer has no {name}")

    def _check_element(self, node: ET.Element, shape: Any, where: str) -> None:
        if shape is not None and "$ref" in shape:
            shape = self.shapes["definitions"][shape["$ref"]]
        children = list(node)
        if shape is None:
            if children:
                raise ContractViolation(f"{where} holds text only, not {children[0].tag}")
            if node.attrib:
                raise ContractViolation(f"{where} has no attributes, not {sorted(node.attrib)}")
            return
        allowed = shape.get("children", {})
        for attribute in node.attrib:
            if attribute not in shape.get("attributes", []):
                raise ContractViolation(f"{where} has no attribute {attribute}")
        if "values" in shape and (node.text or "").strip() not in shape["values"]:
            raise ContractViolation(f"{where} cannot be {node.text!r}: one of {shape['values']}")
        names = []
        for child in children:
            if not child.tag.startswith(f"{{{TRADING_NS}}}"):
                raise ContractViolation(f"{where} holds {child.tag}, outside eBay's namespace")
            name = child.tag.split("}", 1)[1]
            if name not in allowed:
                raise ContractViolation(f"{where} has no element {name}")
            names.append(name)
            self._check_element(child, allowed[name], f"{where}.{name}")
        for name in shape.get("required", []):
            if name not in names:
                raise ContractViolation(f"{where} must hold {name}")


def _why(error: Exception) -> str:
    parts = [str(error)]
    cause = error.__cause__ or error.__context__
    for detail in getattr(cause, "schema_errors", None) or getattr(error, "schema_errors", []):
        parts.append(getattr(detail, "message", str(detail)))
    return "; ".join(parts)


Handler = Callable[[httpx.Request], httpx.Response]


class ContractTransport(httpx.BaseTransport):
    """Checks every request before `handler` answers it, and every answer after."""

    def __init__(self, handler: Handler, contract: Contract | None = None) -> None:
        self.handler = handler
        self.contract = contract or Contract()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        trading = request.url.path == TRADING_PATH
        if trading:
            call = self.contract.check_trading_request(request)
        else:
            self.contract.check_request(request)
        response = self.handler(request)
        response.read()
        if trading:
            self.contract.check_trading_response(call, response.content)
        else:
            self.contract.check_response(request, response)
        return response
