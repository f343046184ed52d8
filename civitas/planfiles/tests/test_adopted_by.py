"""The body that adopted a plan, in both languages: read as text (Bulgarian only, files before the
English twin) or {bg, en}, and written back the same way."""

import pytest
import yaml

from civitas.core.permissions import OPERATOR
from civitas.planfiles.imports import planfile_export, planfile_import
from civitas.testing.factories import MunicipalityFactory

from .test_planfile import GOOD

pytestmark = pytest.mark.django_db


def _import(text: str):
    return planfile_import(
        actor=OPERATOR, municipality=MunicipalityFactory(), data=text.encode(), name="p.yaml"
    ).plan


def _with_adopted_by(value: str) -> str:
    assert "  period:" in GOOD
    return GOOD.replace("  period:", f"  adopted_by: {value}\n  period:", 1)


def test_adopted_by_as_text_stays_bulgarian_only_and_is_written_as_text():
    plan = _import(_with_adopted_by("Общински съвет – Сопот"))
    assert (plan.adopted_by_bg, plan.adopted_by_en) == ("Общински съвет – Сопот", "")
    assert yaml.safe_load(planfile_export(plan))["plan"]["adopted_by"] == "Общински съвет – Сопот"


def test_adopted_by_in_both_languages_round_trips():
    plan = _import(_with_adopted_by("{bg: Общински съвет – Сопот, en: Sopot Municipal Council}"))
    assert (plan.adopted_by_bg, plan.adopted_by_en) == ("Общински съвет – Сопот", "Sopot Municipal Council")
    assert yaml.safe_load(planfile_export(plan))["plan"]["adopted_by"] == {
        "bg": "Общински съвет – Сопот",
        "en": "Sopot Municipal Council",
    }
