"""A signed-in citizen comments on a paragraph of Sopot's open consultation; the municipality
answers, closes it and publishes the table of proposals and answers; the citizen sees the
published answer beside the paragraph and in the table. axe-core finds no serious or critical
violations on the consultation page (with its forms open) and on the report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from civitas.consultations.models import Consultation, Proposal
from civitas.demo.consultations import HOUSING_SLUG, OPR_SLUG
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def test_a_citizen_comments_on_a_paragraph_and_reads_the_answer(live_server, demo, page, assert_accessible):
    consultation = Consultation.objects.get(slug=HOUSING_SLUG)
    url = reverse("consultations:detail", args=["sopot", HOUSING_SLUG])
    log_in(page, live_server.url, "grazhdanka.anevo@example.org", url)
    assert page.locator("h1").inner_text() == consultation.title_bg
    assert_accessible(page)

    page.get_by_text("Коментирайте абзац 3.1").click()
    form = page.locator("details[open] form")
    form.get_by_label("Вашето предложение").fill("Общинските жилища да се предлагат и на семейства от Анево.")
    form.get_by_role("button", name="Изпрати предложението").click()
    assert "Благодарим ви: предложението ви е публикувано." in page.locator("main").inner_text()
    assert "Общинските жилища да се предлагат и на семейства от Анево." in page.locator("main").inner_text()
    assert_accessible(page)
    proposal = Proposal.objects.get(consultation=consultation, author__username="grazhdanka.anevo@example.org",
                                    paragraph__isnull=False, text__startswith="Общинските")  # fmt: skip
    assert proposal.paragraph.text_bg.startswith("Общината изгражда общински жилища")

    # A planner records a letter, the period ends, and on the staff pages the planner closes the
    # consultation, answers every proposal and publishes the table of proposals and answers.
    staff = page.context.browser.new_page()
    manage = reverse("consultations_manage:detail", args=["sopot", HOUSING_SLUG])
    log_in(staff, live_server.url, "sopot-planner", manage)
    staff.get_by_role("link", name="Записване на предложение").click()
    staff.get_by_label("Получено чрез").select_option("letter")
    staff.get_by_label("Дата на получаване").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_label("Име на подателя").fill("Иван Иванов")
    staff.get_by_label("Предложение", exact=True).fill("Да се обновят и сградите в кв. Сарая.")
    assert_accessible(staff)
    staff.get_by_role("button", name="Запис").click()
    assert "Предложението е записано" in staff.locator("main").inner_text()
    staff.goto(live_server.url + manage)
    assert "Иван Иванов" in staff.locator("main").inner_text()
    assert "Предложения се приемат до" in staff.locator("main").inner_text()  # not closable yet
    assert staff.get_by_role("button", name="Закрий консултацията").count() == 0

    Consultation.objects.filter(pk=consultation.pk).update(  # the thirty days pass
        opens_at=timezone.now() - datetime.timedelta(days=31),
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    staff.reload()  # the period is over: the page now offers to close the consultation
    staff.get_by_role("button", name="Закрий консултацията").click()
    assert "Консултацията е закрита: записът ѝ е замразен." in staff.locator("main").inner_text()
    publish = staff.get_by_role("button", name="Публикувай справката за отразяване на предложенията")
    publish.click()  # refused: proposals are waiting for their answers
    assert "Отговорете на всяко предложение, преди" in staff.locator("main").inner_text()
    assert not Consultation.objects.get(pk=consultation.pk).report_published_at
    for other in Proposal.objects.filter(consultation=consultation, state="visible"):
        decision, reasons = ("partly_accepted", "Включено за Анево от 2026 г.") if other == proposal else (
            "not_applicable", "Извън обхвата на плана.")  # fmt: skip
        staff.locator(f"#proposal-{other.pk}").get_by_role("link", name="Напиши отговор").click()
        staff.get_by_label("Решение").select_option(decision)
        staff.get_by_label("Мотиви (на български)").fill(reasons)
        staff.get_by_role("button", name="Запис").click()
        staff.wait_for_url(f"**{manage}#proposal-{other.pk}")
    publish.click()
    assert "Справката за отразяване на предложенията е публикувана" in staff.locator("main").inner_text()
    assert_accessible(staff)
    staff.close()

    page.goto(live_server.url + url)
    answered = page.locator(f"#proposal-{proposal.pk}")
    assert "Отговор на общината: Частично прието" in answered.inner_text()
    assert "Включено за Анево от 2026 г." in answered.inner_text()
    page.get_by_role("link", name="Прочетете справката за отразяване на предложенията").click()
    assert page.locator("h1").inner_text() == "Справка за отразяване на предложенията"
    row = page.locator("tr", has_text="Общинските жилища да се предлагат")
    assert "Частично прието" in row.inner_text() and "Абзац 3.1" in row.inner_text()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_development_plans_report_is_accessible(live_server, demo, page, assert_accessible, lang):
    from django.utils import translation

    with translation.override(lang):
        report = reverse("consultations:report", args=["sopot", OPR_SLUG])
    response = page.goto(live_server.url + report)
    assert response.status == 200 and page.locator("html").get_attribute("lang") == lang
    assert page.locator("table tbody tr").count() == 8
    assert_accessible(page)
    href = page.get_by_role("link", name="DOCX").get_attribute("href")
    download = page.request.get(live_server.url + href)
    assert (
        download.status == 200
        and f"sopot-{OPR_SLUG}-proposals.docx" in download.headers["content-disposition"]
    )
