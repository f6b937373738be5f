"""Property-based run over the served OpenAPI document: no 5xx, no off-schema response.

Each operation gets a few generated cases (bounded, derandomized) so the run stays short.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.embedded import EmbeddedMarketplace

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def operations(market: EmbeddedMarketplace):
    schema = schemathesis.openapi.from_url(f"{market.base_url}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_conforms(market, operations):
    token = market.create_seller("fuzzed")
    headers = {"Authorization": f"Bearer {token}"}
    assert len(operations) > 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
