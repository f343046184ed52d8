"""Cached public pages with a cache shared by every server process (CIVITAS_SHARED_CACHE): found
by content tokens without a database query, and never stale after a change."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from civitas.core import content
from civitas.core.cache import cached_public_page
from civitas.core.content import Content, content_tokens
from civitas.core.tenancy import with_municipality
from civitas.testing.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.CIVITAS_SHARED_CACHE = True
    cache.clear()
    yield
    cache.clear()


def _page(reads=(Content.PLANNING,)):
    calls = []

    @with_municipality
    @cached_public_page(reads=reads)
    def view(request, municipality):
        calls.append(municipality.planning_version)
        return HttpResponse(f"rendered {len(calls)}")

    return view, calls


def _anonymous(path="/page/"):
    request = RequestFactory().get(path)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    return request


def test_a_cache_hit_reads_nothing_from_the_database(django_assert_num_queries):
    town = MunicipalityFactory()
    page, calls = _page()
    page(_anonymous(), town.slug)
    with django_assert_num_queries(0):
        response = page(_anonymous(), town.slug)
    assert response.content == b"rendered 1"
    assert len(calls) == 1


def test_a_change_is_seen_on_the_next_request_once_committed(django_capture_on_commit_callbacks):
    town = MunicipalityFactory()
    page, calls = _page()
    page(_anonymous(), town.slug)
    with django_capture_on_commit_callbacks(execute=True):
        content.changed(town, Content.PLANNING)
    assert page(_anonymous(), town.slug).content == b"rendered 2"
    assert page(_anonymous(), town.slug).content == b"rendered 2"


def test_a_change_to_another_area_keeps_the_page(django_capture_on_commit_callbacks):
    town = MunicipalityFactory()
    page, calls = _page((Content.PLANNING,))
    page(_anonymous(), town.slug)
    with django_capture_on_commit_callbacks(execute=True):
        content.changed(town, Content.PARTICIPATION)
    assert page(_anonymous(), town.slug).content == b"rendered 1"


def test_a_page_rendered_while_a_change_commits_is_not_served_after_it(django_capture_on_commit_callbacks):
    """The page read its token, then the data; a change committed in between replaces the token
    after its commit, so the page stored under the old token is never served again."""
    town = MunicipalityFactory()
    calls = []

    @with_municipality
    @cached_public_page
    def view(request, municipality):
        calls.append(1)
        if len(calls) == 1:  # a change commits while the first rendering runs
            with django_capture_on_commit_callbacks(execute=True):
                content.changed(municipality, Content.PLANNING)
        return HttpResponse(f"rendered {len(calls)}")

    view(_anonymous(), town.slug)
    assert view(_anonymous(), town.slug).content == b"rendered 2"


def test_a_rolled_back_change_keeps_the_tokens():
    town = MunicipalityFactory()
    before = content_tokens(town.slug, (Content.PLANNING,))
    with pytest.raises(RuntimeError), transaction.atomic():
        content.changed(town, Content.PLANNING)
        raise RuntimeError
    assert content_tokens(town.slug, (Content.PLANNING,)) == before


def test_an_unknown_municipality_is_a_404_and_leaves_no_token():
    from django.http import Http404

    page, calls = _page()
    with pytest.raises(Http404):
        page(_anonymous(), "no-such-town")
    assert cache.get("content:no-such-town:planning") is None
    assert calls == []


def test_a_lost_token_is_replaced_by_a_new_one_never_an_old_one(django_capture_on_commit_callbacks):
    town = MunicipalityFactory()
    page, calls = _page()
    page(_anonymous(), town.slug)
    first = content_tokens(town.slug, (Content.PLANNING,))
    cache.delete(f"content:{town.slug}:planning")  # evicted
    assert page(_anonymous(), town.slug).content == b"rendered 2"
    assert content_tokens(town.slug, (Content.PLANNING,)) != first


def test_signed_in_visitors_are_never_served_from_the_cache():
    town = MunicipalityFactory()
    page, calls = _page()
    page(_anonymous(), town.slug)
    request = RequestFactory().get("/page/")
    request.user = type("Someone", (), {"is_authenticated": True})()
    assert page(request, town.slug).content == b"rendered 2"
