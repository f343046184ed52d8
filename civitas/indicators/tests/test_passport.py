"""The passport's fields are named once (passport.IndicatorPassport): the form, the services and the
export's passports table all take them from there."""

import inspect
from dataclasses import MISSING, fields
from decimal import Decimal

import pytest
from django.utils import translation

from civitas.core.permissions import OPERATOR
from civitas.evaluation.engine import Direction, Frequency, Measure
from civitas.indicators import exports, forms, services
from civitas.indicators.models import Indicator, IndicatorType
from civitas.indicators.passport import EXPORT_COLUMNS, PASSPORT_FIELDS, IndicatorPassport
from civitas.testing.factories import (
    IndicatorFactory,
    MembershipFactory,
    PlanElementFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_every_passport_field_is_a_column_of_the_model_with_the_same_default():
    for f in fields(IndicatorPassport):
        column = Indicator._meta.get_field(f.name)
        if f.default is not MISSING:
            assert f.default == (column.get_default() if column.has_default() else f.default), f.name
            if not column.has_default():
                assert f.default in ("", None), f.name  # a blank text or an empty number
        elif f.default_factory is not MISSING:
            assert f.default_factory() == column.get_default(), f.name


def test_the_form_asks_for_the_passport_fields_in_their_order():
    form = forms.PassportForm(municipality=None, attach_choices=[])
    asked = [name for name in PASSPORT_FIELDS if name != "disaggregation"]
    assert list(form.fields)[: len(asked)] == asked
    assert "disaggregation_text" in form.fields  # the disaggregation, typed as text


def test_the_form_builds_the_passport_the_services_take():
    element = PlanElementFactory(plan=PlanFactory(period_start=2014, period_end=2020))
    owner = UserFactory()
    MembershipFactory(user=owner, municipality=element.plan.municipality, role="indicator_owner")
    data = {
        "attached_to": f"element:{element.pk}", "code": "N-1", "name_bg": "Нощувки", "type": "result",
        "measure": "percentage", "direction": "maintain", "tolerance": "2", "accumulation": "latest",
        "frequency": "quarterly", "baseline_value": "40", "baseline_year": "2013", "weight": "2",
        "position": "3", "owner": str(owner.pk), "data_source_bg": "НСИ",
        "disaggregation_text": "settlement | Населено място | Settlement: sopot = Сопот | Sopot",
    }  # fmt: skip
    form = forms.PassportForm(
        data, municipality=element.plan.municipality, attach_choices=[(f"element:{element.pk}", "1")]
    )
    assert form.is_valid(), form.errors
    passport = form.passport()
    assert form.service_fields() == {"passport": passport}
    assert (passport.measure, passport.direction, passport.accumulation, passport.frequency) == (
        Measure.PERCENTAGE, Direction.MAINTAIN, "latest", Frequency.QUARTERLY,
    )  # fmt: skip
    assert passport.type is IndicatorType.RESULT and passport.owner == owner
    assert passport.disaggregation[0]["categories"][0]["key"] == "sopot"
    made = services.indicator_create(
        actor=OPERATOR, municipality=element.plan.municipality, element=element, passport=passport
    )
    assert IndicatorPassport.of(Indicator.objects.get(pk=made.pk)) == passport


def test_the_services_take_the_passport_not_its_fields():
    for service in (services.indicator_create, services.indicator_update, services.indicator_edit):
        parameters = inspect.signature(service).parameters
        assert parameters["passport"].annotation in (IndicatorPassport, "IndicatorPassport"), service
        assert not set(parameters) & set(PASSPORT_FIELDS), service
        assert all(p.kind is not p.VAR_KEYWORD for p in parameters.values()), service


def test_the_passport_checks_its_vocabularies():
    with pytest.raises(ValueError):
        IndicatorPassport(code="X", name_bg="X", type="result", direction="sideways")


def test_the_export_shows_the_passport_fields_except_those_it_leaves_out():
    shown = {column.attribute for column in EXPORT_COLUMNS}
    for f in fields(IndicatorPassport):
        export = f.metadata.get("export", f.name)
        if export is None:
            continue  # left out: the definitions, the owner, the position, the English half of a pair
        assert (f.metadata.get("translated") and export in shown) or f.name in shown, f.name
    header = exports.passports_header(None)  # type: ignore[arg-type]
    assert header[: len(EXPORT_COLUMNS)] == [column.name for column in EXPORT_COLUMNS]
    assert len(set(header)) == len(header)


def test_an_exported_passport_row_holds_the_indicator_fields():
    indicator = IndicatorFactory(
        code="N1", data_source_bg="НСИ", data_source_en="NSI", weight=Decimal("2.500"), is_sample=True,
        disaggregation=[{"key": "settlement", "name": {"bg": "Място"}, "categories": []}],
    )  # fmt: skip
    export = exports.indicators_export_set(municipality=indicator.municipality)
    with translation.override("en"):
        (row,) = [
            dict(zip(exports.passports_header(export), r, strict=True))
            for r in exports.passports_rows(export)
        ]
    assert (row["indicator_code"], row["name_bg"], row["data_source"], row["weight"], row["is_sample"]) == (
        "N1", indicator.name_bg, "NSI", Decimal("2.5"), "yes",
    )  # fmt: skip
    assert row["disaggregation"].startswith('[{"key": "settlement"')
    assert "owner" not in row and "definition_bg" not in row and "data_source_en" not in row
