"""A signed-in citizen answers Sopot's priorities survey (a follow-up question appears after
choosing Anevo, a missing answer is reported in the error summary), sees the thank-you page and
the results with their charts and cross-tabulation; axe-core finds no serious or critical
violations on the questionnaire, its errors, and the results."""

import pytest
from django.urls import reverse

from civitas.core.models import Municipality
from civitas.demo.surveys import SLUG, load_surveys
from civitas.surveys.models import Response
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def test_a_citizen_answers_the_priorities_survey(live_server, demo, page, assert_accessible):
    survey = load_surveys(Municipality.objects.get(slug="sopot"))
    url = reverse("surveys:answer", args=["sopot", SLUG])
    log_in(page, live_server.url, "grazhdanka.anevo@example.org", url)
    assert page.locator("h1").inner_text() == survey.title_bg
    assert_accessible(page)

    ranks = page.locator("select[name^=q]")
    for i in range(ranks.count()):
        ranks.nth(i).select_option(str(i + 1))
    page.get_by_label("Велоалея Карлово – Сопот – Анево").check()
    page.get_by_role("group", name="3. Доволни ли сте от развитието").get_by_label("4 – Доволен").check()
    page.get_by_label("Анево", exact=True).check()
    follow_up = "Какво е най-нужно на село Анево?"
    assert page.get_by_label(follow_up).count() == 0
    page.get_by_role("button", name="Покажи въпросите, които се отнасят до мен").click()
    page.get_by_label(follow_up).fill("Автобус до Сопот")

    # Question 4 is required and unanswered: the summary says so and links to it.
    page.get_by_role("button", name="Изпрати отговорите ми").click()
    summary = page.locator(".govuk-error-summary")
    assert "Отговорете на този въпрос." in summary.inner_text()
    assert page.get_by_label(follow_up).input_value() == "Автобус до Сопот"  # answers are kept
    assert_accessible(page)
    summary.locator("a").first.click()
    page.get_by_role("group", name="4. Доволни ли сте от административното").get_by_label(
        "5 – Много доволен"
    ).check()
    page.get_by_role("button", name="Изпрати отговорите ми").click()

    assert page.locator("h1").inner_text() == "Благодарим за отговорите"
    assert_accessible(page)
    response = Response.objects.get(survey=survey, user__username="grazhdanka.anevo@example.org")
    assert response.answers.filter(text="Автобус до Сопот").exists()

    # A second visit says the answer is counted once.
    page.goto(live_server.url + url)
    assert "Вече сте отговорили на тази анкета" in page.locator("main").inner_text()

    page.goto(live_server.url + reverse("surveys:results", args=["sopot", SLUG]))
    assert "401 отговора." in page.locator("main").inner_text()
    assert page.locator("svg.civitas-chart").count() >= 6
    page.get_by_role("button", name="Сравни").click()
    assert page.locator("#crosstab-heading ~ div table").count() == 1
    assert_accessible(page)
