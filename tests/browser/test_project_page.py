"""The project page and the home page's figures laid out for a desktop (1280 px) and a phone
(360 px): the budget table shows every column, key-facts labels never break inside a word, the
timeline ends before the next heading, the budget figure stays on one line; activities past their
due date say "Overdue"; photos show as a gallery."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.browser

# The OP "Administrative Capacity" project: a funding line with a contract, and activities.
OPAK = "opak-13-13-146"
# A sample project with activities past their due date (progress 60 %, planned to end in 2019).
URBAN = "opr-2-1"

WORDS_BROKEN = """(selector) => {
    // The words of the elements' text that the layout split over two lines.
    const broken = [];
    for (const element of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const re = /\\S+/g;
            for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                if (tops.size > 1) broken.push(m[0]);
            }
        }
    }
    return broken;
}"""


def url(name, *args, lang="bg"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_project_page_at_desktop_and_phone_width(live_server, demo, page, lang):
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + url("portal:project", "sopot", OPAK, lang=lang))

        # The budget table: its last column (the contract) is within its region at 1280; at 360
        # the table may scroll inside its own region, never the page, with its total outside it.
        region = page.locator(".civitas-table-scroll:has(.civitas-budget-table)")
        last_header = page.locator(".civitas-budget-table thead th").last
        box, last = region.bounding_box(), last_header.bounding_box()
        assert box and last
        total = page.locator("#budget-total")
        assert total.is_visible() and region.locator("#budget-total").count() == 0
        if width == 1280:
            assert last["x"] + last["width"] <= box["x"] + box["width"] + 1, (width, last, box)
            assert region.evaluate("el => el.scrollWidth <= el.clientWidth"), width
            assert "№ 13-13-146" in page.locator(".civitas-budget-table").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width

        # Key facts: no label broken inside a word, none wider than its box.
        assert page.evaluate(WORDS_BROKEN, ".civitas-key-facts .govuk-summary-list__key") == [], width
        assert page.locator(".civitas-key-facts .govuk-summary-list__key").evaluate_all(
            "els => els.every((el) => el.scrollWidth <= el.clientWidth)"
        ), width

        # The timeline ends above the heading that follows it.
        timeline = page.locator(".civitas-timeline").bounding_box()
        following = page.locator(".civitas-timeline + * , .civitas-project-wide h2").first.bounding_box()
        assert timeline and following
        assert timeline["y"] + timeline["height"] + 10 <= following["y"], (width, timeline, following)


def test_home_page_budget_figure_stays_on_one_line(live_server, demo, page):
    for lang in ("bg", "en"):
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + url("portal:home", "sopot", lang=lang))
            values = page.locator(".civitas-figure__value")
            assert values.count() >= 5
            assert page.evaluate(WORDS_BROKEN, ".civitas-figure__value") == [], (lang, width)
            assert values.evaluate_all(
                """els => els.every((el) => el.scrollWidth <= el.clientWidth
                    && el.getBoundingClientRect().height < 1.6 * parseFloat(getComputedStyle(el).fontSize))"""
            ), (lang, width)


def test_overdue_activities_photos_and_documents(live_server, demo, page):
    page.goto(live_server.url + url("portal:project", "sopot", URBAN, lang="en"))
    timeline = page.locator(".civitas-timeline")
    overdue = timeline.locator(".is-overdue")
    assert overdue.count() >= 1
    assert "Overdue" in overdue.first.inner_text() and "was due" in overdue.first.inner_text()
    assert timeline.locator(".is-milestone").count() >= 1
    photo = page.locator(".civitas-gallery img").first
    assert photo.get_attribute("alt", timeout=2000).startswith("Sample picture")
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")  # served to the public
    assert "PDF" in page.locator(".civitas-documents").inner_text()
