import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from civitas.consultations import services
from civitas.consultations.models import Paragraph
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory

DRAFT = """Увод към проекта.

# Първи раздел

Първи абзац на първия раздел.

Втори абзац на първия раздел.

# Втори раздел

Единствен абзац на втория раздел."""


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sopot(db):
    return MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot")


@pytest.fixture
def planner(sopot):
    return MembershipFactory(municipality=sopot, role="planner").user


@pytest.fixture
def moderator(sopot):
    return MembershipFactory(municipality=sopot, role="moderator").user


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen")


def build_consultation(municipality, actor, *, slug="draft", days=30, open_=True, **fields):
    """A consultation planned to open a day ago, opened now for ``days`` days, with the DRAFT text:
    sections: 1 (opening, 1 paragraph), 2 „Първи раздел“ (2 paragraphs), 3 „Втори раздел“ (1)."""
    now = timezone.now()
    opens = now - datetime.timedelta(days=1)
    consultation = services.consultation_create(
        actor=actor, municipality=municipality, slug=slug, title_bg="Проект на наредба", title_en="Draft ordinance",
        opens_at=opens, closes_at=now + datetime.timedelta(days=days), **fields,
    )  # fmt: skip
    services.draft_replace_text(actor=actor, consultation=consultation, text_bg=DRAFT)
    if open_:
        services.consultation_open(actor=actor, consultation=consultation, now=now)
    consultation.refresh_from_db()
    return consultation


def paragraphs(consultation):
    return list(
        Paragraph.objects.filter(section__consultation=consultation).order_by("section__position", "position")
    )


@pytest.fixture
def consultation(sopot, planner):
    return build_consultation(sopot, planner)
