"""A signed-in citizen answers Sopot's priorities survey (a follow-up question appears as soon as
Anevo is chosen, a missing answer is reported in the error summary), sees the thank-you page and
the results with their charts and cross-tabulation; axe-core finds no serious or critical
violations on the questionnaire, its errors, and the results. Un-choosing Anevo hides the
follow-up and its answer is not stored; without JavaScript the follow-up is reached through the
"Show the questions that apply" button, or by sending at once, and nothing is lost."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from civitas.core.models import Municipality
from civitas.demo.surveys import SLUG, load_surveys
from civitas.surveys.models import Response
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser

FOLLOW_UP = "Какво е най-нужно на село Анево?"
UPDATE = "Покажи въпросите, които се отнасят до мен"
SEND = "Изпрати отговорите ми"


def answer_the_required_questions(page):
    page.get_by_role("group", name="3. Доволни ли сте от развитието").get_by_label("4 – Доволен").check()
    page.get_by_role("group", name="4. Доволни ли сте от административното").get_by_label(
        "5 – Много доволен"
    ).check()


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
    follow_up = page.get_by_label("Какво е най-нужно на село Анево?")
    assert follow_up.is_hidden()
    # With JavaScript the button for browsers without it is not offered, nor its explanation.
    assert page.get_by_role("button", name=UPDATE).is_hidden()
    page.get_by_label("Анево", exact=True).check()
    follow_up.fill("Автобус до Сопот")  # shown at once: no button to press
    assert_accessible(page)

    # Question 4 is required and unanswered: the summary says so and links to it.
    page.get_by_role("button", name="Изпрати отговорите ми").click()
    summary = page.locator(".govuk-error-summary")
    assert "Отговорете на този въпрос." in summary.inner_text()
    assert follow_up.input_value() == "Автобус до Сопот"  # answers are kept
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
    expect(page.locator("#crosstab-heading ~ div table")).to_have_count(1)
    assert_accessible(page)


def test_un_choosing_anevo_hides_the_follow_up_and_its_answer_is_not_stored(live_server, demo, page):
    survey = load_surveys(Municipality.objects.get(slug="sopot"))
    url = reverse("surveys:answer", args=["sopot", SLUG])
    log_in(page, live_server.url, "grazhdanin.sopot@example.org", url)
    answer_the_required_questions(page)
    follow_up = page.get_by_label(FOLLOW_UP)
    announcer = page.locator("[data-survey-announce]")
    assert announcer.inner_text() == ""  # nothing said before an answer changes anything
    page.get_by_label("Анево", exact=True).check()
    # A screen reader hears that a question appeared, and then that it went away.
    assert (
        announcer.inner_text()
        == announcer.get_attribute("data-shown")
        == ("Показан е въпрос, който зависи от вашия отговор; той е след него.")
    )
    follow_up.fill("Читалище")
    page.get_by_label("Сопот", exact=True).check()
    assert follow_up.is_hidden() and follow_up.is_disabled()
    assert announcer.inner_text() == announcer.get_attribute("data-hidden")
    page.get_by_role("button", name=SEND).click()

    assert page.locator("h1").inner_text() == "Благодарим за отговорите"
    response = Response.objects.get(survey=survey, user__username="grazhdanin.sopot@example.org")
    assert response.answers.filter(option__label_bg="Сопот").exists()
    assert not response.answers.filter(question__text_bg=FOLLOW_UP).exists()
    assert not response.answers.filter(text="Читалище").exists()


@pytest.fixture
def page_without_javascript(browser):
    context = browser.new_context(
        locale="bg-BG", java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()


def test_without_javascript_the_follow_up_can_still_be_answered(live_server, demo, page_without_javascript):
    page = page_without_javascript
    survey = load_surveys(Municipality.objects.get(slug="sopot"))
    url = reverse("surveys:answer", args=["sopot", SLUG])
    log_in(page, live_server.url, "mladezh@example.org", url)
    follow_up = page.get_by_label(FOLLOW_UP)
    assert follow_up.is_hidden()
    assert page.get_by_role("button", name=UPDATE).is_visible()  # and the page says what it is for
    answer_the_required_questions(page)
    page.get_by_label("Анево", exact=True).check()
    # Sent at once: the follow-up now applies, so the form comes back with it, nothing stored yet.
    page.get_by_role("button", name=SEND).click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert not Response.objects.filter(user__username="mladezh@example.org").exists()
    follow_up.fill("Спирка на автобуса")
    page.get_by_role("button", name=SEND).click()

    assert page.locator("h1").inner_text() == "Благодарим за отговорите"
    response = Response.objects.get(survey=survey, user__username="mladezh@example.org")
    assert response.answers.filter(text="Спирка на автобуса").exists()


def test_without_javascript_the_button_shows_the_questions_that_apply(
    live_server, demo, page_without_javascript
):
    page = page_without_javascript
    load_surveys(Municipality.objects.get(slug="sopot"))
    url = reverse("surveys:answer", args=["sopot", SLUG])
    log_in(page, live_server.url, "mladezh@example.org", url)
    page.get_by_label("Анево", exact=True).check()
    page.get_by_role("button", name=UPDATE).click()
    expect(page.get_by_label(FOLLOW_UP)).to_be_visible()
    expect(page.get_by_label(FOLLOW_UP)).to_be_enabled()
    assert page.get_by_label("Анево", exact=True).is_checked()  # the answers so far are kept


def test_result_chart_labels_are_whole_and_inside_the_chart_at_desktop_width(live_server, demo, page):
    load_surveys(Municipality.objects.get(slug="sopot"))
    page.goto(live_server.url + reverse("surveys:results", args=["sopot", SLUG]))
    assert page.viewport_size["width"] == 1280
    outside = page.evaluate(
        """() => [...document.querySelectorAll("svg.civitas-chart")].flatMap((svg) => {
            const width = svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll("text")]
                .map((text) => [text.textContent, text.getBBox()])
                .filter(([, box]) => box.x < 0 || box.x + box.width > width)
                .map(([label]) => label);
        })"""
    )
    assert outside == []
    labels = " ".join(page.locator("svg.civitas-chart text").all_text_contents())
    assert "…" not in labels and "Велоалея Карлово – Сопот – Анево" in labels
