"""axe-core (WCAG 2.1 A and AA rules) on every public page type, in Bulgarian and in English.

A page passes with no violation of impact "serious" or "critical"; failures list every violation
with the elements it was found on.
"""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.browser

SOPOT = "sopot"
# (page type, URL name, URL arguments, query string)
PAGE_TYPES = [
    ("home", "portal:home", [SOPOT], ""),
    ("plans", "portal:plans", [SOPOT], ""),
    ("plan", "portal:plan", [SOPOT, "opr-2014-2020"], ""),
    ("strategy", "portal:plan", [SOPOT, "strategia-gradoustroistvo-zhilishta"], ""),
    ("piro", "portal:plan", [SOPOT, "piro-2021-2027"], ""),  # the financial table
    ("plan-as-of", "portal:plan", [SOPOT, "piro-2021-2027"], "?as_of=2025-06-30"),  # charts on a date
    ("element-goal", "portal:plan_element", [SOPOT, "opr-2014-2020", "СЦ1"], ""),  # Cyrillic code
    ("element-priority", "portal:plan_element", [SOPOT, "piro-2021-2027", "П2"], ""),  # money, sub-elements
    ("element-measure", "portal:plan_element", [SOPOT, "piro-2021-2027", "М2.2"], ""),  # sparklines
    ("project-piro", "portal:project", [SOPOT, "piro-2-poseshtenski-centar"], ""),  # ceiling, flag
    ("indicator", "portal:indicator", [SOPOT, "Т-1"], ""),
    ("projects", "portal:projects", [SOPOT], ""),
    ("projects-filtered", "portal:projects", [SOPOT], "?q=%D0%B0%D0%BB%D0%B5%D1%8F&status=in_progress"),
    ("projects-empty", "portal:projects", [SOPOT], "?q=zzzz-nothing"),
    ("project", "portal:project", [SOPOT, "opr-4-3"], ""),
    ("project-point", "portal:project", [SOPOT, "opr-1-1"], ""),  # a map with a point
    ("project-op-ac", "portal:project", [SOPOT, "opak-13-13-146"], ""),
    ("project-timeline", "portal:project", [SOPOT, "opr-2-1"], ""),  # overdue activities, photos
    ("forum", "forum:topics", [SOPOT], ""),
    ("consultations", "consultations:list", [SOPOT], ""),
    ("consultation-open", "consultations:detail", [SOPOT, "zhilishtna-politika-plan-za-deistvie"], ""),
    ("consultation-closed", "consultations:detail", [SOPOT, "opr-2014-2020-proekt"], ""),
    ("consultation-report", "consultations:report", [SOPOT, "opr-2014-2020-proekt"], ""),
    ("decisions", "council:list", [SOPOT], ""),
    ("decisions-filtered", "council:list", [SOPOT], "?year=2014&session=regular"),
    ("decision", "council:detail", [SOPOT, 2016, 42], ""),
    ("plan-history", "history:plan", [SOPOT, "opr-2014-2020"], ""),  # versions, values, projects
    ("project-history", "history:project", [SOPOT, "opr-4-3"], ""),
    ("login", "accounts:login", [], ""),
    ("register", "accounts:register", [], ""),
    ("privacy", "accounts:privacy", [], ""),
    ("accessibility", "opendata:municipality_accessibility", [SOPOT], ""),
    ("accessibility-site", "opendata:accessibility", [], ""),
    ("embed-plan", "opendata:embed_plan", [SOPOT, "opr-2014-2020"], ""),
    ("embed-project", "opendata:embed_project", [SOPOT, "opr-1-1"], ""),
    ("open-data", "opendata:municipality_index", [SOPOT], ""),
    ("open-data-site", "opendata:index", [], ""),
]
CASES = [
    pytest.param(lang, name, args, query, id=f"{kind}-{lang}")
    for kind, name, args, query in PAGE_TYPES
    for lang in ("bg", "en")
]


def url_of(name, args, lang):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.mark.parametrize(("lang", "name", "args", "query"), CASES)
def test_public_page_has_no_serious_axe_violations(
    live_server, demo, page, assert_accessible, lang, name, args, query
):
    path = url_of(name, args, lang) + query
    response = page.goto(live_server.url + path)
    assert response.status == 200, path
    assert page.locator("html").get_attribute("lang") == lang
    # Maps draw after the page loads: axe checks them drawn (markers, key, controls).
    for map_element in page.locator("[data-civitas-map]").all():
        if map_element.is_visible():
            map_element.and_(page.locator("[data-markers]")).wait_for(state="attached")
    assert_accessible(page)


def test_axe_runs_under_the_csp_and_finds_violations(live_server, demo, page):
    """The check itself works: axe loads on a CSP-enforced page and reports a planted violation."""
    from tests.browser.conftest import axe_violations

    page.goto(live_server.url + url_of("portal:home", [SOPOT], "bg"))
    page.evaluate("""() => {
        const input = document.createElement('input');  // a form field without a label: critical
        input.type = 'text';
        document.getElementById('main-content').appendChild(input);
    }""")
    assert "label" in {v["id"] for v in axe_violations(page)}


# Error pages: (page type, address after the language prefix, status).
ERROR_PAGE_TYPES = [
    ("not-found", "/sopot/no-such-page/", 404),
    ("not-found-no-municipality", "/no-such-municipality/", 404),
]


@pytest.mark.parametrize(
    ("lang", "address", "status"),
    [
        pytest.param(lang, address, status, id=f"{kind}-{lang}")
        for kind, address, status in ERROR_PAGE_TYPES
        for lang in ("bg", "en")
    ],
)
def test_error_page_has_no_serious_axe_violations(
    live_server, demo, page, assert_accessible, lang, address, status
):
    prefix = "" if lang == "bg" else f"/{lang}"
    response = page.goto(live_server.url + prefix + address)
    assert response.status == status
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)
