"""Which public content a consultation write changes: nothing while the consultation is a draft
(the public does not see it), the participation content once it is open; a proposal awaiting
moderation, a flag and an answer before the report is published change nothing the public sees."""

import pytest

from civitas.consultations import services
from civitas.core.models import Municipality

from .conftest import build_consultation, paragraphs

pytestmark = pytest.mark.django_db


def versions(town) -> tuple[int, int]:
    fresh = Municipality.objects.get(pk=town.pk)
    return fresh.planning_version, fresh.participation_version


def test_a_draft_changes_nothing_public_until_it_opens(sopot, planner):
    before = versions(sopot)
    consultation = build_consultation(sopot, planner, open_=False, days=31)
    services.consultation_update(
        actor=planner, consultation=consultation, expected_version=consultation.version, title_en="Draft"
    )
    assert versions(sopot) == before
    services.consultation_open(actor=planner, consultation=consultation)
    assert versions(sopot) == (before[0], before[1] + 1)


def test_only_what_the_public_sees_of_proposals_moves_the_participation_content(sopot, planner, citizen):
    moderated = build_consultation(sopot, planner, slug="moderated", premoderation=True)
    before = versions(sopot)
    pending = services.proposal_submit(actor=citizen, consultation=moderated, text="Чака", address="a")
    services.proposal_flag(actor=planner, proposal=pending, reason="Спам")
    assert versions(sopot) == before
    services.proposal_record(
        actor=planner, consultation=moderated, source="letter", text="Писмо", received_at=moderated.opens_at,
        submitter_name="Иван Петров", paragraph=paragraphs(moderated)[0],
    )  # fmt: skip
    assert versions(sopot) == (before[0], before[1] + 1)
    services.proposal_answer(actor=planner, proposal=moderated.proposals.get(source="letter"),
                             decision="accepted", reasons_bg="")  # fmt: skip
    assert versions(sopot) == (before[0], before[1] + 1)  # shown only with the published report
