"""The public pages of a plan's versions (issue 11): the list with its compare form, one version
read from its frozen snapshot, and two versions compared; drafts only for staff who may edit the
plan; bad choices answered on the page; both languages; cached for anonymous visitors; query counts
fixed however large the plan."""

import copy
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.core import content
from civitas.core.models import Role
from civitas.plans.models import PlanVersion, VersionKind
from civitas.testing.factories import MunicipalityFactory, plan_with_versions
from civitas.testing.pages import url
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def versioned():
    town = MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")
    return plan_with_versions(town)


def page(client, name, *args, query="", lang="en", status=200):
    """A page, in English by default: the interface's words are checked in their source language."""
    response = client.get(url(name, "sopot", *args, lang=lang) + query)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def text(html: str) -> str:
    """The page's main text, tags removed, spaces squeezed."""
    main = html[html.index("<main") :]
    return " ".join(re.sub(r"<[^>]+>", " ", main).replace("&nbsp;", " ").replace("\xa0", " ").split())


def test_the_addresses_are_not_taken_for_an_element_of_the_plan(versioned):
    from django.urls import resolve

    plan = versioned[0]
    assert resolve(f"/sopot/plans/{plan.slug}/versions/").url_name == "plan_versions"
    assert resolve(f"/sopot/plans/{plan.slug}/versions/2/").url_name == "plan_version"
    assert resolve(f"/sopot/plans/{plan.slug}/versions/compare/").url_name == "plan_version_compare"
    assert resolve(f"/sopot/plans/{plan.slug}/СЦ1/").url_name == "plan_element"


def test_the_plan_page_links_to_its_versions(client, versioned):
    plan = versioned[0]
    assert url("portal:plan_versions", "sopot", plan.slug, lang="en") in page(
        client, "portal:plan", plan.slug
    )


def test_the_list_of_versions(client, versioned):
    plan, first, second = versioned
    html = page(client, "portal:plan_versions", plan.slug)
    for number in (1, 2):
        assert f'href="{url("portal:plan_version", "sopot", plan.slug, number, lang="en")}"' in html
    shown = text(html)
    assert "27.03.2014" in shown and "29.06.2017" in shown
    assert "№ 123" in shown  # the decision that adopted version 1
    assert "The plan as first adopted." in shown and "Mid-term update." in shown
    # Version 2 is in force; the form offers the last two versions, oldest first.
    assert "Version 2 in force" in shown and "Version 1 in force" not in shown
    assert re.search(r'<option value="1" selected>', html) and re.search(r'<option value="2" selected>', html)
    assert 'method="get"' in html and "<script" not in html[html.index("<main") : html.index("</main>")]


def test_the_list_in_bulgarian(client, versioned):
    plan = versioned[0]
    shown = text(page(client, "portal:plan_versions", plan.slug, lang="bg"))
    assert "Първоначално приет план." in shown and "Общински план за развитие на община Сопот" in shown


def test_a_version_is_read_from_its_snapshot(client, versioned):
    plan, first, second = versioned
    old = text(page(client, "portal:plan_version", plan.slug, 1))
    assert "This is not the version in force: version 2 is." in old
    assert "СЦ3" in old  # removed since, still in version 1
    assert "Nights spent in accommodation" in old and "10,000 (2013)" in old and "2020: 15,000" in old
    assert "€100,000.00" in old  # the financial table as it was
    assert "ОПР-3.1" in old
    new_html = page(client, "portal:plan_version", plan.slug, 2)
    new = text(new_html)
    assert "This is the version in force." in new and "СЦ5 A digital municipality" in new
    assert "СЦ3" not in new and "2020: 18,000" in new
    assert f'href="{url("portal:plan", "sopot", plan.slug, lang="en")}"' in new_html
    bulgarian = text(page(client, "portal:plan_version", plan.slug, 2, lang="bg"))
    assert "СЦ5 Дигитална община" in bulgarian and "Нощувки в местата за настаняване" in bulgarian
    assert "2020: 18 000" in bulgarian
    page(client, "portal:plan_version", plan.slug, 9, status=404)


def test_draft_versions_are_shown_only_to_staff_who_may_edit_plans(client, versioned):
    plan, first, second = versioned
    PlanVersion.objects.create(plan=plan, number=3, kind=VersionKind.DRAFT, snapshot=second.snapshot)
    assert url("portal:plan_version", "sopot", plan.slug, 3, lang="en") not in page(
        client, "portal:plan_versions", plan.slug
    )
    page(client, "portal:plan_version", plan.slug, 3, status=404)
    refused = text(page(client, "portal:plan_version_compare", plan.slug, query="?from=2&to=3", status=400))
    assert "This plan has no such version to compare." in refused

    sign_in_with_role(client, plan.municipality, Role.INDICATOR_OWNER)
    page(client, "portal:plan_version", plan.slug, 3, status=404)
    client.logout()
    sign_in_with_role(client, plan.municipality, Role.PLANNER)
    assert url("portal:plan_version", "sopot", plan.slug, 3, lang="en") in page(
        client, "portal:plan_versions", plan.slug
    )
    assert "This version is a draft: only staff can see it." in text(
        page(client, "portal:plan_version", plan.slug, 3)
    )
    page(client, "portal:plan_version_compare", plan.slug, query="?from=2&to=3")


def test_two_versions_compared(client, versioned):
    plan = versioned[0]
    html = page(client, "portal:plan_version_compare", plan.slug, query="?from=1&to=2")
    shown = text(html)
    summary = shown[shown.index("Elements added") : shown.index("Goals, indicators and money")]
    assert "Elements added 1" in summary and "Elements removed 1" in summary
    assert "Elements moved or recoded 1" in summary and "Elements reworded 1" in summary
    assert "Targets changed 1" in summary and "Projects removed 5" in summary
    # In tree order: СЦ4 moved to the top, СЦ1's target and money, СЦ2 reworded, СЦ3 removed, СЦ5 added.
    order = [shown.index(marker) for marker in ("Moved СЦ4", "Changed Indicator И-1", "Reworded СЦ2",
                                                 "Removed СЦ3", "Added СЦ5")]  # fmt: skip
    assert order == sorted(order)
    assert "before: at the top level, place 4 → after: at the top level, place 1" in shown
    assert "2020 before: 15,000 after: 18,000" in shown
    assert "before: €100,000.00 after: €120,000.00" in shown
    # Word-level marks with words for screen readers, not colour alone.
    assert re.search(
        r'<ins class="civitas-diff__ins"><span class="govuk-visually-hidden">\[added: </span> ?и привличане на инвестиции',
        html,
    )
    assert (
        '<span aria-hidden="true">+ </span>Added' in html
        and '<span aria-hidden="true">− </span>Removed' in html
    )
    # Back to the form, with the two versions chosen.
    assert re.search(r'<option value="1" selected>', html)


def test_the_comparison_in_bulgarian(client, versioned):
    plan = versioned[0]
    html = page(client, "portal:plan_version_compare", plan.slug, query="?from=1&to=2", lang="bg")
    shown = text(html)
    assert "СЦ5 Дигитална община" in shown and "Опазване на околната среда" in shown
    assert "100 000,00 €" in shown and "120 000,00 €" in shown and "15 000" in shown
    assert '<html lang="bg"' in html


def test_a_comparison_backwards_reads_the_other_way(client, versioned):
    plan = versioned[0]
    shown = text(page(client, "portal:plan_version_compare", plan.slug, query="?from=2&to=1"))
    assert "Removed СЦ5" in shown and "Added СЦ3" in shown


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Choose a version."),
        ("?from=1", "Choose a version."),
        ("?from=1&to=1", "Choose two different versions."),
        ("?from=1&to=7", "This plan has no such version to compare."),
        ("?from=x&to=2", "This plan has no such version to compare."),
        ("?from=-1&to=2", "This plan has no such version to compare."),
        ("?from=1&to=99999999999999999999999", "This plan has no such version to compare."),
    ],
)
def test_bad_choices_are_answered_on_the_page(client, versioned, query, message):
    plan = versioned[0]
    html = page(client, "portal:plan_version_compare", plan.slug, query=query, status=400)
    assert "govuk-error-summary" in html and message in text(html)


def test_bad_choices_are_answered_in_bulgarian_too(client, versioned):
    plan = versioned[0]
    html = page(client, "portal:plan_version_compare", plan.slug, query="?from=2&to=2", lang="bg", status=400)
    assert "govuk-error-summary" in html and '<html lang="bg"' in html


def test_another_plans_versions_are_not_this_plans(client, versioned):
    """Versions are numbered in their plan: another plan's version 3 is no version of this one."""
    plan = versioned[0]
    other, *_ = plan_with_versions(MunicipalityFactory(slug="other"))
    PlanVersion.objects.create(plan=other, number=3, kind=VersionKind.ADOPTED, snapshot={})
    page(client, "portal:plan_version_compare", plan.slug, query="?from=1&to=3", status=400)
    page(client, "portal:plan_version", plan.slug, 3, status=404)


def count_queries(client, path):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries.captured_queries)


def grow(version: PlanVersion, copies: int) -> None:
    """Make a version's snapshot far larger: many more goals, each with indicators and projects."""
    snapshot = copy.deepcopy(version.snapshot)
    template = snapshot["goals"][1]
    for i in range(copies):
        goal = copy.deepcopy(template)
        goal["code"] = f"Г{i}"
        for project in goal.get("projects", []):
            project["code"] = project.get("code", project.get("ref")) + f"-{i}"
            project.pop("slug", None)
        snapshot["goals"].append(goal)
    version.snapshot = snapshot
    version.save()


def test_query_counts_are_fixed_as_the_plan_grows(client, versioned):
    plan, first, second = versioned
    paths = {
        "list": (
            url("portal:plan_versions", "sopot", plan.slug, lang="en"),
            3,
        ),  # municipality, plan, versions
        "version": (
            url("portal:plan_version", "sopot", plan.slug, 2, lang="en"),
            4,
        ),  # ... the version, the one in force
        "compare": (
            url("portal:plan_version_compare", "sopot", plan.slug, lang="en") + "?from=1&to=2",
            4,
        ),  # ... the two
    }
    before = {name: count_queries(client, path) for name, (path, _) in paths.items()}
    assert before == {name: expected for name, (_, expected) in paths.items()}
    grow(second, 60)
    for number in range(3, 13):
        PlanVersion.objects.create(
            plan=plan, number=number, kind=VersionKind.AMENDED, snapshot=second.snapshot
        )
    assert {name: count_queries(client, path) for name, (path, _) in paths.items()} == before


def test_anonymous_pages_are_cached_and_never_stale(client, versioned, django_assert_num_queries):
    plan, first, second = versioned
    path = url("portal:plan_version_compare", "sopot", plan.slug) + "?from=1&to=2"
    client.get(path)
    with django_assert_num_queries(1):  # the municipality only
        assert client.get(path).status_code == 200
    PlanVersion.objects.filter(pk=second.pk).update(note_bg="Поправена бележка")
    content.changed(plan.municipality, content.Content.PLANNING)
    listing = url("portal:plan_versions", "sopot", plan.slug)
    assert "Поправена бележка" in client.get(listing).content.decode()
    # A refused choice is answered every time, never stored.
    bad = url("portal:plan_version_compare", "sopot", plan.slug) + "?from=1&to=8"
    assert client.get(bad).status_code == 400
    with CaptureQueriesContext(connection) as queries:
        assert client.get(bad).status_code == 400
    assert len(queries.captured_queries) > 1
