"""Property-based runs over the served OpenAPI document.

Positive phase: valid requests get on-schema answers. Negative phase: requests that break the
schema (wrong types, out-of-range integers, missing fields, bad headers) get a 4xx, never a
5xx. Each operation gets a bounded, derandomized number of cases so the run stays short, and
the fuzzing runs against its own server so the sellers, buyers and sign-in lockouts it
creates do not leak into other tests. (No stateful phase: the document declares no links.)
"""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.embedded import EmbeddedMarketplace, run_embedded

POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Invalid input is answered by validation, whose answers the positive phase already checks;
# here the point is that nothing gets past it to fail inside.
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance]
HUGE = 2**70


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedMarketplace]:
    with run_embedded(tmp_path_factory.mktemp("fuzzed"), rate_limit_per_minute=0) as server:
        yield server


@pytest.fixture(scope="module")
def operations(fuzzed: EmbeddedMarketplace) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{fuzzed.base_url}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def _run(operation: Any, mode: GenerationMode, examples: int, headers: dict[str, str]) -> int:
    """Run the cases; how many ran (none for an operation with nothing to make invalid)."""
    checks = POSITIVE_CHECKS if mode is GenerationMode.POSITIVE else NEGATIVE_CHECKS
    ran = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        nonlocal ran
        ran += 1
        case.call_and_validate(headers=headers, checks=checks)

    try:
        run()
    except Unsatisfiable:
        return 0
    return ran


def test_every_operation_conforms(fuzzed, operations):
    headers = {"Authorization": f"Bearer {fuzzed.create_seller('fuzzed')}"}
    assert len(operations) > 30
    for operation in operations:
        _run(operation, GenerationMode.POSITIVE, 8, headers)


@pytest.mark.slow  # about a minute and a half
def test_invalid_input_never_gives_a_server_error(fuzzed, operations):
    """Up to 60 invalid requests per operation: several thousand over the whole API."""
    headers = {"Authorization": f"Bearer {fuzzed.create_seller('negative')}"}
    cases = [_run(operation, GenerationMode.NEGATIVE, 60, headers) for operation in operations]
    # Only operations without parameters or a body have nothing to break.
    assert sum(1 for ran in cases if ran) > len(operations) * 2 // 3
    assert sum(cases) >= 3000


def test_every_integer_parameter_refuses_a_value_past_64_bits(fuzzed):
    """Random generation may miss the one bad number; this sends 2**70 to every integer
    parameter the document declares, one at a time, and wants a 422 from each."""
    seller = {"Authorization": f"Bearer {fuzzed.create_seller('huge-ints')}"}
    address = {"name": "B", "line1": "1 Main St", "city": "Cork", "postal_code": "T12"}
    signed_up = httpx.post(
        f"{fuzzed.base_url}/v1/market/buyers",
        json={"name": "B", "address": {**address, "country": "IE"}},
    )
    buyer = {"Authorization": f"Bearer {signed_up.json()['token']}"}
    doc = httpx.get(f"{fuzzed.base_url}/openapi.json").json()
    tried = 0
    with httpx.Client(base_url=fuzzed.base_url, timeout=30) as client:
        for path, methods in doc["paths"].items():
            # Authentication comes before validation, so each side gets its own token.
            headers = buyer if path.startswith("/v1/market/") else seller
            for method, operation in methods.items():
                params = operation.get("parameters", [])
                for param in params:
                    if param["schema"].get("type") != "integer":
                        continue
                    url, query = _request_for(path, params, param["name"])
                    answer = client.request(method, url, params=query, json={}, headers=headers)
                    assert answer.status_code == 422, (method, url, query, answer.text)
                    tried += 1
    assert tried >= 20


def _request_for(path: str, params: list[dict[str, Any]], huge: str) -> tuple[str, dict[str, Any]]:
    """The path with `huge` set to 2**70 and other path parameters plausible; query too."""
    query: dict[str, Any] = {}
    for param in params:
        value: Any
        if param["name"] == huge:
            value = HUGE
        elif param["schema"].get("type") == "integer":
            value = 1
        else:
            value = "0" * 64 if "sha" in param["name"] else "someone"
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", str(value))
        elif param["in"] == "query" and param["name"] == huge:
            query[huge] = value
    return path, query
