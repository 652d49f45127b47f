"""schemathesis against the API's own OpenAPI document, once for each role's token and for no
token, inside pytest on the WSGI app: no answer is a server error, every answer's status and
body are the ones the document declares.

Examples per operation are bounded (``FUZZ_EXAMPLES``, overridable by the environment) so
that the run stays within a few minutes on both engines.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

FUZZ_EXAMPLES = int(os.environ.get("GONGZHI_FUZZ_EXAMPLES", "2"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def app_config(app_config):
    # The fuzz sends hundreds of requests a minute on one token; the limit has its own test.
    return {**app_config, "API_RATE_LIMIT": "100000/minute"}


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_no_role_gets_a_server_error_or_an_undocumented_answer(app, role_tokens, no_solving):
    operations = _operations(app)
    assert len(operations) >= 30
    cases = {"count": 0}

    def fuzz(operation, mode, headers) -> None:
        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            cases["count"] += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()

    for role, token in role_tokens.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    fuzz(operation, mode, headers)
                except Unsatisfiable:
                    # An operation without parameters or body has no invalid input.
                    assert mode == GenerationMode.NEGATIVE, operation.label
                except Exception as error:
                    raise AssertionError(f"{role} {operation.label} {mode}: {error}") from error
    print(f"schemathesis cases: {cases['count']}")
    assert cases["count"] >= len(operations) * len(role_tokens)
