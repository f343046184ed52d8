"""The Sopot demo's sample decisions: recorded once, marked as sample, each plan slug a demo plan's."""

import pathlib

import pytest
import yaml

from civitas.council.models import Decision
from civitas.demo.council import SAMPLE_DECISIONS, load_decisions
from civitas.testing.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

DATA = pathlib.Path(__file__).resolve().parents[2] / "demo" / "data"


def test_the_sample_decisions_are_recorded_once_as_sample_data():
    town = MunicipalityFactory(slug="sopot")
    first = load_decisions(town)
    again = load_decisions(town)
    assert [d.pk for d in first] == [d.pk for d in again]
    assert Decision.objects.filter(municipality=town, is_sample=True).count() == len(SAMPLE_DECISIONS) == 4
    example = Decision.objects.get(municipality=town, year=2016, number=42)
    assert (example.protocol_number, example.session_kind, example.date.isoformat()) == (
        7,
        "regular",
        "2016-04-20",
    )


def test_each_adopted_plan_is_a_demo_plan():
    slugs = {yaml.safe_load(path.read_text())["plan"]["slug"] for path in DATA.glob("*.yaml")}
    adopted = {sample.plan_slug for sample in SAMPLE_DECISIONS if sample.plan_slug}
    assert (
        adopted
        == slugs
        == {"opr-2014-2020", "strategia-gradoustroistvo-zhilishta", "pravila-monitoring-ocenka"}
    )
