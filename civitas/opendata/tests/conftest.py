import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from civitas.consultations.models import Consultation, ConsultationStatus
from civitas.core.cache import ProcessCache
from civitas.testing.factories import MunicipalityFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    ProcessCache.clear_all()
    yield
    cache.clear()
    ProcessCache.clear_all()


@pytest.fixture
def town(db):
    return MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot", email="obshtina@sopot.example")


def make_consultation(municipality, *, slug, plan=None, status=ConsultationStatus.OPEN, days=30, **fields):
    now = timezone.now()
    return Consultation.objects.create(
        municipality=municipality, slug=slug, title_bg=f"Консултация {slug}", title_en=f"Consultation {slug}",
        summary_bg="Кратко описание; с, запетаи", plan=plan, status=status,
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=days), **fields,
    )  # fmt: skip
