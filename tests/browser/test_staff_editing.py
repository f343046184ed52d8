"""Staff edit a project in the back office and the public portal shows the change."""

import pytest
from django.urls import reverse

from civitas.projects.models import Project
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
    assert page.get_by_text("Проектът е записан.").count() == 1, page.locator("main").inner_text()[:1500]

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
