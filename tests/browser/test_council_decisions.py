"""The council's decisions register in the browser: filter the list, open a decision, follow the
link to what it acts on and back; axe finds no serious or critical violation on its pages."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.fixture
def results_adopted(demo):
    """The demo's consultation on the draft development plan, its results adopted by the decision
    that adopts the plan (№ 171 of 26.06.2014, a sample decision)."""
    from civitas.consultations import services
    from civitas.consultations.models import Consultation
    from civitas.council.models import Decision

    consultation = Consultation.objects.get(municipality__slug="sopot", slug="opr-2014-2020-proekt")
    decision = Decision.objects.get(municipality__slug="sopot", year=2014, number=171)
    planner = get_user_model().objects.get(username="sopot-admin")
    services.consultation_results_decision_set(
        actor=planner, consultation=consultation, decision=decision, expected_version=consultation.version
    )
    return consultation


def test_filter_the_register_open_a_decision_and_follow_what_it_acts_on(
    live_server, results_adopted, page, assert_accessible
):
    page.goto(live_server.url + url("council:list", "sopot"))
    cards = page.locator(".civitas-card")
    assert cards.count() == 5  # four of 2014, the plan's update of 2018
    assert_accessible(page)

    page.select_option("#filter-year", "2014")
    page.click("button[type=submit]")
    assert cards.count() == 3
    page.fill("#filter-q", "development plan")
    page.click("button[type=submit]")
    assert cards.count() == 1
    page.fill("#filter-q", "")
    page.select_option("#filter-acts-on", "consultations_with_results")
    page.click("button[type=submit]")
    assert cards.count() == 1
    assert "year=2014" in page.url and "acts_on=consultations_with_results" in page.url

    page.click("text=Decision № 171 of the Municipal Council of 26.06.2014")
    assert page.locator("h1").inner_text() == "Decision № 171 of the Municipal Council of 26.06.2014"
    assert "14 for, 0 against, 1 abstained" in page.inner_text("main")
    assert page.locator(".civitas-sample").count() >= 1
    assert_accessible(page)

    page.get_by_role("link", name=results_adopted.title_en or results_adopted.title_bg).click()
    assert page.url.endswith(url("consultations:detail", "sopot", results_adopted.slug))
    page.get_by_role("link", name="Decision № 171 of the Municipal Council of 26.06.2014").click()
    assert page.url.endswith(url("council:detail", "sopot", 2014, 171))


def test_the_bulgarian_register_is_accessible(live_server, demo, page, assert_accessible):
    page.goto(live_server.url + url("council:list", "sopot", lang="bg"))
    assert page.locator(".civitas-card").count() == 5
    page.locator(".civitas-card a").first.click()
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
