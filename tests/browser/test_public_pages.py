"""The public portal in a real browser: content of the main pages in both languages, navigation
between them, the project filters with a Cyrillic text search, and keyboard access."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from civitas.projects.models import Project, ProjectStatus

pytestmark = pytest.mark.browser

PLAN_BG = "Общински план за развитие на община Сопот 2014–2020г."
GOALS_BG = [
    ("СЦ1", "Развитие на конкурентоспособна икономика"),
    ("СЦ2", "Опазване на околната среда"),
    ("СЦ3", "Повишаване качеството на човешкия капитал"),
    ("СЦ4", "Подобряване на ефективността"),
]
BIKE_PATH_BG = "Изграждане на велосипедна алея между гр. Сопот и гр. Карлово (съвместно с община Карлово) и между гр. Сопот и с. Анево"


def url(name, *args, lang="bg"):
    with translation.override(lang):
        return reverse(name, args=args)


def main_text(page):
    return page.locator("main").inner_text()


def test_root_leads_to_the_default_municipality(live_server, demo, page):
    page.goto(live_server.url + "/")
    assert urlsplit(page.url).path == "/sopot/"
    assert page.locator("h1").inner_text() == "Община Сопот"


def test_home_in_bulgarian_and_english(live_server, demo, page):
    page.goto(live_server.url + url("portal:home", "sopot"))
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.locator("h1").inner_text() == "Община Сопот"
    text = main_text(page)
    assert PLAN_BG in text
    assert "Стратегия за градоустройствена и жилищна политика" in text
    assert "Ключови показатели" in text

    page.get_by_role("link", name="English").first.click()
    page.wait_for_url("**/en/sopot/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Sopot Municipality"
    text = main_text(page)
    assert "Municipal Development Plan" in text
    assert "Key figures" in text
    assert "Община" not in page.locator("h1").inner_text()


def test_plan_page_shows_the_goal_tree_with_projects(live_server, demo, page):
    page.goto(live_server.url + url("portal:home", "sopot"))
    page.get_by_role("link", name=PLAN_BG).first.click()
    page.wait_for_url("**/plans/opr-2014-2020/")
    assert page.locator("h1").inner_text() == PLAN_BG

    top = page.locator("ol.civitas-tree > li.civitas-tree__element")
    assert top.count() == 4
    headings = [top.nth(i).locator("h3").first.inner_text() for i in range(4)]
    for (code, title), heading in zip(GOALS_BG, headings, strict=True):
        assert code in heading and title in heading, headings
    # Each project sits under its goal: the bike path to Karlovo under goal 4, the dog shelter under goal 2.
    assert top.nth(3).get_by_role("link", name=BIKE_PATH_BG).count() == 1
    assert top.nth(1).get_by_role("link", name="Изграждане на приют за безстопанствени кучета").count() == 1
    assert top.nth(0).get_by_role("link", name=BIKE_PATH_BG).count() == 0

    top.nth(3).get_by_role("link", name=BIKE_PATH_BG).click()
    page.wait_for_url("**/projects/opr-4-3/")
    assert page.locator("h1").inner_text() == BIKE_PATH_BG


def test_plan_page_in_english(live_server, demo, page):
    page.goto(live_server.url + url("portal:plan", "sopot", "opr-2014-2020", lang="en"))
    text = main_text(page)
    assert "Development of a competitive economy" in text
    assert "Goals and projects" in text
    assert "Building a bicycle path between the town of Sopot and the town of Karlovo" in text


def test_project_list_filter_by_status_and_cyrillic_search(live_server, demo, page):
    in_progress = Project.objects.filter(municipality__slug="sopot", status=ProjectStatus.IN_PROGRESS).count()
    assert in_progress > 1

    page.goto(live_server.url + url("portal:projects", "sopot"))
    cards = page.locator(".civitas-card h2")
    total = cards.count()
    assert total > in_progress

    page.get_by_label("Статус").select_option(ProjectStatus.IN_PROGRESS.value)
    page.get_by_role("button", name="Приложи филтрите").click()
    page.wait_for_url(re.compile(r"status=in_progress"))
    assert cards.count() == in_progress
    assert page.get_by_role("status").inner_text().startswith(str(in_progress))

    # Upper-case Cyrillic finds the lower-case title (SQLite's LIKE folds ASCII only).
    page.get_by_label("Търсене").fill("ВЕЛОСИПЕДНА АЛЕЯ")
    page.get_by_role("button", name="Приложи филтрите").click()
    page.wait_for_url(re.compile(r"q="))
    query = parse_qs(urlsplit(page.url).query)
    assert (query["q"], query["status"]) == (["ВЕЛОСИПЕДНА АЛЕЯ"], ["in_progress"])
    assert cards.count() == 1
    assert cards.first.inner_text() == BIKE_PATH_BG
    # The filters keep their values and can be cleared.
    assert page.get_by_label("Търсене").input_value() == "ВЕЛОСИПЕДНА АЛЕЯ"
    assert page.get_by_label("Статус").input_value() == "in_progress"
    page.get_by_role("link", name="Изчисти филтрите").click()
    expect(cards).to_have_count(total)


def test_project_list_search_without_results(live_server, demo, page):
    page.goto(live_server.url + url("portal:projects", "sopot") + "?q=несъществуващ")
    assert page.locator(".civitas-card").count() == 0
    assert "Няма проекти, които отговарят на филтрите." in main_text(page)


def test_project_page_shows_status_progress_budget_and_partners(live_server, demo, page):
    project = Project.objects.get(municipality__slug="sopot", slug="opr-4-3")
    page.goto(live_server.url + url("portal:project", "sopot", "opr-4-3"))
    assert page.locator("h1").inner_text() == BIKE_PATH_BG
    text = main_text(page)
    assert "В изпълнение" in text
    assert f"{project.progress}%" in text
    assert "Бюджет по източници на финансиране" in text
    assert "Карлово" in text  # the partner municipality
    assert page.locator(".civitas-progress").count() >= 1

    page.get_by_role("link", name="English").first.click()
    page.wait_for_url("**/en/sopot/projects/opr-4-3/")
    assert page.locator("h1").inner_text() == project.title_en
    assert "Karlovo" in main_text(page)


def test_skip_link_is_the_first_focusable_element_and_moves_focus_to_main(live_server, demo, page):
    page.goto(live_server.url + url("portal:home", "sopot"))
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"text": "Към основното съдържание", "href": "#main-content"}
    assert page.locator(".govuk-skip-link").is_visible()  # visible when focused

    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    # Focus is now on <main> (GOV.UK Frontend's skip link) or, without JS, the sequential focus
    # starting point is: either way the next Tab lands inside main, past the header and navigation.
    in_main = page.evaluate("document.getElementById('main-content').contains(document.activeElement)")
    page.keyboard.press("Tab")
    next_in_main = page.evaluate(
        "document.getElementById('main-content').contains(document.activeElement) && document.activeElement.tagName"
    )
    assert in_main or next_in_main, "focus did not move into <main> after the skip link"
    assert next_in_main, "Tab after the skip link left <main>"


def test_keyboard_only_reaches_a_project_from_the_project_list(live_server, demo, page):
    page.goto(live_server.url + url("portal:projects", "sopot"))
    target = page.get_by_role("link", name=BIKE_PATH_BG)
    for _ in range(200):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the project link was never reached with Tab")
    outline = target.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).backgroundColor"
    )
    assert outline != "none rgba(0, 0, 0, 0)", "the focused link has no visible focus style"
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects/opr-4-3/")
