import pytest
from django.core.exceptions import ValidationError

from civitas.core.errors import ConflictError
from civitas.core.permissions import OPERATOR
from civitas.core.services import bump_version, municipality_create
from civitas.testing.factories import MunicipalityFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_municipality_slug_taken_or_reserved_is_refused():
    MunicipalityFactory(slug="sopot")
    with pytest.raises(ValidationError) as taken:
        municipality_create(actor=OPERATOR, slug="sopot", name_bg="Община Сопот")
    assert "slug" in taken.value.message_dict
    with pytest.raises(ValidationError) as reserved:
        municipality_create(actor=OPERATOR, slug="admin", name_bg="Админ")
    assert "slug" in reserved.value.message_dict
    from civitas.core.models import Municipality

    assert Municipality.objects.count() == 1


def test_bump_version_refuses_a_stale_editor():
    project = ProjectFactory()
    first, second = type(project).objects.get(pk=project.pk), type(project).objects.get(pk=project.pk)
    bump_version(instance=first, expected_version=1)
    assert first.version == 2
    with pytest.raises(ConflictError):
        bump_version(instance=second, expected_version=1)
    project.refresh_from_db()
    assert project.version == 2


def test_csp_header_on_public_pages(client):
    MunicipalityFactory(slug="sopot")
    response = client.get("/sopot/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
