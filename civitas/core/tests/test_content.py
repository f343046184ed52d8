"""Content versions: services say which public content they changed, and cached pages and
evaluations keyed by one area's version survive a change to another."""

import datetime

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from civitas.core import content
from civitas.core.cache import cached_public_page
from civitas.core.content import Content
from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR, Action, can
from civitas.core.services import audit_record
from civitas.testing.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def _fresh(municipality):
    return Municipality.objects.get(pk=municipality.pk)


def test_changed_moves_only_the_areas_named():
    town = MunicipalityFactory()
    content.changed(town, Content.PARTICIPATION)
    town = _fresh(town)
    assert (town.planning_version, town.participation_version) == (1, 2)
    content.changed(town, Content.PLANNING, Content.PARTICIPATION)
    town = _fresh(town)
    assert (town.planning_version, town.participation_version) == (2, 3)


def test_changed_requires_an_area():
    with pytest.raises(ValueError):
        content.changed(MunicipalityFactory())


def test_the_audit_log_does_not_invalidate_anything():
    town = MunicipalityFactory()
    audit_record(actor=None, municipality=town, action="update", obj=town)
    town = _fresh(town)
    assert (town.planning_version, town.participation_version) == (1, 1)


def _counting_page(reads):
    calls = []

    def view(request, municipality):
        calls.append(1)
        return HttpResponse(f"rendered {len(calls)}")

    return cached_public_page(view, reads=reads), calls


@pytest.mark.parametrize(
    ("reads", "change", "rendered_again"),
    [
        ((Content.PLANNING,), Content.PARTICIPATION, False),
        ((Content.PLANNING,), Content.PLANNING, True),
        ((Content.PLANNING, Content.PARTICIPATION), Content.PARTICIPATION, True),
    ],
)
def test_a_cached_page_is_rendered_again_only_when_what_it_reads_changed(reads, change, rendered_again):
    town = MunicipalityFactory()
    page, calls = _counting_page(reads)
    request = RequestFactory().get("/page/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    page(request, _fresh(town))
    page(request, _fresh(town))
    assert len(calls) == 1  # the second visit came from the cache
    content.changed(town, change)
    page(request, _fresh(town))
    assert len(calls) == (2 if rendered_again else 1)


def test_the_operator_acts_as_a_platform_superuser_and_is_recorded_as_nobody():
    town = MunicipalityFactory()
    assert all(can(OPERATOR, town, action) for action in Action)
    event = audit_record(actor=OPERATOR, municipality=town, action="update", obj=town)
    assert event.actor is None


def test_a_cached_page_is_rendered_again_the_next_day(monkeypatch):
    """Pages say what is overdue, open or closed as of today: yesterday's copy is not served."""
    town = MunicipalityFactory()
    page, calls = _counting_page((Content.PLANNING,))
    request = RequestFactory().get("/page/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    page(request, _fresh(town))
    page(request, _fresh(town))
    assert len(calls) == 1
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    page(request, _fresh(town))
    assert len(calls) == 2
