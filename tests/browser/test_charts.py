"""The plan's charts and the element pages in a real browser (issue 10): the tree links each goal
to its page, by keyboard too; the charts are drawn (SVG under the CSP) with their numbers in words."""

from urllib.parse import unquote, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.browser


def url(name, *args, lang="bg"):
    with translation.override(lang):
        return reverse(name, args=args)


def test_a_goal_of_the_tree_opens_its_page_by_keyboard(live_server, demo, page):
    page.goto(live_server.url + url("portal:plan", "sopot", "piro-2021-2027", lang="en"))
    link = page.get_by_role("link", name="П2 A good living environment and green infrastructure")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/piro-2021-2027/*/")
    assert unquote(urlsplit(page.url).path) == "/en/sopot/plans/piro-2021-2027/П2/"
    main = page.locator("main")
    assert "A good living environment and green infrastructure" in page.locator("h1").inner_text()
    text = main.inner_text()
    # Its status in words beside the bar, its measures linked, its money by source.
    assert "On track: 2" in text and "At risk: 1" in text
    assert main.get_by_role("link", name="М2.1 Energy efficiency and sustainable urban mobility").is_visible()
    assert "EU programme: €2,900,000.00" in text
    # The charts are drawn: the status bar has a size and an accessible name.
    bar = main.get_by_role("img", name="Indicators of П2 by status")
    box = bar.bounding_box()
    assert box and box["width"] > 100 and box["height"] >= 16
    # Back up the breadcrumb to the plan.
    page.get_by_role("link", name="Integrated Development Plan of Sopot Municipality 2021–2027").first.click()
    page.wait_for_url("**/plans/piro-2021-2027/")


def test_each_indicator_of_the_plan_has_its_trend_line(live_server, demo, page):
    page.goto(live_server.url + url("portal:plan", "sopot", "piro-2021-2027"))
    rows = page.locator(".civitas-indicator-table tbody tr")
    sparklines = page.locator(".civitas-indicator-table svg.civitas-sparkline")
    assert sparklines.count() >= 1 and sparklines.count() <= rows.count()
    first = sparklines.first
    assert first.get_attribute("role") == "img"
    assert first.locator("desc").text_content()  # every value in words
