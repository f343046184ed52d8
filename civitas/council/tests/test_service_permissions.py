"""The role × service matrix of council.services: only the administrator and the council secretary
(Action.MANAGE_DECISIONS) keep the register, and only in their own municipality."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.core.permissions import Action
from civitas.council import services
from civitas.testing.factories import DecisionFactory
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def decision(world):
    return DecisionFactory(municipality=world.municipality, number=42, date=datetime.date(2016, 4, 20))


def decision_create(world, actor):
    services.decision_create(actor=actor, municipality=world.municipality, number=7,
                             date=datetime.date(2014, 3, 27), subject_bg="Приемане на план")  # fmt: skip


def decision_update(world, actor):
    found = decision(world)
    services.decision_update(actor=actor, decision=found, expected_version=found.version, subject_en="Plan")


def decision_document_upload(world, actor):
    found = decision(world)
    upload = SimpleUploadedFile("reshenie-42.pdf", PDF, content_type="application/pdf")
    services.decision_document_upload(
        actor=actor, decision=found, upload=upload, expected_version=found.version
    )


def decision_delete(world, actor):
    services.decision_delete(actor=actor, decision=decision(world))


CASES = {
    "decision_create": ServiceCase(decision_create, Action.MANAGE_DECISIONS),
    "decision_update": ServiceCase(decision_update, Action.MANAGE_DECISIONS),
    "decision_document_upload": ServiceCase(decision_document_upload, Action.MANAGE_DECISIONS),
    "decision_delete": ServiceCase(decision_delete, Action.MANAGE_DECISIONS),
}


@pytest.fixture
def world():
    return build_world()


def test_every_service_has_a_case():
    assert_covers(services, CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_only_those_allowed_may_call(world, name):
    check(world, CASES[name], name)


def test_a_decision_of_another_municipality_is_refused_to_its_staff_here(world):
    other = DecisionFactory(municipality=world.other)
    with pytest.raises(PermissionDenied):
        services.decision_update(
            actor=world.actors["administrator"],
            decision=other,
            expected_version=other.version,
            subject_en="x",
        )
