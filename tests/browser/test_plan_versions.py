"""Two versions of a plan compared in the browser (issue 11): the versions page's form chooses
them (no JavaScript needed), the comparison shows an element added, one removed, one moved, one
reworded and a changed target, in words and signs as well as colours; axe-core finds no serious or
critical problem, and at 360 px nothing is wider than the page."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.browser

WIDER_THAN_THE_PAGE = "document.documentElement.scrollWidth <= window.innerWidth"


def url(name, *args, lang="bg"):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.fixture
def versions(transactional_db):
    from civitas.testing.factories import MunicipalityFactory, plan_with_versions

    town = MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")
    return plan_with_versions(town)


def squeezed(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_two_versions_compared(live_server, versions, page, assert_accessible, lang):
    plan = versions[0]
    page.goto(live_server.url + url("portal:plan_versions", "sopot", plan.slug, lang=lang))
    assert_accessible(page)
    page.select_option("#compare-from", "1")
    page.select_option("#compare-to", "2")
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_url("**/versions/compare/?from=1&to=2")
    assert_accessible(page)

    def group(kind, code):
        found = page.locator(
            f"section.civitas-diff--{kind}", has=page.locator(".civitas-tree__code", has_text=code)
        )
        assert found.count() == 1, (kind, code)
        return found

    added, removed = group("added", "СЦ5"), group("removed", "СЦ3")
    assert "+" in added.locator(".civitas-diff__tag").inner_text()
    assert "−" in removed.locator(".civitas-diff__tag").inner_text()
    moved = squeezed(group("moved", "СЦ4").locator(".civitas-diff__move").inner_text())
    assert "4" in moved and "1" in moved and "→" in moved
    reworded = group("reworded", "СЦ2")
    assert "и привличане на инвестиции" in squeezed(reworded.locator("ins").first.inner_text())
    target = squeezed(page.locator("section", has_text="И-1").locator("table").first.inner_text())
    assert "2020" in target and ("15 000" in target or "15,000" in target)
    assert "18 000" in target or "18,000" in target
    # The change is said in words, not only in colour.
    labels = page.locator("ins .govuk-visually-hidden").first.text_content()
    assert labels and labels.strip()

    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in (
            url("portal:plan_version_compare", "sopot", plan.slug, lang=lang) + "?from=1&to=2",
            url("portal:plan_versions", "sopot", plan.slug, lang=lang),
            url("portal:plan_version", "sopot", plan.slug, 1, lang=lang),
        ):
            page.goto(live_server.url + path)
            assert page.evaluate(WIDER_THAN_THE_PAGE), (width, path)
    assert_accessible(page)


def test_a_bad_choice_is_answered_on_the_page(live_server, versions, page, assert_accessible):
    plan = versions[0]
    page.goto(
        live_server.url + url("portal:plan_version_compare", "sopot", plan.slug, lang="en") + "?from=2&to=2"
    )
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Choose two different versions." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
