"""The role × service matrix of publicity.services: every service refuses whoever may not call it here."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civitas.core.permissions import Action
from civitas.publicity import services
from civitas.testing.factories import (
    EventPhotoFactory,
    ProjectFactory,
    PublicationFactory,
    PublicityEventFactory,
    PublicityMaterialFactory,
)
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "blue").save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def event(world):
    return PublicityEventFactory(municipality=world.municipality)


def event_create(world, actor):
    services.event_create(actor=actor, municipality=world.municipality, title_bg="Форум", kind="forum",
                          date=datetime.date(2014, 1, 24), project=ProjectFactory(municipality=world.municipality))  # fmt: skip


def event_update(world, actor):
    found = event(world)
    services.event_update(actor=actor, event=found, expected_version=found.version, participants=30)


def event_delete(world, actor):
    services.event_delete(actor=actor, event=event(world))


def photo_add(world, actor):
    services.photo_add(actor=actor, event=event(world), caption_bg="Залата",
                       upload=SimpleUploadedFile("p.png", PNG))  # fmt: skip


def photo_delete(world, actor):
    services.photo_delete(actor=actor, photo=EventPhotoFactory(event=event(world)))


def material(world):
    return PublicityMaterialFactory(municipality=world.municipality)


def material_create(world, actor):
    services.material_create(actor=actor, municipality=world.municipality, title_bg="Банер", kind="banner",
                             quantity=1)  # fmt: skip


def material_update(world, actor):
    found = material(world)
    services.material_update(actor=actor, material=found, expected_version=found.version, quantity=500)


def material_delete(world, actor):
    services.material_delete(actor=actor, material=material(world))


def publication(world):
    return PublicationFactory(municipality=world.municipality)


def publication_create(world, actor):
    services.publication_create(actor=actor, municipality=world.municipality, title_bg="Статия",
                                medium="newspaper", outlet_bg="Диалог днес")  # fmt: skip


def publication_update(world, actor):
    found = publication(world)
    services.publication_update(actor=actor, publication=found, expected_version=found.version,
                                url="https://example.org/b")  # fmt: skip


def publication_delete(world, actor):
    services.publication_delete(actor=actor, publication=publication(world))


CASES = {
    name: ServiceCase(function, Action.MANAGE_PUBLICITY)
    for name, function in {
        "event_create": event_create,
        "event_update": event_update,
        "event_delete": event_delete,
        "photo_add": photo_add,
        "photo_delete": photo_delete,
        "material_create": material_create,
        "material_update": material_update,
        "material_delete": material_delete,
        "publication_create": publication_create,
        "publication_update": publication_update,
        "publication_delete": publication_delete,
    }.items()  # fmt: skip
}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_every_service_has_a_case():
    assert_covers(services, CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_only_those_allowed_may_call(world, name):
    check(world, CASES[name], name)


def test_an_event_of_another_municipality_is_refused_to_its_staff_here(world):
    other = PublicityEventFactory(municipality=world.other)
    with pytest.raises(PermissionDenied):
        services.event_update(actor=world.actors["administrator"], event=other, expected_version=other.version,
                              participants=1)  # fmt: skip
