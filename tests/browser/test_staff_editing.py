"""Staff edit a project in the back office and the public portal shows the change."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from civitas.core.permissions import OPERATOR
from civitas.indicators.models import Indicator
from civitas.planfiles.services import plan_version_start_draft
from civitas.projects.models import Project
from tests.browser.conftest import open_page
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", ["sopot-planner", "sopot-projects"])
def test_staff_edit_a_project_and_see_it_on_the_portal(live_server, demo, page, assert_accessible, username):
    edit_url = reverse("manage:project_edit", args=["sopot", "opr-4-3"])
    public_url = reverse("portal:project", args=["sopot", "opr-4-3"])
    log_in(page, live_server.url, username, edit_url)
    assert_accessible(page)  # the back office's edit form too

    new_title = "Изграждане на велосипедна алея Сопот – Карлово (етап 1)"
    page.locator("[name=title_bg]").fill(new_title)
    page.locator("[name=progress]").fill("55")
    page.get_by_role("button", name="Запис на проекта").click()
    expect(page.get_by_text("Проектът е записан.")).to_have_count(1)

    project = Project.objects.get(municipality__slug="sopot", slug="opr-4-3")
    assert (project.title_bg, project.progress) == (new_title, 55)

    page.goto(live_server.url + public_url)
    assert page.locator("h1").inner_text() == new_title
    assert "55%" in page.locator("main").inner_text()
    assert_accessible(page)

    # The list and the plan page show it too.
    page.goto(live_server.url + reverse("portal:projects", args=["sopot"]) + "?q=етап 1")
    assert page.locator(".civitas-card h2").all_inner_texts() == [new_title]


def test_back_office_form_errors_are_shown_accessibly_and_change_nothing(
    live_server, demo, page, assert_accessible
):
    edit_url = reverse("manage:project_edit", args=["sopot", "opr-4-3"])
    before = Project.objects.get(municipality__slug="sopot", slug="opr-4-3").progress
    log_in(page, live_server.url, "sopot-planner", edit_url)
    page.locator("[name=progress]").fill("140")
    page.get_by_role("button", name="Запис на проекта").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1
    # Screen readers announce it: it is an alert, or (with GOV.UK Frontend's JavaScript) it takes focus.
    assert summary.evaluate(
        "el => el.getAttribute('role') === 'alert' || el.contains(document.activeElement)"
    )
    # Its links lead to the field in error.
    link = summary.locator("a[href='#id_progress'], a[href$='progress']").first
    assert link.count() == 1
    assert page.locator(link.get_attribute("href")).get_attribute("name") == "progress"
    assert_accessible(page)
    assert Project.objects.get(municipality__slug="sopot", slug="opr-4-3").progress == before


def test_anonymous_visitors_are_sent_to_the_login_page(live_server, demo, page):
    edit_url = reverse("manage:project_edit", args=["sopot", "opr-4-3"])
    page.goto(live_server.url + edit_url)
    assert reverse("accounts:login") in page.url
    assert page.locator("input[name=password]").count() == 1


# The back office's forms in the GOV.UK manner (issue 10) -----------------------------------------

PROJECT = "opr-4-3"


@pytest.fixture
def english_page(browser):
    """A page of a Chromium set to English (United States): its own date picker would ask mm/dd/yyyy."""
    context, page, problems = open_page(browser, "en-US")
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


def edit_url(lang="bg"):
    with translation.override(lang):
        return reverse("manage:project_edit", args=["sopot", PROJECT])


def stored() -> Project:
    return Project.objects.get(municipality__slug="sopot", slug=PROJECT)


@pytest.mark.parametrize("typed", ["27/3/2014", "27.03.2014", "27 3 2014"])
def test_a_date_typed_day_first_in_an_english_chromium_is_stored_as_that_day(
    live_server, demo, english_page, typed
):
    page = english_page
    log_in(page, live_server.url, "sopot-planner", edit_url("en"))
    start = page.locator("#id_planned_start")
    assert start.get_attribute("type") == "text"  # not the browser's locale-bound date picker
    assert start.input_value() == stored().planned_start.strftime("%d.%m.%Y")
    start.fill(typed)
    page.get_by_role("button", name="Save the project").click()
    page.wait_for_url(f"**{edit_url('en')}")
    assert stored().planned_start == datetime.date(2014, 3, 27)
    assert page.locator("#id_planned_start").input_value() == "27.03.2014"


def test_a_date_that_is_not_real_is_refused_with_an_example_and_the_summary_leads_to_it(
    live_server, demo, english_page, assert_accessible
):
    page = english_page
    before = stored().planned_start
    log_in(page, live_server.url, "sopot-planner", edit_url("en"))
    page.locator("#id_planned_start").fill("3/27/2014")  # month first: not a real day-month-year
    page.get_by_role("button", name="Save the project").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    link = summary.get_by_role("link", name=re.compile("Planned start"))
    assert "Enter a real date, for example 27.3.2014." in link.inner_text()
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_planned_start"
    assert "govuk-input--error" in (page.locator("#id_planned_start").get_attribute("class") or "")
    assert_accessible(page)
    assert stored().planned_start == before


def test_the_element_filter_narrows_the_grouped_list_and_the_chosen_ones_are_listed(
    live_server, demo, page, assert_accessible
):
    log_in(page, live_server.url, "sopot-planner", edit_url())
    select = page.locator("#id_element_ids")
    visible = "el => [...el.options].filter(o => !o.hidden).map(o => o.textContent.trim())"
    every = select.evaluate(visible)
    assert len(every) > 10 and select.locator("optgroup").count() >= 2
    page.locator("#id_element_ids-filter").fill("2.1")
    assert page.locator("label[for=id_element_ids-filter]").is_visible()
    narrowed = select.evaluate(visible)
    assert 0 < len(narrowed) < len(every) and all("2.1" in text for text in narrowed)
    chosen = page.locator(".civitas-choices__chosen li")
    before = chosen.count()
    select.locator("option:not([hidden])").first.click()  # a click adds, it does not replace
    assert chosen.count() == before + 1 and narrowed[0] in chosen.last.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Запис на проекта").click()
    page.wait_for_url(f"**{edit_url()}")
    codes = set(stored().contributions.values_list("element__code", flat=True))
    assert len(codes) == before + 1 and narrowed[0].split()[0] in codes
    # Removed from the list of chosen ones, it is removed from the project when saved.
    page.locator(".civitas-choices__chosen li", has_text=narrowed[0]).get_by_role("button").click()
    assert page.locator(".civitas-choices__chosen li").count() == before
    page.get_by_role("button", name="Запис на проекта").click()
    page.wait_for_url(f"**{edit_url()}")
    assert narrowed[0].split()[0] not in set(stored().contributions.values_list("element__code", flat=True))


def test_a_funding_line_is_added_and_removed_in_place_without_reloading_the_page(
    live_server, demo, english_page, assert_accessible
):
    page = english_page
    log_in(page, live_server.url, "sopot-planner", edit_url("en"))
    lines_before = stored().funding_lines.count()
    page.evaluate("window.civitasNotReloaded = true")
    section = page.locator("#project-funding")
    section.get_by_role("link", name="Add a funding line").click()
    form = page.locator("#funding-form")
    form.wait_for()
    assert page.evaluate("document.activeElement.name") == "source"  # the cursor is in the new row
    assert_accessible(page)
    form.get_by_role("button", name="Save").click()  # nothing filled in: refused in the row
    summary = form.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    summary.get_by_role("link", name=re.compile("Amount")).click()
    assert page.evaluate("document.activeElement.name") == "amount"

    form = page.locator("#funding-form")
    form.locator("[name=source]").select_option("municipal")
    form.locator("[name=amount]").fill("12345")
    form.locator("[name=currency]").select_option("EUR")
    form.locator("[name=contract_date]").fill("27/3/2014")
    form.get_by_role("button", name="Save").click()
    page.locator("#funding-form").wait_for(state="detached")
    assert page.evaluate("window.civitasNotReloaded === true")  # the same page, not a new one
    line = stored().funding_lines.order_by("-pk").first()
    assert stored().funding_lines.count() == lines_before + 1
    assert (line.amount, line.contract_date) == (12345, datetime.date(2014, 3, 27))
    row = page.locator(f"#funding-{line.pk}")
    assert "12,345" in row.inner_text() or "12 345" in row.inner_text()

    row.get_by_role("link", name=re.compile("Delete")).click()  # confirmed in the dialog
    row.wait_for(state="detached")
    assert page.evaluate("window.civitasNotReloaded === true")
    assert stored().funding_lines.count() == lines_before
    # The project's own form learnt the version the rows made: it saves without a false conflict.
    page.locator("#id_progress").fill("60")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the project").click()
    assert stored().progress == 60, page.locator("main").inner_text()[:600]


def test_without_javascript_the_funding_line_pages_of_their_own_still_work(live_server, demo, browser):
    context = browser.new_context(locale="bg-BG", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "sopot-planner", edit_url())
        lines_before = stored().funding_lines.count()
        page.locator("#project-funding").get_by_role("link", name="Добавяне на ред от бюджета").click()
        page.wait_for_url("**/funding/new/")
        page.locator("[name=source]").select_option("municipal")
        page.locator("[name=amount]").fill("500")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**{edit_url()}")
        assert stored().funding_lines.count() == lines_before + 1
    finally:
        context.close()


def test_another_target_row_is_added_in_place_and_stored(live_server, demo, page, assert_accessible):
    with translation.override("bg"):
        passport = reverse("indicators:edit", args=["sopot", "Т-1"])
    indicator = Indicator.objects.get(municipality__slug="sopot", code="Т-1")
    # The strategy is in force as adopted: its targets change in a new draft version.
    plan_version_start_draft(actor=OPERATOR, plan=indicator.element.plan)
    before = set(indicator.targets.values_list("year", flat=True))
    log_in(page, live_server.url, "sopot-planner", passport)
    rows = page.locator("#target-rows tr")
    shown = rows.count()
    page.locator('[data-module="civitas-add-row"]').click()  # hidden without JavaScript
    assert rows.count() == shown + 1
    new = rows.last
    assert page.evaluate("document.activeElement.name") == f"targets-{shown}-period"
    new.locator("input[name$=period]").fill("2019")
    new.locator("input[name$=value]").fill("28000")
    assert_accessible(page)
    page.locator("[name=reason]").fill("Междинна цел за 2019 г.")
    page.get_by_role("button", name="Запис на индикатора").click()
    page.wait_for_load_state()
    assert set(indicator.targets.values_list("year", flat=True)) == before | {2019}, page.locator(
        "main"
    ).inner_text()[:800]
