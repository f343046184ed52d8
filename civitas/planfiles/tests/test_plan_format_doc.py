"""The complete example of docs/plan-format.md imports as it stands there, and round-trips."""

import re
from pathlib import Path

import pytest
import yaml

from civitas.core.models import Role
from civitas.core.permissions import OPERATOR
from civitas.indicators.models import Indicator, Measurement, StatusOverride
from civitas.planfiles import planfile
from civitas.planfiles.imports import planfile_export, planfile_import
from civitas.plans.models import FinancialLine
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[3] / "docs" / "plan-format.md"


def example() -> str:
    """The YAML block under "A complete example"."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## A complete example", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def test_the_example_uses_every_field_of_the_format():
    """Each field the format knows appears in the example (a field added to the format without an
    example fails here)."""
    document = yaml.safe_load(example())
    used: set[str] = set()
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            used.update(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    # Keys of free-form mappings (breakdowns, GeoJSON) aside, every key of the format is used.
    every = {key for keys in planfile.KEYS.values() for key in keys}
    assert every - used == set()


def test_the_example_imports_and_round_trips():
    town = MunicipalityFactory(slug="sopot")
    UserFactory(username="i.petrova")
    verifier = MembershipFactory(municipality=town, role=Role.VERIFIER).user
    result = planfile_import(
        actor=OPERATOR, municipality=town, data=example().encode(), name="piro.yaml", verifier=verifier,
        skip_missing_plans=True,
    )  # fmt: skip
    assert result.skipped_links == ["goals[0].projects[0].also_contributes_to[0]: strategia-turizam/СЦ1"]
    assert (result.elements, result.projects_created, result.indicators, result.values) == (3, 1, 5, 5)
    assert StatusOverride.objects.count() == 1 and FinancialLine.objects.count() == 3
    assert Indicator.objects.get(code="I-1.3").year_to_date
    assert Measurement.objects.filter(approved_by=verifier).count() == 5
    exported = planfile_export(result.plan)
    other = MunicipalityFactory()
    again = planfile_import(
        actor=OPERATOR, municipality=other, data=exported.encode(),
        verifier=MembershipFactory(municipality=other, role=Role.VERIFIER).user,
    )  # fmt: skip
    assert planfile_export(again.plan) == exported
