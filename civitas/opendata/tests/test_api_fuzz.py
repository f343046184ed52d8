"""The API fuzzed against its own OpenAPI description (schemathesis, in process through the WSGI
application): for every operation the description declares, generated requests, valid and
invalid, with a staff token and a little data behind them, must never get a server error, and
every answer must be one the description declares (status code, content type, body).

Bounded (a fixed number of requests per operation and mode, derandomized, no deadline) so that it
runs in ``make test``, and thus in .ci/run on SQLite and on PostgreSQL; marked ``fuzz`` (run it
alone with ``-m fuzz``)."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from civitas.accounts import services as account_services
from civitas.core.models import Role
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectFactory,
)
from civitas.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

MAX_EXAMPLES = 20  # per operation and mode, with generated path parameters
PINNED_EXAMPLES = 6  # per operation and object of the data, with its path parameters pinned to it
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def fuzz_data(settings):
    """Sopot with a plan, an element, an indicator with a value and a project, its administrator's
    token (so that writes reach the services), and the objects' identifiers, which pinned path
    parameters take so that requests find something (generated ones rarely do). The anonymous rate
    limit is off: it would answer most requests with 429 and hide the rest (it has its own tests)."""
    settings.CIVITAS_API_ANONYMOUS_PER_MINUTE = 0
    town = MunicipalityFactory(slug="sopot")
    MunicipalityFactory(slug="karlovo")
    plan = PlanFactory(municipality=town)
    element = PlanElementFactory(plan=plan)
    indicator = IndicatorFactory(element=element)
    measurement = MeasurementFactory(indicator=indicator, year=2015)
    project = ProjectFactory(municipality=town)
    administrator = MembershipFactory(municipality=town, role=Role.ADMINISTRATOR).user
    token = account_services.api_token_create(actor=administrator, name="fuzz").secret
    ids = sorted({o.pk for o in (town, plan, element, indicator, measurement, project)})
    # The application is called directly, as a server would: like Django's test client, keep it
    # from closing the database connection after each request (on PostgreSQL that connection holds
    # the test's transaction and its data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"headers": {"Authorization": f"Bearer {token}"}, "ids": ids, "slugs": ["sopot", plan.slug]}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _pinnings(operation, data) -> list[dict]:
    """Path parameters pinned to the data's objects: each identifier for ``id`` or ``*_id``
    parameters, each address name for ``slug`` ones (none when the path has neither)."""
    names = re.findall(r"\{(\w+)\}", operation.path)
    pinnings = []
    for value_kind, values in (("id", data["ids"]), ("slug", data["slugs"])):
        pinned = [n for n in names if n == value_kind or n.endswith(f"_{value_kind}")]
        if pinned:
            pinnings += [{name: value for name in pinned} for value in values]
    return pinnings


def _fuzz(operation, strategy, mode: GenerationMode, headers: dict, examples: int) -> str | None:
    """Run ``examples`` cases drawn from ``strategy``; the first failure (shrunk by hypothesis) as text."""
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same requests on every run: a failure is reproduced, never flaky
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=checks)

    try:
        run()
    except Unsatisfiable:  # no invalid request exists (an operation without parameters or body)
        return None
    except Exception as failure:  # every operation is tried; all failures are reported together
        return f"{operation.label} ({mode}): {failure}"
    return None


def _runs(schema, operation, mode: GenerationMode, data) -> list[tuple]:
    """What to fuzz ``operation`` with: generated requests; the same with the path pinned to each
    object of the data; and, valid ones only, the description's own examples on those paths (so
    that writes succeed too, and their answers are checked)."""
    runs = [(operation.as_strategy(generation_mode=mode), MAX_EXAMPLES)]
    for path in _pinnings(operation, data):
        runs.append((operation.as_strategy(generation_mode=mode, path_parameters=path), PINNED_EXAMPLES))
        if mode is GenerationMode.POSITIVE:
            runs += [
                (strategy, 1)
                for strategy in schema.get_strategies_from_examples(operation, path_parameters=path)
            ]
    return runs


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_to_its_description(fuzz_data, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5  # the description lists the operations (reads and writes)
    failures = [
        failure
        for operation in operations
        for strategy, examples in _runs(schema, operation, mode, fuzz_data)
        if (failure := _fuzz(operation, strategy, mode, fuzz_data["headers"], examples))
    ]
    assert failures == [], "\n\n".join(failures)
