"""Anonymous reads of the API from a cache shared by every server process: the next identical
read costs no database query, a committed change anywhere is seen on the next read, clients with a
token or a session are never served a kept answer, and the anonymous rate limit still counts."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.core import content
from civitas.core.content import Content
from civitas.projects.models import Project
from civitas.testing.factories import MunicipalityFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects?municipality=sopot"


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.CIVITAS_SHARED_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town():
    town = MunicipalityFactory(slug="sopot")
    ProjectFactory(municipality=town, slug="first", title_bg="Първи")
    return town


def test_the_same_read_again_reads_nothing_from_the_database(
    client, town, settings, django_assert_num_queries
):
    # The rate limit's counters live in the database unless Redis keeps them (CACHE_URL): off here.
    settings.CIVITAS_API_ANONYMOUS_PER_MINUTE = 0
    first = client.get(PROJECTS)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(PROJECTS)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"]
    assert client.get(PROJECTS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_committed_change_is_seen_on_the_next_read(client, town, django_capture_on_commit_callbacks):
    assert [p["slug"] for p in client.get(PROJECTS).json()["items"]] == ["first"]
    with django_capture_on_commit_callbacks(execute=True):
        ProjectFactory(municipality=town, slug="second", title_bg="Втори")
        content.changed(town, Content.PLANNING)
    assert sorted(p["slug"] for p in client.get(PROJECTS).json()["items"]) == ["first", "second"]


def test_a_change_in_another_municipality_renews_lists_across_the_installation(
    client, town, django_capture_on_commit_callbacks
):
    everywhere = "/api/v1/projects"
    assert len(client.get(everywhere).json()["items"]) == 1
    other = MunicipalityFactory(slug="other")
    with django_capture_on_commit_callbacks(execute=True):
        ProjectFactory(municipality=other, slug="elsewhere")
        content.changed(other, Content.PLANNING)
    assert len(client.get(everywhere).json()["items"]) == 2


def test_uncommitted_change_is_not_announced(client, town):
    before = client.get(PROJECTS).json()
    Project.objects.filter(slug="first").update(title_bg="Преименуван")
    content.changed(town, Content.PLANNING)  # the test's transaction never commits
    assert client.get(PROJECTS).json() == before


def test_clients_with_a_token_or_a_session_are_answered_by_the_api_itself(client, town, settings):
    settings.CIVITAS_API_ANONYMOUS_PER_MINUTE = 0
    client.get(PROJECTS)
    with CaptureQueriesContext(connection) as read:  # read again from the database
        assert client.get(PROJECTS, HTTP_AUTHORIZATION="Bearer some-token").status_code in (200, 401)
    assert len(read) > 0
    client.cookies["sessionid"] = "someone"
    with CaptureQueriesContext(connection) as read:
        assert client.get(PROJECTS).status_code == 200
    assert len(read) > 0


def test_the_rate_limit_counts_kept_answers(client, town, settings):
    settings.CIVITAS_API_ANONYMOUS_PER_MINUTE = 3
    statuses = [client.get(PROJECTS).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_an_answer_read_while_a_change_commits_is_not_kept_for_later(
    town, django_capture_on_commit_callbacks
):
    """The answer is kept under the token read before the view ran: a change committed while it
    ran renews the token, so the answer read before it is never served afterwards."""
    from django.http import JsonResponse
    from django.test import RequestFactory

    from civitas.opendata.middleware import ApiMiddleware

    calls = []

    def view(request):
        calls.append(1)
        if len(calls) == 1:
            with django_capture_on_commit_callbacks(execute=True):
                content.changed(town, Content.PLANNING)
        return JsonResponse({"call": len(calls)})

    middleware = ApiMiddleware(view)
    assert middleware(RequestFactory().get("/api/v1/projects")).content == b'{"call": 1}'
    assert middleware(RequestFactory().get("/api/v1/projects")).content == b'{"call": 2}'
    assert middleware(RequestFactory().get("/api/v1/projects")).content == b'{"call": 2}'
