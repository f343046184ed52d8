"""Uploaded files: only names in canonical form, only files a record owns, each to those its owner
record lets see it, with headers that keep private files out of shared caches and files from
running as pages. The files are real, written under a temporary MEDIA_ROOT."""

import datetime
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db.models import FileField
from django.utils import timezone

from civitas.consultations.models import Consultation, ConsultationStatus, Proposal, ProposalState
from civitas.core.models import Role
from civitas.forum.models import Post, PostState, Topic
from civitas.indicators.models import Measurement
from civitas.portal import media
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

SECRET = b"%PDF-1.4 not for the public"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.CIVITAS_MEDIA_ACCEL_REDIRECT = ""
    return root


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def admin_of_town(town):
    return MembershipFactory(municipality=town, role=Role.ADMINISTRATOR).user


def on_disk(root, name: str, data: bytes = SECRET) -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name


def unpublished_evidence(town, root) -> str:
    element = PlanElementFactory(plan=PlanFactory(municipality=town))
    name = on_disk(root, "evidence/2026/0123456789abcdef-internal-report.pdf")
    MeasurementFactory(indicator=IndicatorFactory(element=element), state="submitted", evidence=name)
    return name


def hidden_post_photo(town, root) -> str:
    name = on_disk(root, "forum/2026/0123456789abcdef-photo.jpg", b"\xff\xd8\xff private face")
    topic = Topic.objects.create(municipality=town, title="Велоалея")
    Post.objects.create(topic=topic, body="Снимка", body_html="", photo=name, state=PostState.HIDDEN)
    return name


def _consultation(town, **fields):
    now = timezone.now()
    return Consultation.objects.create(
        municipality=town, slug=f"c{Consultation.objects.count()}", title_bg="Наредба",
        opens_at=now, closes_at=now + datetime.timedelta(days=30), **fields,
    )  # fmt: skip


def hidden_proposal_attachment(town, root) -> str:
    name = on_disk(root, "consultations/proposals/2026/0123456789abcdef-letter.pdf")
    consultation = _consultation(town, status=ConsultationStatus.OPEN)
    Proposal.objects.create(
        consultation=consultation,
        text="Писмо",
        attachment=name,
        state=ProposalState.HIDDEN,
        hidden_reason="Лични данни",
    )
    return name


def draft_consultation_document(town, root) -> str:
    name = on_disk(root, "consultations/2026/0123456789abcdef-draft.pdf")
    _consultation(town, status=ConsultationStatus.DRAFT, document=name)
    return name


def project_document(town, root, name="projects/2026/0123456789abcdef-contract.pdf", data=b"%PDF-1.4 public"):
    on_disk(root, name, data)
    ProjectDocument.objects.create(project=ProjectFactory(municipality=town), title_bg="Договор", file=name)
    return name


PRIVATE_FILES = [
    unpublished_evidence,
    hidden_post_photo,
    hidden_proposal_attachment,
    draft_consultation_document,
]


def bypasses(name: str) -> list[str]:
    """Other ways of writing ``name`` in a URL: each must answer 404, never the file."""
    folder, _, rest = name.partition("/")
    return [
        f"/media/./{name}",
        f"/media/%2e/{name}",
        f"/media/%2E/{name}",
        f"/media/{folder}/%2E%2E/{name}",
        f"/media/{folder}/../{name}",
        f"/media//./{name}",
        f"/media//{name}",
        f"/media/.%2f{name}",
        f"/media/%2f{name}",
        f"/media/{folder}%2f%2f{rest}",
        f"/media/{folder}//{rest}",
        f"/media/{folder}\\{rest}",
        f"/media/{folder}%5C{rest}",
        f"/media/.\\{name}",
        f"/media/{name}/",
        f"/media/{name}/.",
        f"/media/{name}%00",
        f"/media/{name}%00.txt",
        f"/media/%252e/{name}",
        f"/media/%EF%BC%8E/{name}",  # a fullwidth full stop
        f"/media/{folder}/%E2%80%8B{rest}",  # a zero-width space
        f"/media/{name} ",
    ]


@pytest.mark.parametrize("private_file", PRIVATE_FILES, ids=lambda f: f.__name__)
def test_no_other_spelling_of_a_private_files_name_serves_it(
    client, town, media_root, admin_of_town, private_file
):
    name = private_file(town, media_root)
    for url in bypasses(name):
        # A NUL character is refused as a bad address (400) before anything reads it; the rest 404.
        assert client.get(url).status_code == (400 if "%00" in url else 404), url
    assert client.get(f"/media/{name}").status_code == 404  # anonymous, canonical
    sign_in(client, UserFactory(username="citizen"))
    assert client.get(f"/media/{name}").status_code == 404
    sign_in(client, admin_of_town)
    for url in bypasses(name):
        # A NUL character is refused as a bad address (400) before anything reads it; the rest 404.
        assert client.get(url).status_code == (400 if "%00" in url else 404), (
            url
        )  # not even to staff: one name, one answer
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (media_root / name).read_bytes()
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_absolute_path_of_a_private_file_is_not_served(client, town, media_root):
    name = unpublished_evidence(town, media_root)
    assert client.get(f"/media/{quote(str(media_root / name))}").status_code == 404
    assert client.get(f"/media/{quote(str(media_root / name).lstrip('/'))}").status_code == 404


def test_a_file_no_record_owns_is_not_served(client, town, media_root, admin_of_town):
    names = [
        on_disk(media_root, "evidence/2026/orphan.pdf"),
        on_disk(media_root, "notes/readme.txt", b"left here by hand"),
        on_disk(media_root, "projects/2026/old-contract.pdf"),
    ]
    sign_in(client, admin_of_town)
    for name in names:
        assert client.get(f"/media/{name}").status_code == 404, name


def test_a_public_project_document_is_served_to_anyone_with_safe_headers(client, town, media_root):
    name = project_document(town, media_root)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 public"
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="contract.pdf"'
    assert "Last-Modified" in response
    again = client.get(f"/media/{name}", headers={"If-Modified-Since": response["Last-Modified"]})
    assert again.status_code == 304


def test_a_published_evidence_is_public_and_an_unpublished_one_private_for_its_staff(
    client, town, media_root
):
    name = unpublished_evidence(town, media_root)
    sign_in(client, MembershipFactory(municipality=town, role=Role.VERIFIER).user)
    assert client.get(f"/media/{name}")["Cache-Control"] == "private, no-store"
    sign_in(
        client, MembershipFactory(municipality=MunicipalityFactory(slug="karlovo"), role=Role.VERIFIER).user
    )
    assert client.get(f"/media/{name}").status_code == 404  # staff of another municipality

    Measurement.objects.filter(evidence=name).update(state="published")
    client.logout()
    response = client.get(f"/media/{name}")
    assert response.status_code == 200 and response["Cache-Control"].startswith("public, max-age=")


def test_a_published_value_of_a_draft_plan_keeps_its_evidence_private(client, town, media_root):
    element = PlanElementFactory(plan=PlanFactory(municipality=town, status="draft"))
    name = on_disk(media_root, "evidence/2026/draft-plan.pdf")
    MeasurementFactory(indicator=IndicatorFactory(element=element), state="published", evidence=name)
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    "stored", ["page.html", "page.htm", "drawing.svg", "page.xhtml", "feed.xml", "script.js", "no-extension"]
)
def test_a_file_that_could_run_script_is_only_ever_downloaded(client, town, media_root, stored):
    name = project_document(
        town, media_root, name=f"projects/2026/{stored}", data=b"<script>alert(1)</script>"
    )
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_spreadsheet_is_downloaded_with_its_type_and_name(client, town, media_root):
    name = project_document(
        town, media_root, name="projects/2026/0123456789abcdef-бюджет.xlsx", data=b"PK\x03\x04"
    )
    response = client.get(f"/media/{quote(name)}")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82.xlsx"
    )


def test_a_symlink_never_leads_outside_media_root(client, town, media_root, tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(SECRET)
    (media_root / "projects").mkdir()
    (media_root / "projects" / "link.pdf").symlink_to(outside)
    (media_root / "projects" / "folder").symlink_to(tmp_path)

    project = ProjectFactory(municipality=town)
    for name in ("projects/link.pdf", "projects/folder/secret.pdf"):
        ProjectDocument.objects.create(project=project, title_bg="Връзка", file=name)
        assert client.get(f"/media/{name}").status_code == 404, name


def test_only_reading_is_allowed(client, town, media_root):
    name = project_document(town, media_root)
    assert client.head(f"/media/{name}").status_code == 200
    assert client.post(f"/media/{name}").status_code == 405


def test_with_accel_redirect_the_web_server_sends_the_bytes(
    client, town, media_root, settings, admin_of_town
):
    settings.CIVITAS_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    name = project_document(town, media_root, name="projects/2026/0123456789abcdef-договор.pdf")
    response = client.get(f"/media/{quote(name)}")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + quote(name)
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("public, max-age=")
    private = unpublished_evidence(town, media_root)
    assert client.get(f"/media/./{private}").status_code == 404
    assert client.get(f"/media/{private}").status_code == 404
    sign_in(client, admin_of_town)
    response = client.get(f"/media/{private}")
    assert response["X-Accel-Redirect"] == f"/protected-media/{private}"
    settings.CIVITAS_MEDIA_ACCEL_REDIRECT = "protected-media"  # the slashes are optional
    assert client.get(f"/media/{private}")["X-Accel-Redirect"] == f"/protected-media/{private}"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b""


def test_a_media_request_runs_a_fixed_number_of_queries(
    client, town, media_root, admin_of_town, django_assert_num_queries
):
    public = project_document(town, media_root)
    private = unpublished_evidence(town, media_root)
    sign_in(client, admin_of_town)

    def counted():
        # one query per kind of owner record (two for consultations, one for the publicity
        # register's three); for a private file, the session, the user and their roles in its municipality
        with django_assert_num_queries(10):
            assert client.get(f"/media/{public}").status_code == 200
        with django_assert_num_queries(10 + 3):
            assert client.get(f"/media/{private}").status_code == 200

    counted()
    element = PlanElementFactory(plan=PlanFactory(municipality=town))
    for n in range(15):
        on_disk(media_root, f"evidence/2026/more-{n}.pdf")
        MeasurementFactory(
            indicator=IndicatorFactory(element=element), year=2000 + n, evidence=f"evidence/2026/more-{n}.pdf"
        )
        project_document(town, media_root, name=f"projects/2026/more-{n}.pdf")
    counted()


def test_every_file_field_has_an_owner_that_finds_its_record_by_index():
    """A new FileField needs its app's *_access selector in portal.media.OWNERS (until then its
    files answer 404) and an index, so that a download never scans a table."""
    fields = {
        (model._meta.label, field.name): field
        for model in apps.get_models()
        if model.__module__.startswith("civitas.")
        for field in model._meta.fields
        if isinstance(field, FileField)
    }
    assert set(fields) == {
        ("indicators.Measurement", "evidence"),
        ("consultations.Consultation", "document"),
        ("consultations.Proposal", "attachment"),
        ("forum.Post", "photo"),
        ("projects.ProjectDocument", "file"),
        ("core.Municipality", "logo"),
        ("council.Decision", "document"),
        ("evaluations.Evidence", "file"),
        ("publicity.PublicityEvent", "minutes"),
        ("publicity.EventPhoto", "file"),
        ("publicity.PublicityMaterial", "file"),
        ("reports.ReportFile", "file"),
    }
    assert [name for name, field in fields.items() if not field.db_index] == []
    assert [owner.__name__ for owner in media.OWNERS] == [
        "evidence_access",
        "file_access",
        "photo_access",
        "document_access",
        "logo_access",
        "decision_access",
        "evidence_file_access",
        "file_access",
        "report_file_access",
    ]
