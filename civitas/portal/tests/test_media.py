"""Uploaded files are served only to those who may see them."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.core.models import Role
from civitas.core.uploads import check_upload
from civitas.forum import services as forum
from civitas.projects.models import ProjectDocument
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectFactory,
    UserFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


def with_file(instance, field: str, name: str):
    getattr(instance, field).save(name, ContentFile(b"%PDF-1.4 internal"), save=True)
    return getattr(instance, field).name


def test_evidence_of_an_unpublished_value_is_for_the_municipalitys_staff_only(client, town):
    element = PlanElementFactory(plan=PlanFactory(municipality=town))
    submitted = MeasurementFactory(indicator=IndicatorFactory(element=element, code="I-1"), state="submitted")
    name = with_file(submitted, "evidence", "internal-report.pdf")
    assert client.get(f"/media/{name}").status_code == 404
    sign_in(client, UserFactory(username="other"))  # a citizen
    assert client.get(f"/media/{name}").status_code == 404
    karlovo_staff = MembershipFactory(
        municipality=MunicipalityFactory(slug="karlovo"), role=Role.VERIFIER
    ).user
    sign_in(client, karlovo_staff)
    assert client.get(f"/media/{name}").status_code == 404
    sign_in(client, MembershipFactory(municipality=town, role=Role.VERIFIER).user)
    assert client.get(f"/media/{name}").status_code == 200
    client.logout()
    submitted.state, submitted.value = "published", Decimal(5)
    submitted.save()
    assert client.get(f"/media/{name}").status_code == 200  # published: its evidence is public


def test_a_hidden_posts_photo_is_not_served_and_project_documents_are(client, town):
    author = UserFactory(username="author")
    topic = forum.topic_create(actor=author, municipality=town, title="Велоалея", body="Снимка")
    post = topic.posts.get()
    name = with_file(post, "photo", "photo.jpg")
    assert client.get(f"/media/{name}").status_code == 200
    moderator = MembershipFactory(municipality=town, role=Role.MODERATOR).user
    forum.post_hide(actor=moderator, post=post, reason="Лични данни")
    assert client.get(f"/media/{name}").status_code == 404
    sign_in(client, moderator)
    assert client.get(f"/media/{name}").status_code == 200
    client.logout()

    document = ProjectDocument(project=ProjectFactory(municipality=town), kind="document", title_bg="Договор")
    name = with_file(document, "file", "contract.pdf")
    assert client.get(f"/media/{name}").status_code == 200
    assert client.get("/media/../settings.py").status_code == 404


def test_uploaded_files_get_names_that_cannot_be_guessed(town, settings, tmp_path):
    stored, _type, _size = check_upload(SimpleUploadedFile("internal-report.pdf", b"%PDF-1.4 x"), photo=False)
    assert stored.name.endswith("-internal-report.pdf") and len(stored.name) > len("internal-report.pdf") + 10
