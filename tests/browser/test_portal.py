import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"

PUBLIC_PAGES = [
    "/sopot/",
    "/sopot/plans/",
    "/sopot/plans/opr-2014-2020/",
    "/sopot/projects/",
    "/sopot/projects/?q=%D0%B2%D0%B5%D0%BB%D0%BE%D1%81%D0%B8%D0%BF%D0%B5%D0%B4%D0%BD%D0%B0&status=in_progress",
    "/sopot/projects/opr-4-3/",
    "/en/sopot/",
    "/en/sopot/plans/opr-2014-2020/",
    "/en/sopot/projects/opk-13-13-146/".replace("opk", "opak"),
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/privacy/",
    "/sopot/forum/",
]


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_axe(live_server, demo, page, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200, path
    violations = serious_violations(page)
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=2)


def test_home_plan_and_project_pages_in_both_languages(live_server, demo, page):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Община Сопот"
    page.get_by_role("link", name="Общински план за развитие на община Сопот 2014–2020г.").first.click()
    page.wait_for_url("**/plans/opr-2014-2020/")
    assert page.get_by_text("Развитие на конкурентоспособна икономика").count() >= 1
    page.get_by_role("link", name="Изграждане на приют за безстопанствени кучета").click()
    assert "Изграждане на приют за безстопанствени кучета" in page.locator("h1").inner_text()
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Building a shelter for stray dogs"


def test_project_filters_and_cyrillic_search(live_server, demo, page):
    page.goto(live_server.url + "/sopot/projects/")
    page.get_by_label("Търсене").fill("ВЕЛОСИПЕДНА")
    page.get_by_role("button", name="Приложи филтрите").click()
    cards = page.locator(".civitas-card h2")
    assert cards.count() == 1
    assert "велосипедна алея" in cards.first.inner_text()


def test_skip_link_is_first_and_moves_focus_to_main(live_server, demo, page):
    page.goto(live_server.url + "/sopot/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Към основното съдържание"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"


def test_staff_edit_a_project_and_see_it_on_the_portal(live_server, demo, page):
    page.goto(live_server.url + "/accounts/login/?next=/sopot/manage/projects/opr-4-3/")
    page.get_by_label("Е-поща или потребителско име").fill("sopot-projects")
    page.get_by_label("Парола").fill("sopot-demo-2014")
    page.get_by_role("button", name="Вход").click()
    page.wait_for_url("**/manage/projects/opr-4-3/")
    page.get_by_label("напредък, %").fill("55")
    page.get_by_role("button", name="Запис на проекта").click()
    assert page.get_by_text("Проектът е записан.").count() == 1, page.locator("main").inner_text()[:1500]
    page.goto(live_server.url + "/sopot/projects/opr-4-3/")
    assert "55% изпълнение" in page.locator("main").inner_text()
    violations = serious_violations(page)
    assert not violations, violations


def test_back_office_form_errors_are_accessible(live_server, demo, page):
    page.goto(live_server.url + "/accounts/login/?next=/sopot/manage/projects/opr-4-3/")
    page.get_by_label("Е-поща или потребителско име").fill("sopot-planner")
    page.get_by_label("Парола").fill("sopot-demo-2014")
    page.get_by_role("button", name="Вход").click()
    page.wait_for_url("**/manage/projects/opr-4-3/")
    page.get_by_label("напредък, %").fill("140")
    page.get_by_role("button", name="Запис на проекта").click()
    assert page.locator(".govuk-error-summary").count() == 1
    violations = serious_violations(page)
    assert not violations, violations


def test_a_citizen_registers_confirms_and_takes_part_in_the_forum(live_server, demo, page):
    import re
    import time

    from django.core import mail

    page.goto(live_server.url + "/accounts/register/")
    page.get_by_label("Публично име").fill("Гражданка от Анево")
    page.get_by_label("Адрес на електронна поща").fill("grazhdanka@example.org")
    page.get_by_label("Парола").fill("Anevsko-Kale-2014")
    page.get_by_label("Приемам условията за ползване и декларацията за поверителност").check()
    time.sleep(3.2)  # people take a few seconds to fill in the form; the form refuses robots that do not
    page.get_by_role("button", name="Създай профила").click()
    assert "Проверете електронната си поща" in page.locator("main").inner_text()
    link = re.search(r"http://[^/]+(/\S+)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    page.get_by_label("Е-поща или потребителско име").fill("grazhdanka@example.org")
    page.get_by_label("Парола").fill("Anevsko-Kale-2014")
    page.get_by_role("button", name="Вход").click()
    page.goto(live_server.url + "/sopot/forum/new/")
    page.get_by_label("Заглавие").fill("Кога ще има велоалея до Анево?")
    page.get_by_label("Вашето съобщение").fill("Питам **за** <script>x</script> велоалеята.")
    page.get_by_role("button", name="Публикувай").click()
    assert page.locator("h1").inner_text() == "Кога ще има велоалея до Анево?"
    body = page.locator(".civitas-post__body").first
    assert body.locator("strong").inner_text() == "за"
    assert page.locator("script", has_text="x").count() == 0
    violations = serious_violations(page)
    assert not violations, violations
