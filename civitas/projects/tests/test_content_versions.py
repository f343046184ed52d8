"""Which public content a write to projects changes (core.content): every project is public, so
every write moves the planning version; forum topics about a project name and link it, so its
title, address and deletion move the participation version too."""

import pytest

from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR
from civitas.projects import services
from civitas.testing.factories import MunicipalityFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(municipality=MunicipalityFactory(slug="sopot"))


def moved(project, call) -> tuple[bool, bool]:
    """(planning moved, participation moved) by ``call``."""

    def versions():
        town = Municipality.objects.get(pk=project.municipality_id)
        return town.planning_version, town.participation_version

    before = versions()
    call()
    after = versions()
    return after[0] != before[0], after[1] != before[1]


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"progress": 70}, (True, False)),
        ({"title_bg": "Ново заглавие"}, (True, True)),
        ({"slug": "new-address"}, (True, True)),
    ],
)
def test_editing_a_project(project, fields, expected):
    update = lambda: services.project_update(  # noqa: E731
        actor=OPERATOR, project=project, expected_version=project.version, **fields
    )
    assert moved(project, update) == expected


def test_a_projects_parts_show_on_its_page(project):
    add = lambda: services.partner_add(actor=OPERATOR, project=project, name_bg="Партньор")  # noqa: E731
    assert moved(project, add) == (True, False)


def test_deleting_a_project_unlinks_its_forum_topics(project):
    assert moved(project, lambda: services.project_delete(actor=OPERATOR, project=project)) == (True, True)
