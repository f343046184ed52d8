"""The public and staff pages through the test client, in Bulgarian and English: the draft with
per-paragraph forms (no JavaScript), refusals with a clear message, the report and its three
downloads with the same rows, permissions, and pinned query counts."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from civitas.consultations import selectors, services
from civitas.consultations.models import Answer, Consultation, ModerationEntry, Proposal
from civitas.core.models import Block
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, PlanFactory, UserFactory
from civitas.testing.signin import sign_in

from .conftest import build_consultation, paragraphs
from .form_page import form_data

pytestmark = pytest.mark.django_db


def url(name, *args, lang="bg"):
    with translation.override(lang):
        return reverse(name, args=["sopot", *args])


def published(consultation, planner, citizens=3):
    """``citizens`` proposals on paragraphs, a general one, a recorded letter; all answered; published."""
    ps = paragraphs(consultation)
    for i in range(citizens):
        services.proposal_submit(actor=UserFactory(), consultation=consultation, text=f"Предложение {i}",
                                 paragraph=ps[i % len(ps)], address=f"10.0.0.{i}")  # fmt: skip
    services.proposal_submit(actor=UserFactory(), consultation=consultation, text="Общо", organisation="НПО")
    services.proposal_record(actor=planner, consultation=consultation, source="letter", submitter_name="Иван",
                             text="Писмо", received_at=consultation.opens_at, section=ps[0].section)  # fmt: skip
    services.consultation_close(actor=planner, consultation=consultation,
                                now=consultation.closes_at + datetime.timedelta(seconds=1))  # fmt: skip
    for i, proposal in enumerate(Proposal.objects.filter(consultation=consultation).order_by("pk")):
        decision = ["accepted", "partly_accepted", "not_accepted", "not_applicable"][i % 4]
        services.proposal_answer(actor=planner, proposal=proposal, decision=decision, reasons_bg=f"Мотив {i}")
    services.report_publish(actor=planner, consultation=consultation)
    consultation.refresh_from_db()
    return consultation


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_public_pages_in_both_languages(client, consultation, planner, lang):
    page = client.get(url("consultations:list", lang=lang))
    assert (
        page.status_code == 200
        and {"bg": "Проект на наредба", "en": "Draft ordinance"}[lang] in page.content.decode()
    )
    page = client.get(url("consultations:detail", consultation.slug, lang=lang))
    html = page.content.decode()
    assert page.status_code == 200 and "Първи абзац на първия раздел." in html
    assert (
        "за да коментирате проекта" if lang == "bg" else "to comment on the draft"
    ) in html and 'name="text"' not in html  # anonymous: no form
    assert (
        client.get(url("consultations:report", consultation.slug, lang=lang)).status_code == 404
    )  # unpublished
    published(consultation, planner)
    page = client.get(url("consultations:report", consultation.slug, lang=lang))
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "Справка за отразяване на предложенията" if lang == "bg" else "Table of proposals and answers"
    ) in html
    assert ("Частично прието" if lang == "bg" else "Partly accepted") in html and "Мотив 1" in html


def test_a_citizen_comments_on_a_paragraph_without_javascript(client, consultation, planner):
    citizen = UserFactory()
    sign_in(client, citizen)
    detail = url("consultations:detail", consultation.slug)
    html = client.get(detail).content.decode()
    paragraph = paragraphs(consultation)[1]
    assert html.count('name="text"') == 4 + 3 + 1  # every paragraph, every section, the general form
    assert f'value="p:{paragraph.pk}"' in html and f'id="p-{paragraph.pk}-text"' in html
    data = {"text": "Да се добави срок.", "target": f"p:{paragraph.pk}", "key": "form-1"}
    page = client.post(detail, data)
    assert page.status_code == 303 and page["Location"].endswith(f"#paragraph-{paragraph.pk}")
    assert client.post(detail, data).status_code == 303  # sent twice: stored once
    proposal = Proposal.objects.get()
    assert proposal.paragraph == paragraph and proposal.author == citizen
    html = client.get(detail).content.decode()
    assert "Да се добави срок." in html and "1 предложение по абзац 2.1" in html
    # The answer is shown beside the paragraph once the report is published.
    services.consultation_close(actor=planner, consultation=consultation,
                                now=consultation.closes_at + datetime.timedelta(seconds=1))  # fmt: skip
    services.proposal_answer(actor=planner, proposal=proposal, decision="accepted", reasons_bg="Добавено е.")
    assert "Добавено е." not in client.get(detail).content.decode()
    services.report_publish(actor=planner, consultation=consultation)
    html = client.get(detail).content.decode()
    assert "Отговор на общината" in html and "Добавено е." in html and 'name="text"' not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [({"text": "<script>alert(1)</script>"}, "HTML"), ({"text": ""}, "Това поле е задължително"),
     ({"text": "Текст", "website": "http://spam"}, "Формулярът не може да бъде приет")],
)  # fmt: skip
def test_bad_input_is_refused_on_the_page_with_its_form_kept(client, consultation, data, message):
    sign_in(client, UserFactory())
    paragraph = paragraphs(consultation)[0]
    page = client.post(url("consultations:detail", consultation.slug), {"target": f"p:{paragraph.pk}"} | data)
    html = page.content.decode()
    assert page.status_code == 400 and message in html and "govuk-error-summary" in html
    assert '<details class="govuk-details" open>' in html
    assert Proposal.objects.count() == 0


def test_an_oversized_attachment_is_refused_on_the_page(client, consultation, settings):
    settings.CIVITAS_MAX_UPLOAD_BYTES = 1024
    sign_in(client, UserFactory())
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    page = client.post(
        url("consultations:detail", consultation.slug), {"text": "Виж файла", "attachment": upload}
    )
    assert page.status_code == 400 and "MB" in page.content.decode()
    assert Proposal.objects.count() == 0


def test_a_late_proposal_is_refused_on_the_page_and_logged(client, sopot, planner):
    consultation = build_consultation(sopot, planner, slug="late")
    consultation.opens_at = timezone.now() - datetime.timedelta(hours=2)  # the period has ended
    consultation.closes_at = timezone.now() - datetime.timedelta(hours=1)
    consultation.short_period_reason = "Кратък срок"
    consultation.save()
    sign_in(client, UserFactory())
    page = client.post(url("consultations:detail", consultation.slug), {"text": "Късно"})
    assert page.status_code == 400 and "предложения вече не се приемат" in page.content.decode()
    assert Proposal.objects.count() == 0 and ModerationEntry.objects.get().action == "refused_late"


def test_anonymous_posts_go_to_sign_in(client, consultation):
    page = client.post(url("consultations:detail", consultation.slug), {"text": "x"})
    assert page.status_code == 302 and reverse("accounts:login") in page["Location"]


def test_flag_a_proposal_and_moderate_it(client, consultation, moderator):
    proposal = services.proposal_submit(actor=UserFactory(), consultation=consultation, text="Обидно")
    sign_in(client, UserFactory())
    page = client.post(url("consultations:flag", consultation.slug, proposal.pk), {"reason": "Обида"})
    assert page.status_code == 302 and proposal.flags.count() == 1
    sign_in(client, moderator)
    queue = client.get(url("consultations_manage:moderation"))
    assert queue.status_code == 200 and "Обида" in queue.content.decode()
    page = client.post(url("consultations_manage:moderate", proposal.pk, "hide"), {"reason": "Лични нападки"})
    assert page.status_code == 302
    html = client.get(url("consultations:detail", consultation.slug)).content.decode()
    assert "Това предложение е скрито от модератор: Лични нападки" in html and "Обидно" not in html
    client.post(url("consultations_manage:moderate", proposal.pk, "restore"))
    assert "Обидно" in client.get(url("consultations:detail", consultation.slug)).content.decode()


def test_blocking_an_author_from_the_moderation_page_bars_them_from_proposals_and_the_forum(
    client, consultation, moderator
):
    """The block is the forum's moderation (one block list for the forum and consultations; the
    forum's log: forum/tests), logged in the consultations' moderation log too."""
    author = UserFactory()
    proposal = services.proposal_submit(actor=author, consultation=consultation, text="Спам", address="a")
    sign_in(client, moderator)
    page = client.post(url("consultations_manage:moderate", proposal.pk, "block"), {"reason": "Спам"})
    assert page.status_code == 302
    assert Block.objects.filter(municipality=consultation.municipality, user=author).exists()
    entry = ModerationEntry.objects.get(action="block")
    assert (entry.consultation, entry.user, entry.moderator, entry.reason) == (
        consultation,
        author,
        moderator,
        "Спам",
    )
    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=author, consultation=consultation, text="Пак", address="a")


def test_staff_run_a_consultation_through_the_pages(client, sopot, planner):
    sign_in(client, planner)
    page = client.post(url("consultations_manage:create"), {
        "title_bg": "Наредба за паркиране", "slug": "parking", "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-01-15T09:00",
    })  # fmt: skip
    assert page.status_code == 400 and "30" in page.content.decode()  # too short without a reason
    page = client.post(url("consultations_manage:create"), {
        "title_bg": "Наредба за паркиране", "slug": "parking", "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-01-15T09:00", "short_period_reason": "Спешно",
    })  # fmt: skip
    assert page.status_code == 302
    page = client.post(
        url("consultations_manage:text", "parking"), {"text_bg": "Увод.\n\n# Чл. 1\n\nТекст.", "version": "1"}
    )
    assert page.status_code == 302
    assert client.post(url("consultations_manage:action", "parking", "open")).status_code == 302
    consultation = selectors.consultation_get(municipality=sopot, slug="parking")
    assert consultation.status == "open" and len(paragraphs(consultation)) == 2
    page = client.post(url("consultations_manage:record", "parking"), {
        "source": "hearing", "received_at": "2030-01-05T18:00", "submitter_name": "Гражданин", "text": "На обсъждането",
        "target": f"p:{paragraphs(consultation)[1].pk}",
    })  # fmt: skip
    assert page.status_code == 302
    proposal = Proposal.objects.get()
    answer_url = url("consultations_manage:answer", "parking", proposal.pk)
    assert client.post(answer_url, {"decision": "not_accepted", "reasons_bg": ""}).status_code == 400
    assert client.post(answer_url, {"decision": "not_accepted", "reasons_bg": "Не"}).status_code == 302
    # A stale form (version 1 after someone saved version 2) is refused and changes nothing.
    assert client.post(answer_url, {"decision": "accepted", "version": "1"}).status_code == 302
    page = client.post(answer_url, {"decision": "not_applicable", "reasons_bg": "Късно", "version": "1"})
    assert page.status_code == 400 and Answer.objects.get().decision == "accepted"
    detail = client.get(url("consultations_manage:detail", "parking"))
    assert detail.status_code == 200 and "На обсъждането" in detail.content.decode()


def test_staff_pages_are_for_planners_of_the_municipality(client, consultation):
    karlovo_planner = MembershipFactory(municipality=MunicipalityFactory(slug="karlovo"), role="planner").user
    for user, status in [(UserFactory(), 403), (karlovo_planner, 403),
                         (MembershipFactory(municipality=consultation.municipality, role="moderator").user, 403),
                         (MembershipFactory(municipality=consultation.municipality, role="administrator").user, 200)]:  # fmt: skip
        sign_in(client, user)
        assert client.get(url("consultations_manage:detail", consultation.slug)).status_code == status
    client.logout()
    assert client.get(url("consultations_manage:list")).status_code == 302


def test_drafts_are_hidden_from_the_public(client, sopot, planner):
    draft = build_consultation(sopot, planner, slug="hidden", open_=False)
    assert client.get(url("consultations:detail", draft.slug)).status_code == 404
    sign_in(client, planner)
    assert client.get(url("consultations:detail", draft.slug)).status_code == 200


def test_the_downloads_have_the_same_rows_as_the_page(client, consultation, planner):
    published(consultation, planner)
    report = selectors.report(consultation)
    expected = [[str(c) for c in [row.group] + row.cells()] for row in report.rows]
    assert len(expected) == 5 and [r[1] for r in expected] == ["1", "2", "3", "4", "5"]

    response = client.get(url("consultations:report_download", consultation.slug, "csv"))
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Раздел", "№", "Част от проекта"] and rows[1:] == expected

    response = client.get(url("consultations:report_download", consultation.slug, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(min_row=4, values_only=True)
    ]
    assert cells == expected

    response = client.get(url("consultations:report_download", consultation.slug, "docx"))
    document = Document(io.BytesIO(response.content))
    docx_rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows[1:]]
    assert docx_rows == [r[1:] for r in expected]
    assert document.paragraphs[0].text == "Справка за отразяване на предложенията"

    html = client.get(url("consultations:report", consultation.slug)).content.decode()
    for row in report.rows:
        assert f'id="row-{row.number}"' in html and row.text in html
    assert client.get(url("consultations:report_download", consultation.slug, "pdf")).status_code == 404


@pytest.mark.parametrize("page", ["detail", "report"])
def test_query_counts_do_not_grow_with_proposals(client, sopot, planner, page):
    counts = []
    for slug, citizens in (("small", 1), ("big", 12)):
        consultation = published(build_consultation(sopot, planner, slug=slug), planner, citizens=citizens)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(f"consultations:{page}", consultation.slug)).status_code == 200
        counts.append(len(captured))
    # municipality, consultation, sections, paragraphs, proposals with their answers and authors;
    # the consultation's page also lists the forum topics on it
    expected = {"detail": 6, "report": 5}[page]
    assert counts == [expected, expected], counts


@pytest.mark.parametrize(
    "page", ["consultations:list", "consultations_manage:list", "consultations_manage:detail"]
)
def test_list_and_staff_page_queries_do_not_grow(client, sopot, planner, page):
    """The public list, the staff list and the staff page of a consultation: the same number of
    queries with one consultation of one proposal as with three of many."""
    sign_in(client, planner)

    def count(slug):
        args = [slug] if page.endswith("detail") else []
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(page, *args)).status_code == 200
        return len(captured)

    published(build_consultation(sopot, planner, slug="c0"), planner, citizens=1)
    few = count("c0")
    for n in (1, 2):
        published(build_consultation(sopot, planner, slug=f"c{n}"), planner, citizens=10)
    assert count("c2") == few


def test_downloads_never_run_a_proposal_as_a_formula(client, consultation, planner):
    """CSV injection: text a spreadsheet would run as a formula stays text, in the XLSX unchanged,
    in the CSV behind an apostrophe."""

    texts = ['=HYPERLINK("http://example.org","x")', "+1+1", "@SUM(1)", "-2+3", "Обикновен текст"]
    for text in texts:
        services.proposal_submit(actor=UserFactory(), consultation=consultation, text=text)
    published(consultation, planner, citizens=0)
    sheet = load_workbook(
        io.BytesIO(client.get(url("consultations:report_download", consultation.slug, "xlsx")).content)
    ).active
    cells = {
        cell.value: cell.data_type
        for row in sheet.iter_rows(min_row=4)
        for cell in row
        if cell.value in texts
    }
    assert set(cells) == set(texts) and set(cells.values()) == {"s"}
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(url("consultations:report_download", consultation.slug, "csv")).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    column = rows[0].index("Предложение")
    shown = {row[column] for row in rows[1:]}
    assert {
        '\'=HYPERLINK("http://example.org","x")',
        "'+1+1",
        "'@SUM(1)",
        "'-2+3",
        "Обикновен текст",
    } <= shown


def test_pasted_control_characters_do_not_break_the_downloads(client, consultation, planner):
    """A vertical tab or form feed pasted from a word processor becomes a line break; other control
    characters are dropped; the DOCX and XLSX are written."""

    services.proposal_submit(actor=UserFactory(), consultation=consultation, text="Първи ред\x0bвтори ред\x01",
                             organisation="НПО\x0c")  # fmt: skip
    assert Proposal.objects.get(text__startswith="Първи").text == "Първи ред\nвтори ред"
    published(consultation, planner, citizens=0)
    for fmt in ("xlsx", "docx", "csv"):
        assert client.get(url("consultations:report_download", consultation.slug, fmt)).status_code == 200
    document = Document(
        io.BytesIO(client.get(url("consultations:report_download", consultation.slug, "docx")).content)
    )
    assert any(
        "Първи ред\nвтори ред" in cell.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
    )


def test_downloads_date_proposals_in_the_municipalitys_time(consultation, planner):
    """A letter received at 01:30 in Sofia is dated that day, not the previous one (UTC)."""

    sofia = ZoneInfo("Europe/Sofia")
    day = timezone.localtime(consultation.opens_at, sofia).date() + datetime.timedelta(days=1)
    received = datetime.datetime.combine(day, datetime.time(1, 30), tzinfo=sofia)
    services.proposal_record(actor=planner, consultation=consultation, source="letter", submitter_name="Иван",
                             text="Писмо", received_at=received)  # fmt: skip
    [row] = selectors.report(consultation).rows
    assert row.cells()[3] == day.strftime("%d.%m.%Y")


def test_attachments_follow_their_proposal_and_drafts_their_consultation(
    client, sopot, planner, moderator, settings, tmp_path
):
    """A hidden proposal's attachment and a draft consultation's document are not public files."""

    settings.MEDIA_ROOT = tmp_path
    consultation = build_consultation(sopot, planner, slug="files")
    proposal = services.proposal_submit(actor=UserFactory(), consultation=consultation, text="С приложение")
    proposal.attachment.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
    path = f"/media/{proposal.attachment.name}"
    assert client.get(path).status_code == 200
    services.proposal_hide(actor=moderator, proposal=proposal, reason="Лични данни")
    assert client.get(path).status_code == 404
    sign_in(client, moderator)
    assert client.get(path).status_code == 200
    client.logout()
    draft = build_consultation(sopot, planner, slug="draft-doc", open_=False)
    draft.document.save("draft.pdf", ContentFile(b"%PDF-1.4 draft"), save=True)
    assert client.get(f"/media/{draft.document.name}").status_code == 404
    sign_in(client, planner)
    assert client.get(f"/media/{draft.document.name}").status_code == 200


# Editing an open consultation (issue 8, finding 8): the form shows dates to the minute, the
# stored dates have seconds; a form sent back unchanged must save.


def test_an_open_consultation_saved_unchanged_on_its_edit_page_is_saved(client, consultation, planner):
    assert consultation.opens_at.second or consultation.opens_at.microsecond  # opened "now", to the second
    sign_in(client, planner)
    edit = url("consultations_manage:edit", consultation.slug)
    data = form_data(client.get(edit).content.decode(), containing="title_bg")
    page = client.post(edit, data)
    assert page.status_code == 302, page.content.decode()
    fresh = Consultation.objects.get(pk=consultation.pk)
    assert (fresh.opens_at, fresh.closes_at, fresh.version) == (
        consultation.opens_at,
        consultation.closes_at,
        consultation.version + 1,
    )  # nothing moved, not even by the seconds the form does not show


def test_every_other_field_of_an_open_consultation_can_be_edited_on_its_page(client, consultation, planner):
    sign_in(client, planner)
    edit = url("consultations_manage:edit", consultation.slug)
    data = form_data(client.get(edit).content.decode(), containing="title_bg")
    later = timezone.localtime(consultation.closes_at + datetime.timedelta(days=3))
    data.update(title_bg="Ново заглавие", title_en="New title", summary_bg="Резюме", summary_en="Summary",
                closes_at=later.strftime("%Y-%m-%dT%H:%M"), short_period_reason="Причина",
                premoderation="on")  # fmt: skip
    page = client.post(edit, data)
    assert page.status_code == 302, page.content.decode()
    fresh = Consultation.objects.get(pk=consultation.pk)
    assert (fresh.title_bg, fresh.title_en, fresh.summary_bg, fresh.summary_en, fresh.short_period_reason,
            fresh.premoderation) == ("Ново заглавие", "New title", "Резюме", "Summary", "Причина", True)  # fmt: skip
    assert (
        fresh.closes_at == later.replace(second=0, microsecond=0) and fresh.opens_at == consultation.opens_at
    )


def test_a_consultation_past_its_closing_date_saved_unchanged_is_saved(client, sopot, planner):
    """Open, its period over but not yet closed: fixing a typo must not count as moving the closing
    date into the past because the form dropped its seconds."""
    now = timezone.now()
    consultation = build_consultation(sopot, planner, slug="over", open_=False, short_period_reason="Тест")
    services.consultation_open(actor=planner, consultation=consultation, now=now - datetime.timedelta(days=2))
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=now - datetime.timedelta(seconds=30))
    sign_in(client, planner)
    edit = url("consultations_manage:edit", "over")
    data = form_data(client.get(edit).content.decode(), containing="title_bg")
    data["title_bg"] = "Без правописна грешка"
    page = client.post(edit, data)
    assert page.status_code == 302, page.content.decode()
    fresh = Consultation.objects.get(pk=consultation.pk)
    assert fresh.title_bg == "Без правописна грешка"
    assert fresh.closes_at == now - datetime.timedelta(seconds=30)


def test_the_opening_date_of_an_open_consultation_still_cannot_change_on_its_page(
    client, consultation, planner
):
    sign_in(client, planner)
    edit = url("consultations_manage:edit", consultation.slug)
    data = form_data(client.get(edit).content.decode(), containing="title_bg")
    earlier = timezone.localtime(consultation.opens_at - datetime.timedelta(days=1))
    data.update(opens_at=earlier.strftime("%Y-%m-%dT%H:%M"), title_bg="Променено")
    page = client.post(edit, data)
    assert page.status_code == 400
    assert "датата на началото ѝ не може да се променя" in page.content.decode()
    fresh = Consultation.objects.get(pk=consultation.pk)
    assert (fresh.opens_at, fresh.title_bg, fresh.version) == (
        consultation.opens_at,
        consultation.title_bg,
        consultation.version,
    )


def test_of_two_editors_of_the_draft_text_on_the_page_the_second_is_refused(client, sopot, planner):
    build_consultation(sopot, planner, slug="two", open_=False)
    sign_in(client, planner)
    path = url("consultations_manage:text", "two")
    first = form_data(client.get(path).content.decode(), containing="text_bg")
    second = form_data(client.get(path).content.decode(), containing="text_bg")
    assert client.post(path, first | {"text_bg": "Първи текст."}).status_code == 302
    page = client.post(path, second | {"text_bg": "Втори текст."})
    html = page.content.decode()
    assert page.status_code == 400 and "Някой друг" in html and "Втори текст." in html
    assert [p.text_bg for p in paragraphs(Consultation.objects.get(slug="two"))] == ["Първи текст."]


def test_of_two_editors_of_a_consultation_on_the_page_the_second_is_refused(client, consultation, planner):
    sign_in(client, planner)
    edit = url("consultations_manage:edit", consultation.slug)
    first = form_data(client.get(edit).content.decode(), containing="title_bg")
    second = form_data(client.get(edit).content.decode(), containing="title_bg")
    assert client.post(edit, first | {"title_bg": "Първи"}).status_code == 302
    page = client.post(edit, second | {"title_bg": "Втори"})
    assert page.status_code == 400 and "Някой друг" in page.content.decode()
    assert Consultation.objects.get(pk=consultation.pk).title_bg == "Първи"


def test_generating_the_draft_from_a_stale_page_is_refused(client, sopot, planner):
    consultation = build_consultation(sopot, planner, slug="plan", open_=False)
    services.consultation_update(actor=planner, consultation=consultation, expected_version=consultation.version,
                                 plan=PlanFactory(municipality=sopot, vision_bg="Визия."))  # fmt: skip
    sign_in(client, planner)
    detail = client.get(url("consultations_manage:detail", "plan")).content.decode()
    button = form_data(detail, containing="version")
    services.draft_replace_text(actor=planner, consultation=consultation, text_bg="Нов текст от друг.",
                                expected_version=consultation.version)  # fmt: skip
    page = client.post(url("consultations_manage:from_plan", "plan"), button, follow=True)
    assert "Някой друг" in page.content.decode()
    assert [p.text_bg for p in paragraphs(consultation)] == ["Нов текст от друг."]
    fresh = form_data(
        client.get(url("consultations_manage:detail", "plan")).content.decode(), containing="version"
    )
    client.post(url("consultations_manage:from_plan", "plan"), fresh)
    assert [p.text_bg for p in paragraphs(consultation)] == ["Визия."]
