"""The read replica answers anonymous public reads only; the primary answers everything else.

The test settings keep a second database alias, ``replica``, as a mirror of the test database
(Django's TEST MIRROR): a separate connection to the same data, so the queries each connection ran
show where a request read.
"""

import pytest
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from civitas.core import db
from civitas.core.models import Municipality, Role
from civitas.testing.factories import MembershipFactory, MunicipalityFactory
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def replica(settings):
    settings.CIVITAS_READ_REPLICA = "replica"


def run(request, view):
    """``view`` run as the request's handler behind the middleware; returns (response, where the
    municipality was read from)."""
    seen = {}

    def handler(request):
        seen["db"] = Municipality.objects.get(slug="sopot")._state.db
        return view(request)

    return db.ReplicaReadsMiddleware(handler)(request), seen.get("db")


def test_an_anonymous_get_reads_from_the_replica():
    MunicipalityFactory(slug="sopot")
    response, read_from = run(RequestFactory().get("/sopot/"), lambda request: HttpResponse("ok"))
    assert read_from == "replica"
    assert db.PIN_COOKIE not in response.cookies


@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().post("/sopot/"),
        RequestFactory(headers={"Cookie": "sessionid=abc"}).get("/sopot/"),
        RequestFactory(headers={"Authorization": "Bearer token"}).get("/api/v1/plans"),
        RequestFactory(headers={"Cookie": f"{db.PIN_COOKIE}=1"}).get("/sopot/"),
    ],
    ids=["a POST", "a session", "an API token", "a recent write of theirs"],
)
def test_everything_else_reads_from_the_primary(request_):
    MunicipalityFactory(slug="sopot")
    _response, read_from = run(request_, lambda request: HttpResponse("ok"))
    assert read_from == "default"


def test_after_a_write_the_request_and_the_visitors_next_requests_read_the_primary(settings):
    MunicipalityFactory(slug="sopot")
    settings.CIVITAS_REPLICA_PIN_SECONDS = 7
    reads = []

    def writes_then_reads(request):
        Municipality.objects.filter(slug="sopot").update(planning_version=5)
        reads.append(Municipality.objects.get(slug="sopot")._state.db)
        return HttpResponse("ok")

    response, read_before = run(RequestFactory().get("/sopot/"), writes_then_reads)
    assert (read_before, reads) == ("replica", ["default"])
    pin = response.cookies[db.PIN_COOKIE]
    assert pin["max-age"] == 7 and pin["httponly"]


def test_reads_inside_a_transaction_and_outside_requests_use_the_primary():
    MunicipalityFactory(slug="sopot")

    def in_transaction(request):
        with transaction.atomic():
            assert Municipality.objects.get(slug="sopot")._state.db == "default"
        with db.primary_reads():
            assert Municipality.objects.get(slug="sopot")._state.db == "default"
        assert Municipality.objects.get(slug="sopot")._state.db == "replica"
        return HttpResponse("ok")

    run(RequestFactory().get("/sopot/"), in_transaction)
    # A task worker or a management command: no request, the primary.
    assert Municipality.objects.get(slug="sopot")._state.db == "default"


def test_without_a_replica_configured_every_read_is_the_primarys(settings):
    settings.CIVITAS_READ_REPLICA = ""
    MunicipalityFactory(slug="sopot")
    _response, read_from = run(RequestFactory().get("/sopot/"), lambda request: HttpResponse("ok"))
    assert read_from == "default"


def test_public_pages_read_the_replica_and_staff_pages_never_do(client):
    town = MunicipalityFactory(slug="sopot")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get("/sopot/").status_code == 200
    assert len(on_replica) > 0
    sign_in(client, MembershipFactory(municipality=town, role=Role.PLANNER).user)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get("/sopot/").status_code == 200
        assert client.get("/sopot/manage/").status_code == 200
    assert len(on_replica) == 0


def test_a_cached_page_is_rendered_from_the_primary():
    """A page kept in the cache under a content version is rendered from the primary: a replica
    that is behind must not fill the cache with an older page under the newer version."""
    MunicipalityFactory(slug="sopot")
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert Client().get("/sopot/projects/").status_code == 200
    assert on_replica and all("core_municipality" in q["sql"] for q in on_replica)  # the lookup only
    assert any("projects_project" in q["sql"] for q in on_primary)
