"""Schemathesis against the served OpenAPI schema: no generated request gets a 500.

The server is a separate instance (its own queue and books) so that generated book
updates cannot disturb other tests; examples per operation are bounded."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from engine.riskbook import RiskBook
from zkmargin.service.app import create_app
from zkmargin.service.backend import LocalBackend

EXAMPLES = 8


@pytest.fixture(scope="module")
def fuzz_server(service_keys: Path, service_book: RiskBook, live_server_factory: Any) -> Any:
    app = create_app(LocalBackend.load(service_keys, workers=2), service_book, max_queue=4,
                     max_body=64 * 1024, keep_books=2)
    return live_server_factory(app)


@pytest.fixture(scope="module")
def served_schema(fuzz_server: Any) -> Any:
    return schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("served_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_request_is_a_server_error(case: Any, fuzz_server: Any) -> None:
    response = case.call(timeout=300)
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500
