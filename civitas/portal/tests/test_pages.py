import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from civitas.core import content
from civitas.plans.models import PlanStatus
from civitas.projects.models import FundingSource, ProjectStatus
from civitas.testing.factories import (
    ActivityFactory,
    FundingLineFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
    ProjectPartnerFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def url(name, *args, lang="bg"):
    with translation.override(lang):
        return reverse(name, args=args)


def build_plan(town, *, goals=2, projects_per_goal=2, prefix="P"):
    plan = PlanFactory(municipality=town)
    for g in range(goals):
        goal = PlanElementFactory(
            plan=plan, code=f"SG{g + 1}", title_bg=f"Цел {g + 1}", title_en=f"Goal {g + 1}"
        )
        measure = PlanElementFactory(plan=plan, parent=goal, code=f"M{g + 1}.1")
        for p in range(projects_per_goal):
            project = ProjectFactory(municipality=town, code=f"{prefix}{g}-{p}")
            ProjectContributionFactory(project=project, element=measure if p % 2 else goal)
            FundingLineFactory(project=project, source=FundingSource.EU, programme_bg="ОПРР")
            FundingLineFactory(project=project, source=FundingSource.MUNICIPAL)
            ActivityFactory(project=project)
            ProjectPartnerFactory(project=project)
    return plan


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


def test_draft_plans_are_hidden_from_the_public(client, town):
    draft = PlanFactory(municipality=town, status=PlanStatus.DRAFT, title_bg="Чернова на план")
    assert "Чернова на план" not in client.get(url("portal:home", "sopot")).content.decode()
    assert client.get(url("portal:plan", "sopot", draft.slug)).status_code == 404


def test_draft_plan_is_visible_to_its_planners(client, town):
    draft = PlanFactory(municipality=town, status=PlanStatus.DRAFT)
    planner = MembershipFactory(municipality=town, role="planner").user
    sign_in(client, planner)
    response = client.get(url("portal:plan", "sopot", draft.slug))
    assert response.status_code == 200


def test_plan_page_shows_goal_tree_with_projects(client, town):
    plan = build_plan(town)
    response = client.get(url("portal:plan", "sopot", plan.slug))
    content = response.content.decode()
    assert "SG1" in content and "Цел 1" in content and "M1.1" in content
    assert "Проект" in content
    # Levels are named by the plan: the first level is "Стратегическа цел", the second "Мярка".
    assert "Стратегическа цел" in content and "Мярка" in content
    english = client.get(url("portal:plan", "sopot", plan.slug, lang="en")).content.decode()
    assert "Goal 1" in english and "Strategic goal" in english


def test_plan_of_another_municipality_is_404(client, town):
    other = PlanFactory(municipality=MunicipalityFactory(slug="karlovo"))
    assert client.get(url("portal:plan", "sopot", other.slug)).status_code == 404


def test_project_list_filters(client, town):
    plan = build_plan(town)
    special = ProjectFactory(
        municipality=town,
        code="BIKE",
        title_bg="Велосипедна алея Сопот – Карлово",
        status=ProjectStatus.COMPLETED,
        search_text="bike велосипедна алея сопот – карлово",
    )
    FundingLineFactory(project=special, source=FundingSource.NATIONAL)
    base = url("portal:projects", "sopot")

    content = client.get(base).content.decode()
    assert "Велосипедна алея" in content and "P0-0" in content

    # Search ignores case in Cyrillic, on every database.
    content = client.get(base, {"q": "ВЕЛОСИПЕДНА"}).content.decode()
    assert "Велосипедна алея" in content and "P0-0" not in content

    content = client.get(base, {"status": "completed"}).content.decode()
    assert "Велосипедна алея" in content and "P0-0" not in content

    content = client.get(base, {"source": "national"}).content.decode()
    assert "Велосипедна алея" in content and "P0-0" not in content

    goal = plan.elements.get(code="SG1")
    content = client.get(base, {"element": goal.pk}).content.decode()
    # The goal's projects and those of the measures below it.
    assert "P0-0" in content and "P0-1" in content and "P1-0" not in content


def test_project_list_unknown_filter_values_are_reported_not_fatal(client, town):
    build_plan(town)
    response = client.get(
        url("portal:projects", "sopot"), {"element": "99999", "status": "bogus", "source": "x"}
    )
    assert response.status_code == 200
    assert "P0-0" in response.content.decode()
    assert "govuk-error-message" in response.content.decode()


def test_project_list_paginates(client, town):
    for i in range(45):
        ProjectFactory(municipality=town, code=f"Q{i:03d}")
    first = client.get(url("portal:projects", "sopot")).content.decode()
    assert "Q000" in first and "Q020" not in first
    third = client.get(url("portal:projects", "sopot"), {"page": 3}).content.decode()
    assert "Q040" in third and "Q000" not in third


def test_project_page_shows_everything(client, town):
    plan = build_plan(town, goals=1, projects_per_goal=1)
    project = plan.elements.get(code="SG1").projects.get()
    project.location = {"type": "LineString", "coordinates": [[24.754, 42.652], [24.806, 42.643]]}
    project.save()
    response = client.get(url("portal:project", "sopot", project.slug))
    content = response.content.decode()
    assert response.status_code == 200
    for text in [
        project.title_bg,
        "Община Карлово",
        "ОПРР",
        "SG1",
        "Дейност",
        "200\xa0000,00",
        "OpenStreetMap",
    ]:
        assert text in content, text
    english = client.get(url("portal:project", "sopot", project.slug, lang="en")).content.decode()
    assert project.title_en in english and "Karlovo Municipality" in english and "200,000.00" in english


def test_project_of_another_municipality_is_404(client, town):
    other = ProjectFactory(municipality=MunicipalityFactory(slug="karlovo"))
    assert client.get(url("portal:project", "sopot", other.slug)).status_code == 404


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
    assert many <= 10  # e.g. the project page: municipality, project, five prefetches, indicators, topic


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
