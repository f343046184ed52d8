"""A signed-in citizen comments on a paragraph of Sopot's open consultation; the municipality
answers, closes it and publishes the table of proposals and answers; the citizen sees the
published answer beside the paragraph and in the table. axe-core finds no serious or critical
violations on the consultation page (with its forms open) and on the report."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from civitas.consultations import services
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

    # The municipality answers every proposal, closes the consultation and publishes the report.
    planner = get_user_model().objects.get(username="sopot-planner")
    services.consultation_close(
        actor=planner, consultation=consultation, now=consultation.closes_at + datetime.timedelta(minutes=1)
    )
    for other in Proposal.objects.filter(consultation=consultation):
        decision, reasons = ("partly_accepted", "Включено за Анево от 2026 г.") if other == proposal else (
            "not_applicable", "Извън обхвата на плана.")  # fmt: skip
        services.proposal_answer(actor=planner, proposal=other, decision=decision, reasons_bg=reasons)
    services.report_publish(actor=planner, consultation=consultation)

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
