"""Sopot, a citizen and the citizen's topic, for the forum's tests."""

import pytest

from civitas.forum import services
from civitas.testing.factories import MunicipalityFactory, UserFactory


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def citizen():
    return UserFactory(username="citizen", email="citizen@example.org")


@pytest.fixture
def topic(town, citizen):
    return services.topic_create(
        actor=citizen, municipality=town, title="Велоалеята", body="Кога ще е готова?"
    )
