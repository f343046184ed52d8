"""Fixtures shared by the tests of the staff pages of plans and projects and of the back office's
shell: Sopot with one plan (one goal) and one project. Used through ``pytest_plugins``."""

import pytest

from .factories import MunicipalityFactory, PlanElementFactory, PlanFactory, ProjectFactory


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def plan(town):
    plan = PlanFactory(municipality=town, slug="opr")
    PlanElementFactory(plan=plan, code="SG1")
    return plan


@pytest.fixture
def project(town):
    return ProjectFactory(municipality=town, code="P1", slug="p1")
