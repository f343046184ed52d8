import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from civitas.core import content
from civitas.testing.factories import (
    ActivityFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanFactory,
    ProjectFactory,
)
from civitas.testing.pages import build_plan, url
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def count_queries(client, path):
    """Queries of one uncached rendering of the page."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def test_root_redirects_to_default_municipality(client, town):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sopot/"
    response = client.get("/en/")
    assert response["Location"] == "/en/sopot/"


def test_unknown_municipality_is_404(client, town):
    assert client.get("/nowhere/").status_code == 404
    assert client.get("/nowhere/projects/").status_code == 404


def test_home_shows_plans_figures_and_latest_projects(client, town):
    plan = build_plan(town)
    response = client.get(url("portal:home", "sopot"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Община Сопот" in content
    assert plan.title_bg in content
    assert "Ключови показатели" in content
    assert 'lang="bg"' in content
    english = client.get(url("portal:home", "sopot", lang="en")).content.decode()
    assert plan.title_en in english and "Sopot Municipality" in english and "Key figures" in english
    assert 'lang="en"' in english


@pytest.mark.parametrize(
    "page",
    ["home", "plans", "plan", "projects", "projects_filtered", "project"],
)
def test_query_count_does_not_grow_with_data(client, town, page):
    def path_for(plan):
        project = plan.elements.get(code="SG1").projects.order_by("pk").first()
        goal = plan.elements.get(code="SG1")
        return {
            "home": url("portal:home", "sopot"),
            "plans": url("portal:plans", "sopot"),
            "plan": url("portal:plan", "sopot", plan.slug),
            "projects": url("portal:projects", "sopot"),
            "projects_filtered": url("portal:projects", "sopot") + f"?element={goal.pk}&source=eu&q=проект",
            "project": url("portal:project", "sopot", project.slug),
        }[page]

    small = build_plan(town, goals=1, projects_per_goal=2)
    few = count_queries(client, path_for(small))
    big = build_plan(town, goals=6, projects_per_goal=8, prefix="B")
    ActivityFactory.create_batch(10, project=big.elements.get(code="SG1").projects.order_by("pk").first())
    PlanFactory.create_batch(3, municipality=town)
    many = count_queries(client, path_for(big))
    assert few == many
    # e.g. the project page: municipality, project, five prefetches, indicators, topic; and its
    # publicity (events, their photos when it has events, materials, publications), up to four more;
    # the plan page reads the version in force with its decision, one more
    assert many <= 10 + {"project": 4, "plan": 1}.get(page, 0)


def test_health_endpoints(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_public_pages_are_cached_and_never_stale(client, town, django_assert_num_queries):
    project = ProjectFactory(municipality=town, title_bg="Стар заглавен текст")
    path = url("portal:project", "sopot", project.slug)
    assert "Стар заглавен текст" in client.get(path).content.decode()
    # A second visit is served from the cache: only the municipality is read.
    with django_assert_num_queries(1):
        assert "Стар заглавен текст" in client.get(path).content.decode()
    project.title_bg = "Нов заглавен текст"
    project.save()
    content.changed(town, content.Content.PLANNING)  # what every service does on a write
    assert "Нов заглавен текст" in client.get(path).content.decode()


def test_made_up_query_strings_are_rendered_but_never_stored(client, town, django_assert_num_queries):
    """Only the parameters a page reads make cache keys; anything else is rendered and not kept,
    so that junk query strings cannot fill the cache or push real pages out."""
    project = ProjectFactory(municipality=town)
    path = url("portal:project", "sopot", project.slug)
    client.get(path)
    keys = len(cache._cache)
    for n in range(20):
        assert client.get(f"{path}?junk={n}").status_code == 200
    assert len(cache._cache) == keys
    with django_assert_num_queries(1):  # the page itself is still served from the cache
        client.get(path)
    listing = url("portal:projects", "sopot")
    client.get(f"{listing}?status=planned&q=път")
    with django_assert_num_queries(1):  # the list's own filters are cached, in any order
        client.get(f"{listing}?q=път&status=planned")


def test_a_message_for_one_visitor_is_never_cached_for_others(client, town):
    """A banner (e.g. after erasing one's account the site shows "your account was erased") is
    rendered for that visitor only, not stored in the shared page cache."""
    storage = CookieStorage(RequestFactory().get("/"))
    encoded = storage._encode([Message(constants.SUCCESS, "Профилът ви беше изтрит.")])
    client.cookies["messages"] = encoded
    path = url("portal:home", "sopot")
    assert "Профилът ви беше изтрит." in client.get(path).content.decode()
    other = type(client)()
    assert "Профилът ви беше изтрит." not in other.get(path).content.decode()


def test_signed_in_users_are_not_served_cached_pages(client, town):
    planner = MembershipFactory(municipality=town, role="planner").user
    project = ProjectFactory(municipality=town)
    path = url("portal:project", "sopot", project.slug)
    client.get(path)  # cached for anonymous visitors
    sign_in(client, planner)
    content = client.get(path).content.decode()
    assert "Изход" in content  # the page was rendered for this user, with the sign-out button
