"""The events calendar and the project page's Publicity section in a browser, with the Sopot demo:
axe-core finds no serious or critical violation at 1280 and 360 px in either language; the month
table scrolls inside its own region on a phone, never the page; months are navigated with plain
links (across the year's end) and the kind filter works without JavaScript."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OPAK = "opak-13-13-146"


def url(name, *args, lang="bg"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_calendar_at_desktop_and_phone_width(live_server, demo, page, assert_accessible, lang):
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + url("publicity:calendar", "sopot", lang=lang) + "?month=2014-07")
        table = page.locator("table.civitas-calendar")
        assert table.locator("thead th").count() == 7
        closing = table.locator(
            "a", has_text="Заключителна пресконференция" if lang == "bg" else "Closing press conference"
        )
        assert closing.count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        assert_accessible(page)


def test_months_are_navigated_with_links_and_filtered_by_kind(live_server, demo, page):
    page.goto(live_server.url + url("publicity:calendar", "sopot", lang="en") + "?month=2014-12")
    page.get_by_role("link", name="Next month").click()
    assert "month=2015-01" in page.url
    assert "January 2015" in page.locator("h2#month-heading").inner_text()
    page.get_by_role("link", name="Previous month").click()
    page.get_by_role("link", name="Previous month").click()
    assert "November 2014" in page.locator("h2#month-heading").inner_text()
    page.goto(live_server.url + url("publicity:calendar", "sopot", lang="en") + "?month=2014-01")
    page.get_by_label("Kind of event").select_option("forum")
    page.get_by_role("button", name="Apply filters").click()
    assert "kind=forum" in page.url and "month=2014-01" in page.url
    assert page.locator("table.civitas-calendar a").count() == 0
    page.get_by_label("Kind of event").select_option("press_conference")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("table.civitas-calendar a", has_text="Opening press conference")).to_have_count(1)


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_project_pages_publicity_section_and_an_event_page(
    live_server, demo, page, assert_accessible, lang
):
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + url("portal:project", "sopot", OPAK, lang=lang))
        section = page.locator("section.civitas-publicity")
        assert section.is_visible()
        text = section.inner_text()
        assert "1000" in text and ("„Диалог днес“" in text if lang == "bg" else "Dialog Dnes" in text)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        assert_accessible(page)
    section.get_by_role(
        "link", name="Заключителна пресконференция" if lang == "bg" else "Closing press conference"
    ).click()
    assert page.locator("h1").inner_text() in ("Заключителна пресконференция", "Closing press conference")
    assert_accessible(page)
