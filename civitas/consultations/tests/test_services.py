"""The consultation services: every refusal of the bad-input list (nothing stored, a clear
message, logged for moderators where it matters), the 30-day rule, freezing after close, the
report only with every answer, and concurrent answers."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civitas.accounts.services import profile_of
from civitas.consultations import notifications, selectors, services
from civitas.consultations.models import (
    Answer,
    ConsultationStatus,
    ModerationEntry,
    Proposal,
    ProposalState,
)
from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent, Block
from civitas.testing.factories import (
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    UserFactory,
)

from .conftest import DRAFT, build_consultation, paragraphs

pytestmark = pytest.mark.django_db


def submit(consultation, user, text="Предложение", **kwargs):
    return services.proposal_submit(actor=user, consultation=consultation, text=text, **kwargs)


def message(error) -> str:
    return " ".join(error.value.messages)


def close(consultation, planner):
    return services.consultation_close(
        actor=planner, consultation=consultation, now=consultation.closes_at + datetime.timedelta(minutes=1)
    )


def test_a_period_shorter_than_30_days_needs_a_public_reason(sopot, planner):
    with pytest.raises(ValidationError) as error:
        build_consultation(sopot, planner, days=14)
    assert "30" in message(error)
    consultation = build_consultation(sopot, planner, days=14, short_period_reason="Срок по закон")
    assert consultation.short_period_reason == "Срок по закон"


def test_only_planners_and_administrators_manage_consultations(sopot, citizen, moderator):
    for user in (citizen, moderator):
        with pytest.raises(PermissionDenied):
            build_consultation(sopot, user)


def test_a_citizen_comments_on_a_paragraph(consultation, citizen):
    paragraph = paragraphs(consultation)[1]
    proposal = submit(consultation, citizen, paragraph=paragraph, organisation="Сдружение", address="1.2.3.4")
    assert proposal.section == paragraph.section and proposal.state == ProposalState.VISIBLE
    assert proposal.source == "portal" and proposal.organisation == "Сдружение"
    assert AuditEvent.objects.filter(action="create", object_type="consultations.proposal").count() == 1


def test_sending_the_same_form_twice_stores_one_proposal(consultation, citizen):
    first = submit(consultation, citizen, submission_key="k1")
    assert submit(consultation, citizen, submission_key="k1") == first
    assert Proposal.objects.count() == 1


def test_a_proposal_after_the_closing_date_is_refused_and_logged(consultation, citizen):
    late = consultation.closes_at + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError) as error:
        submit(consultation, citizen, now=late, address="1.2.3.4")
    assert "не се приемат" in message(error) or "no longer accepted" in message(error)
    assert Proposal.objects.count() == 0
    assert ModerationEntry.objects.get().action == "refused_late"


@pytest.mark.parametrize("text", ["<script>alert('x')</script>", "Вижте <a href='http://x'>тук</a>"])
def test_html_or_script_in_a_comment_is_refused_and_logged(consultation, citizen, text):
    with pytest.raises(ValidationError) as error:
        submit(consultation, citizen, text=text)
    assert "HTML" in message(error)
    assert Proposal.objects.count() == 0
    assert ModerationEntry.objects.get().action == "refused_markup"


def test_a_50_mb_attachment_is_refused(consultation, citizen):
    big = SimpleUploadedFile(
        "draft.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        submit(consultation, citizen, attachment=big)
    assert "attachment" in error.value.message_dict and "MB" in message(error)
    assert Proposal.objects.count() == 0


def test_an_attachment_of_a_refused_type_is_refused_and_a_pdf_kept(consultation, citizen):
    exe = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)))
    with pytest.raises(ValidationError):
        submit(consultation, citizen, attachment=exe)
    pdf = SimpleUploadedFile("letter.exe", b"%PDF-1.4\n%%EOF\n")
    proposal = submit(consultation, citizen, attachment=pdf)
    assert proposal.attachment.name.endswith(".pdf") and proposal.attachment_type == "application/pdf"


def test_a_flood_from_one_address_is_refused_and_logged(consultation):
    users = [UserFactory() for _ in range(25)]
    for user in users[: services.ADDRESS_LIMIT[0]]:
        submit(consultation, user, address="9.9.9.9")
    with pytest.raises(ValidationError) as error:
        submit(consultation, users[-1], address="9.9.9.9")
    assert "too fast" in message(error) or "твърде бързо" in message(error)
    assert Proposal.objects.count() == services.ADDRESS_LIMIT[0]
    entry = ModerationEntry.objects.get()
    assert entry.action == "refused_flood" and entry.address == "9.9.9.9"
    # Another address is not affected.
    submit(consultation, users[-1], address="8.8.8.8")


def test_one_person_cannot_flood(consultation, citizen):
    for i in range(services.PROPOSAL_LIMIT[0]):
        submit(consultation, citizen, address=f"10.0.0.{i}")
    with pytest.raises(ValidationError):
        submit(consultation, citizen, address="10.0.0.99")


def test_anonymous_and_blocked_users_are_refused(consultation, citizen):
    with pytest.raises(PermissionDenied):
        submit(consultation, AnonymousUser())
    proposal = submit(consultation, citizen)
    # Blocked by the moderators (the forum's moderation writes the block: forum/tests, and the
    # consultation's moderation page in test_views).
    Block.objects.create(municipality=consultation.municipality, user=citizen, reason="Спам")
    with pytest.raises(PermissionDenied):
        submit(consultation, citizen)
    assert Proposal.objects.count() == 1 and proposal.pk


def test_draft_consultations_accept_nothing(sopot, planner, citizen):
    consultation = build_consultation(sopot, planner, open_=False)
    with pytest.raises(ValidationError):
        submit(consultation, citizen)


def test_a_paragraph_of_another_consultation_is_refused(sopot, planner, consultation, citizen):
    other = build_consultation(sopot, planner, slug="other")
    with pytest.raises(ValidationError):
        submit(consultation, citizen, paragraph=paragraphs(other)[0])


def test_staff_record_proposals_from_other_sources(consultation, planner):
    received = consultation.opens_at + datetime.timedelta(days=2)
    proposal = services.proposal_record(
        actor=planner, consultation=consultation, source="letter", submitter_name="Иван Петров",
        organisation="Читалище", text="Писмо", received_at=received, section=paragraphs(consultation)[0].section,
    )  # fmt: skip
    assert proposal.source == "letter" and proposal.entered_by == planner and proposal.author is None
    with pytest.raises(ValidationError) as error:
        services.proposal_record(actor=planner, consultation=consultation, source="email", submitter_name="",
                                 text="x", received_at=consultation.closes_at + datetime.timedelta(days=1))  # fmt: skip
    assert {"submitter_name", "received_at"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        services.proposal_record(actor=planner, consultation=consultation, source="portal", submitter_name="X",
                                 text="x", received_at=received)  # fmt: skip


def test_premoderated_proposals_wait_for_a_moderator(sopot, planner, moderator, citizen):
    consultation = build_consultation(sopot, planner, premoderation=True)
    proposal = submit(consultation, citizen)
    assert proposal.state == ProposalState.PENDING
    assert selectors.draft(consultation).proposal_count == 0
    with pytest.raises(ValidationError):  # nothing awaiting moderation may stay behind when closing
        close(consultation, planner)
    with pytest.raises(PermissionDenied):
        services.proposal_approve(actor=planner, proposal=proposal)
    services.proposal_approve(actor=moderator, proposal=proposal)
    assert selectors.draft(consultation).proposal_count == 1


def test_hide_with_a_public_reason_and_restore(consultation, citizen, moderator):
    proposal = submit(consultation, citizen)
    services.proposal_flag(actor=UserFactory(), proposal=proposal, reason="Обидно")
    with pytest.raises(ValidationError):
        services.proposal_hide(actor=moderator, proposal=proposal, reason="")
    services.proposal_hide(actor=moderator, proposal=proposal, reason="Обидни думи")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.HIDDEN and not proposal.flags.filter(resolved=False).exists()
    row = selectors.report(consultation).rows[0]
    assert row.hidden and "Обидни думи" in row.text and proposal.text not in row.text
    services.proposal_restore(actor=moderator, proposal=proposal)
    assert [e.action for e in ModerationEntry.objects.order_by("pk")] == ["hide", "restore"]


def test_flags_once_per_person(consultation, citizen):
    proposal = submit(consultation, citizen)
    reporter = UserFactory()
    services.proposal_flag(actor=reporter, proposal=proposal, reason="Спам")
    with pytest.raises(ValidationError):
        services.proposal_flag(actor=reporter, proposal=proposal, reason="Спам")


def test_closing_freezes_the_record(consultation, planner, moderator, citizen):
    proposal = submit(consultation, citizen, paragraph=paragraphs(consultation)[0])
    with pytest.raises(ValidationError):  # not before the period ends
        services.consultation_close(actor=planner, consultation=consultation)
    close(consultation, planner)
    assert consultation.status == ConsultationStatus.CLOSED
    frozen = [
        lambda: submit(consultation, citizen),
        lambda: services.proposal_record(actor=planner, consultation=consultation, source="email", submitter_name="X",
                                         text="x", received_at=consultation.opens_at),
        lambda: services.proposal_hide(actor=moderator, proposal=proposal, reason="x"),
        lambda: services.proposal_flag(actor=UserFactory(), proposal=proposal, reason="x"),
        lambda: services.draft_replace_text(actor=planner, consultation=consultation, text_bg="Нов текст"),
        lambda: services.consultation_update(actor=planner, consultation=consultation,
                                             expected_version=consultation.version, title_bg="Ново"),
        lambda: close(consultation, planner),
    ]  # fmt: skip
    for call in frozen:
        with pytest.raises(ValidationError):
            call()
    assert Proposal.objects.count() == 1 and proposal.state == ProposalState.VISIBLE
    # Answers are written after closing, until the report is published.
    services.proposal_answer(actor=planner, proposal=proposal, decision="accepted", reasons_bg="")
    services.report_publish(actor=planner, consultation=consultation)
    with pytest.raises(ValidationError):
        services.proposal_answer(actor=planner, proposal=proposal, decision="not_accepted", reasons_bg="x",
                                 expected_version=1)  # fmt: skip
    assert Answer.objects.get().decision == "accepted"


def test_the_report_needs_an_answer_to_every_visible_proposal(consultation, planner, moderator, citizen):
    first, second, rude = (submit(consultation, UserFactory(), text=t) for t in ("Едно", "Две", "Обида"))
    services.proposal_hide(actor=moderator, proposal=rude, reason="Обидно")
    with pytest.raises(ValidationError):  # not before closing
        services.report_publish(actor=planner, consultation=consultation)
    close(consultation, planner)
    services.proposal_answer(actor=planner, proposal=first, decision="partly_accepted", reasons_bg="Отчасти")
    with pytest.raises(ValidationError) as error:
        services.report_publish(actor=planner, consultation=consultation)
    assert "1" in message(error)
    with pytest.raises(ValidationError) as error:  # reasons are required unless accepted
        services.proposal_answer(actor=planner, proposal=second, decision="not_accepted", reasons_bg=" ")
    assert "reasons_bg" in error.value.message_dict
    services.proposal_answer(
        actor=planner, proposal=second, decision="not_applicable", reasons_bg="Извън плана"
    )
    services.report_publish(actor=planner, consultation=consultation)
    assert consultation.status == ConsultationStatus.PUBLISHED and consultation.report_published_at
    assert {e.action for e in AuditEvent.objects.all()} >= {"close", "answer", "publish_report"}


def test_concurrent_answer_edits_are_detected(consultation, planner, citizen):
    proposal = submit(consultation, citizen)
    answer = services.proposal_answer(actor=planner, proposal=proposal, decision="accepted", reasons_bg="")
    # Two editors opened version 1; the first saves, the second is refused and changes nothing.
    services.proposal_answer(actor=planner, proposal=proposal, decision="not_accepted", reasons_bg="Първи",
                             expected_version=answer.version)  # fmt: skip
    with pytest.raises(ConflictError):
        services.proposal_answer(actor=planner, proposal=proposal, decision="partly_accepted", reasons_bg="Втори",
                                 expected_version=answer.version)  # fmt: skip
    # Two editors both saw no answer: the second would overwrite the first.
    with pytest.raises(ConflictError):
        services.proposal_answer(actor=planner, proposal=proposal, decision="accepted", reasons_bg="",
                                 expected_version=None)  # fmt: skip
    stored = Answer.objects.get()
    assert (stored.decision, stored.reasons_bg, stored.version) == ("not_accepted", "Първи", 2)


def test_a_concurrent_consultation_edit_is_detected(consultation, planner):
    version = consultation.version
    services.consultation_update(
        actor=planner, consultation=consultation, expected_version=version, title_bg="А"
    )
    with pytest.raises(ConflictError):
        services.consultation_update(
            actor=planner, consultation=consultation, expected_version=version, title_bg="Б"
        )


def test_an_open_consultations_dates_sent_back_to_the_minute_are_unchanged(consultation, planner):
    """Issue 8, finding 8: the edit form gives dates back to the minute; the stored ones have seconds."""
    opens, closes = consultation.opens_at, consultation.closes_at
    services.consultation_update(
        actor=planner, consultation=consultation, expected_version=consultation.version, title_bg="Ново",
        opens_at=opens.replace(second=0, microsecond=0), closes_at=closes.replace(second=0, microsecond=0),
    )  # fmt: skip
    consultation.refresh_from_db()
    assert (consultation.title_bg, consultation.opens_at, consultation.closes_at) == ("Ново", opens, closes)
    assert "opens_at" not in AuditEvent.objects.filter(action="update").latest("pk").changes
    for moved in (datetime.timedelta(minutes=1), -datetime.timedelta(minutes=1), datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            services.consultation_update(actor=planner, consultation=consultation,
                                         expected_version=consultation.version, opens_at=opens + moved)  # fmt: skip
        assert "opens_at" in error.value.message_dict
    consultation.refresh_from_db()
    assert consultation.opens_at == opens


def test_the_draft_cannot_be_replaced_once_proposals_refer_to_it(consultation, planner, citizen):
    submit(consultation, citizen, paragraph=paragraphs(consultation)[0])
    with pytest.raises(ValidationError):
        services.draft_replace_text(actor=planner, consultation=consultation, text_bg="Нов текст.")


def test_the_english_text_must_have_the_same_shape(sopot, planner):
    consultation = build_consultation(sopot, planner, open_=False)
    with pytest.raises(ValidationError) as error:
        services.draft_replace_text(
            actor=planner, consultation=consultation, text_bg="А.\n\nБ.", text_en="A."
        )
    assert "text_en" in error.value.message_dict
    services.draft_replace_text(
        actor=planner, consultation=consultation, text_bg="А.\n\nБ.", text_en="A.\n\nB."
    )
    assert [p.text_en for p in paragraphs(consultation)] == ["A.", "B."]


def test_the_draft_from_the_plan(sopot, planner):
    plan = PlanFactory(municipality=sopot, vision_bg="Визия на общината.")
    goal = PlanElementFactory(plan=plan, code="СЦ1", title_bg="Икономика", description_bg="Описание.")
    contribution = ProjectContributionFactory(element=goal)
    consultation = build_consultation(sopot, planner, slug="plan", open_=False)
    services.consultation_update(actor=planner, consultation=consultation, expected_version=consultation.version,
                                 plan=plan)  # fmt: skip
    services.draft_from_plan(actor=planner, consultation=consultation)
    draft = selectors.draft(consultation)
    assert [s.section.heading_bg for s in draft.sections] == ["Визия", "СЦ1 Икономика"]
    texts = [p.paragraph.text_bg for p in draft.sections[1].paragraphs]
    assert texts == ["Описание.", f"{contribution.project.code} {contribution.project.title_bg}"]


def test_a_plan_of_another_municipality_is_refused(sopot, planner):
    other = PlanFactory(municipality=MunicipalityFactory(slug="karlovo"))
    with pytest.raises(ValidationError) as error:
        build_consultation(sopot, planner, plan=other)
    assert "plan" in error.value.message_dict


def test_other_municipalities_staff_cannot_act(consultation, citizen):
    karlovo_planner = MembershipFactory(municipality=MunicipalityFactory(slug="karlovo"), role="planner").user
    proposal = submit(consultation, citizen)
    with pytest.raises(PermissionDenied):
        services.proposal_answer(actor=karlovo_planner, proposal=proposal, decision="accepted", reasons_bg="")
    with pytest.raises(PermissionDenied):
        services.consultation_close(actor=karlovo_planner, consultation=consultation, now=timezone.now())


def test_publishing_the_report_e_mails_each_portal_author_their_answers(
    consultation, planner, django_capture_on_commit_callbacks
):
    maria, john = UserFactory(email="maria@example.org"), UserFactory(email="john@example.org")
    profile = profile_of(john)
    profile.language = "en"
    profile.save(update_fields=["language"])
    first = submit(consultation, maria, text="Повече пейки в парка")
    second = submit(consultation, john, text="Да се осветят алеите")
    third = submit(consultation, maria, text="Детска площадка")
    close(consultation, planner)
    for proposal, decision in ((first, "accepted"), (second, "not_accepted"), (third, "partly_accepted")):
        services.proposal_answer(actor=planner, proposal=proposal, decision=decision, reasons_bg="Мотиви")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(actor=planner, consultation=consultation)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"maria@example.org", "john@example.org"}  # one e-mail each
    maria_mail, john_mail = by_address["maria@example.org"], by_address["john@example.org"]
    assert "Повече пейки в парка" in maria_mail.body and "Детска площадка" in maria_mail.body
    assert "Да се осветят алеите" not in maria_mail.body
    assert "Прието" in maria_mail.body and "Частично прието" in maria_mail.body
    assert maria_mail.subject.startswith("Отговори на вашите предложения")
    assert john_mail.subject.startswith("Answers to your proposals") and "Not accepted" in john_mail.body
    assert f"/sopot/consultations/{consultation.slug}/report/" in john_mail.body


def test_sample_data_publishes_without_e_mail(consultation, planner, django_capture_on_commit_callbacks):
    submit(consultation, UserFactory(email="maria@example.org"), text="Предложение")
    close(consultation, planner)
    services.proposal_answer(
        actor=planner, proposal=consultation.proposals.get(), decision="accepted", reasons_bg=""
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(actor=planner, consultation=consultation, notify=False)
    assert mail.outbox == []


def test_the_public_gets_the_whole_period_even_when_opened_late(sopot, planner):
    """Opening after the planned date starts the period then: 30 days must remain (or a reason be
    given), a period that has passed cannot be opened, and an open consultation's closing date
    cannot be moved into the past."""

    now = timezone.now()
    late = services.consultation_create(
        actor=planner, municipality=sopot, slug="late", title_bg="Късна",
        opens_at=now - datetime.timedelta(days=40), closes_at=now - datetime.timedelta(days=5),
    )  # fmt: skip
    services.draft_replace_text(actor=planner, consultation=late, text_bg=DRAFT)
    with pytest.raises(ValidationError) as error:
        services.consultation_open(actor=planner, consultation=late)
    assert "closes_at" in error.value.message_dict
    tight = services.consultation_create(
        actor=planner, municipality=sopot, slug="tight", title_bg="Стегната",
        opens_at=now - datetime.timedelta(days=10), closes_at=now + datetime.timedelta(days=25),
    )  # fmt: skip
    services.draft_replace_text(actor=planner, consultation=tight, text_bg=DRAFT)
    with pytest.raises(ValidationError) as error:  # 35 days planned, 25 left
        services.consultation_open(actor=planner, consultation=tight, now=now)
    assert "short_period_reason" in error.value.message_dict
    tight.refresh_from_db()
    assert tight.status == "draft"
    services.consultation_update(actor=planner, consultation=tight, expected_version=tight.version,
                                 closes_at=now + datetime.timedelta(days=31))  # fmt: skip
    services.consultation_open(actor=planner, consultation=tight, now=now)
    tight.refresh_from_db()
    assert tight.status == "open" and tight.opens_at == now  # the record says when it really opened
    with pytest.raises(ValidationError) as error:
        services.consultation_update(actor=planner, consultation=tight, expected_version=tight.version,
                                     closes_at=now - datetime.timedelta(minutes=1), short_period_reason="x")  # fmt: skip
    assert "closes_at" in error.value.message_dict


@pytest.mark.parametrize("proposers", [2, 8])
def test_the_answers_e_mail_takes_the_same_queries_for_any_number_of_proposers(
    sopot, planner, proposers, django_assert_num_queries
):
    consultation = build_consultation(sopot, planner, slug=f"c{proposers}")
    for i in range(proposers):
        submit(consultation, UserFactory(email=f"p{i}@example.org"), text=f"Предложение {i}")
    close(consultation, planner)
    for proposal in consultation.proposals.all():
        services.proposal_answer(actor=planner, proposal=proposal, decision="accepted", reasons_bg="")
    services.report_publish(actor=planner, consultation=consultation, notify=False)
    # the consultation, the proposers, then the table (municipality, sections, paragraphs, proposals)
    with django_assert_num_queries(5):
        assert notifications.answers_notify(consultation_id=consultation.pk) == proposers


def test_a_proposal_hidden_since_the_page_was_loaded_is_not_answered(consultation, planner, moderator):
    proposal = submit(consultation, UserFactory(), text="Обида")
    stale = Proposal.objects.get(pk=proposal.pk)  # the planner's answer page, loaded before the hiding
    services.proposal_hide(actor=moderator, proposal=proposal, reason="Обидно")
    close(consultation, planner)
    with pytest.raises(ValidationError):
        services.proposal_answer(actor=planner, proposal=stale, decision="not_applicable", reasons_bg="—")
    assert not Answer.objects.exists()


# Two editors of the same record (issue 8, finding 9): the second save is refused and changes nothing.


def test_of_two_editors_replacing_the_draft_the_second_is_refused_and_the_firsts_text_stays(sopot, planner):
    consultation = build_consultation(sopot, planner, open_=False)
    services.consultation_update(actor=planner, consultation=consultation, expected_version=consultation.version,
                                 plan=PlanFactory(municipality=sopot, vision_bg="Визия."))  # fmt: skip
    opened = consultation.version  # both open the draft's text form, or its page with the button
    services.draft_replace_text(
        actor=planner, consultation=consultation, text_bg="Първи.", expected_version=opened
    )
    with pytest.raises(ConflictError):
        services.draft_replace_text(actor=planner, consultation=consultation, text_bg="Втори.",
                                    expected_version=opened)  # fmt: skip
    with pytest.raises(ConflictError):
        services.draft_from_plan(actor=planner, consultation=consultation, expected_version=opened)
    assert [p.text_bg for p in paragraphs(consultation)] == ["Първи."]


def test_opening_a_consultation_moves_its_version(sopot, planner):
    """Opening may move the opening date (opened late): an edit form opened before is stale."""
    consultation = build_consultation(sopot, planner, open_=False, short_period_reason="Тест")
    opened = consultation.version
    services.consultation_open(actor=planner, consultation=consultation)
    with pytest.raises(ConflictError):
        services.consultation_update(actor=planner, consultation=consultation, expected_version=opened,
                                     title_bg="Старо")  # fmt: skip


def test_of_two_moderators_hiding_a_proposal_the_second_is_refused_and_the_first_reason_stays(
    consultation, citizen, moderator
):
    proposal = submit(consultation, citizen)
    first, second = Proposal.objects.get(pk=proposal.pk), Proposal.objects.get(pk=proposal.pk)
    services.proposal_hide(actor=moderator, proposal=first, reason="Обидни думи")
    with pytest.raises(ValidationError):
        services.proposal_hide(actor=moderator, proposal=second, reason="Реклама")
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.state, stored.hidden_reason) == (ProposalState.HIDDEN, "Обидни думи")
    assert ModerationEntry.objects.filter(action="hide").count() == 1
    services.proposal_restore(actor=moderator, proposal=first)
    with pytest.raises(ValidationError):  # restored already, from a page opened before
        services.proposal_restore(actor=moderator, proposal=second)
    assert ModerationEntry.objects.filter(action="restore").count() == 1
