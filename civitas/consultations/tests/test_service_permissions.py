"""The role × service matrix of consultations: every service that takes an actor refuses, before
it writes anything, whoever the consultations' policy refuses (anyone but the planners and
administrators for running a consultation, anyone but a moderator for moderation, nobody signed in
or someone blocked for a proposal), whoever calls it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from civitas.consultations import exports, notifications, policy, rules, selectors, services, tasks
from civitas.consultations.models import Consultation, Proposal, Source
from civitas.core.models import Block
from civitas.core.permissions import OPERATOR, Action
from civitas.testing.factories import DecisionFactory, PlanElementFactory, PlanFactory, UserFactory
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

DRAFT = "Увод.\n\n# Първи раздел\n\nПърви абзац."


def may_propose(world, name):
    return policy.can_propose(world.actors[name], world.municipality)


def signed_in(world, name):
    return name != "anonymous"


def _address(actor) -> str:
    """Each caller sends from an address of its own, so that no flood limit is reached."""
    return f"matrix-{getattr(actor, 'pk', None)}"


def _fresh(consultation) -> Consultation:
    return Consultation.objects.select_related("municipality", "plan").get(pk=consultation.pk)


def _proposal(proposal) -> Proposal:
    return Proposal.objects.select_related("consultation__municipality").get(pk=proposal.pk)


def _consultation(world, slug, *, open_=True, days=31, **fields) -> Consultation:
    now = timezone.now()
    consultation = services.consultation_create(
        actor=OPERATOR, municipality=world.municipality, slug=slug, title_bg="Проект на наредба",
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=days), **fields,
    )  # fmt: skip
    services.draft_replace_text(actor=OPERATOR, consultation=consultation, text_bg=DRAFT)
    if open_:
        services.consultation_open(actor=OPERATOR, consultation=consultation)
    return _fresh(consultation)


def _after(consultation) -> datetime.datetime:
    return consultation.closes_at + datetime.timedelta(minutes=1)


CASES = {
    "consultation_create": ServiceCase(
        call=lambda world, actor: services.consultation_create(
            actor=actor,
            municipality=world.municipality,
            slug="new",
            title_bg="Нова",
            opens_at=timezone.now(),
            closes_at=timezone.now() + datetime.timedelta(days=30),
        ),  # fmt: skip
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "consultation_update": ServiceCase(
        call=lambda world, actor: services.consultation_update(
            actor=actor,
            consultation=_fresh(world.draft),
            expected_version=_fresh(world.draft).version,
            title_en="Draft ordinance",
        ),  # fmt: skip
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "consultation_open": ServiceCase(
        call=lambda world, actor: services.consultation_open(actor=actor, consultation=_fresh(world.draft)),
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "consultation_close": ServiceCase(
        call=lambda world, actor: services.consultation_close(
            actor=actor, consultation=_fresh(world.open), now=_after(world.open)
        ),
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "report_publish": ServiceCase(
        call=lambda world, actor: services.report_publish(
            actor=actor, consultation=_fresh(world.closed), notify=False
        ),
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "consultation_results_decision_set": ServiceCase(
        call=lambda world, actor: services.consultation_results_decision_set(
            actor=actor,
            consultation=_fresh(world.closed),
            decision=DecisionFactory(municipality=world.municipality),
            expected_version=_fresh(world.closed).version,
        ),  # fmt: skip
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "draft_replace_text": ServiceCase(
        call=lambda world, actor: services.draft_replace_text(
            actor=actor, consultation=_fresh(world.draft), text_bg="Нов текст."
        ),
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "draft_from_plan": ServiceCase(
        call=lambda world, actor: services.draft_from_plan(actor=actor, consultation=_fresh(world.draft)),
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "proposal_submit": ServiceCase(
        call=lambda world, actor: services.proposal_submit(
            actor=actor, consultation=_fresh(world.open), text="Предложение", address=_address(actor)
        ),
        allowed=may_propose,
    ),
    "proposal_record": ServiceCase(
        call=lambda world, actor: services.proposal_record(
            actor=actor,
            consultation=_fresh(world.open),
            source=Source.LETTER,
            text="Писмо",
            received_at=timezone.now(),
            submitter_name="Иван Петров",
        ),  # fmt: skip
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "proposal_answer": ServiceCase(
        call=lambda world, actor: services.proposal_answer(
            actor=actor, proposal=_proposal(world.proposal), decision="accepted", reasons_bg="Приема се."
        ),
        allowed=Action.MANAGE_CONSULTATION,
    ),
    "proposal_flag": ServiceCase(
        call=lambda world, actor: services.proposal_flag(
            actor=actor, proposal=_proposal(world.proposal), reason="Спам"
        ),
        allowed=signed_in,
    ),
    "proposal_approve": ServiceCase(
        call=lambda world, actor: services.proposal_approve(actor=actor, proposal=_proposal(world.pending)),
        allowed=Action.MODERATE,
    ),
    "proposal_hide": ServiceCase(
        call=lambda world, actor: services.proposal_hide(
            actor=actor, proposal=_proposal(world.proposal), reason="Обидни думи"
        ),
        allowed=Action.MODERATE,
    ),
    "proposal_restore": ServiceCase(
        call=lambda world, actor: services.proposal_restore(actor=actor, proposal=_proposal(world.hidden)),
        allowed=Action.MODERATE,
    ),
    "block_record": ServiceCase(
        call=lambda world, actor: services.block_record(
            actor=actor, consultation=_fresh(world.open), user=world.author, reason="Обиди"
        ),
        allowed=Action.MODERATE,
    ),
}


@pytest.fixture
def world(db):
    world = build_world()
    world.author = UserFactory(username="author")
    plan = PlanFactory(municipality=world.municipality)
    PlanElementFactory(plan=plan)
    world.draft = _consultation(world, "draft", open_=False, plan=plan)
    world.open = _consultation(world, "open")
    world.proposal = services.proposal_submit(
        actor=world.author, consultation=world.open, text="Предложение", address="author"
    )
    world.hidden = services.proposal_submit(
        actor=world.author, consultation=world.open, text="Грубо", address="author"
    )
    services.proposal_hide(actor=OPERATOR, proposal=world.hidden, reason="Обидни думи")
    moderated = _consultation(world, "moderated", premoderation=True)
    world.pending = services.proposal_submit(
        actor=world.author, consultation=moderated, text="Чака", address="author"
    )
    closing = _consultation(world, "closed")
    world.closed = services.consultation_close(actor=OPERATOR, consultation=closing, now=_after(closing))
    return world


def test_every_service_has_a_case():
    assert_covers(services, CASES)
    for module in (selectors, notifications, tasks, exports, rules):  # no writes that take an actor
        assert_covers(module, {})


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_policy_decides_who_may_call_the_service(world, name):
    check(world, CASES[name], name)


def test_a_blocked_person_sends_no_proposal(world):
    citizen = world.actors["citizen"]
    Block.objects.create(municipality=world.municipality, user=citizen, reason="Обиди")
    with pytest.raises(PermissionDenied):
        CASES["proposal_submit"].call(world, citizen)
