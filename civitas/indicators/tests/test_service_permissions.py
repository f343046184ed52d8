"""The role × service matrix of indicators: every service that takes an actor (services.py,
imports.py, tasks.py), called by every kind of caller, succeeds for those ``policy`` allows and
refuses the others with PermissionDenied."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civitas.core.models import Role
from civitas.core.permissions import Action
from civitas.indicators import bulk, imports, services, tasks
from civitas.indicators.models import Indicator, Measurement, StatusOverride
from civitas.indicators.passport import IndicatorPassport
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
    UserFactory,
)
from civitas.testing.service_matrix import ServiceCase, World, assert_covers, build_world, check

pytestmark = pytest.mark.django_db

PASSPORT = dict(
    name_bg="Нощувки", type="result", measure="number", direction="increase", accumulation="per_period",
    frequency="annual", baseline_value=Decimal(1000), baseline_year=2013,
)  # fmt: skip


@pytest.fixture
def world() -> World:
    world = build_world()
    plan = PlanFactory(municipality=world.municipality, period_start=2014, period_end=2020)
    element = PlanElementFactory(plan=plan)
    # Owned by the indicator owner of the world; another one without owner.
    IndicatorFactory(element=element, code="OWNED", owner=world.actors[Role.INDICATOR_OWNER])
    IndicatorFactory(element=element, code="FREE", owner=None)
    TargetFactory(indicator=Indicator.objects.get(code="OWNED"), year=2020, value=Decimal(200))
    return world


def _indicator(code: str) -> Indicator:
    return Indicator.objects.select_related("municipality", "element__plan").get(code=code)


def _value(state: str) -> Measurement:
    """A value of the owned indicator that someone outside the matrix typed."""
    typist = UserFactory(username="typist")
    measurement = MeasurementFactory(indicator=_indicator("OWNED"), year=2016, state=state, entered_by=typist)
    measurement.typed_by.add(typist)
    return measurement


def _override() -> StatusOverride:
    """A verifier's earlier status for 2016 of the owned indicator."""
    return StatusOverride.objects.create(
        indicator=_indicator("OWNED"),
        year=2016,
        status="off_track",
        reason_bg="Проверка",
        decided_on="2017-03-01",
    )


def _owner_only(world: World, name: str) -> bool:
    """The indicator's owner, and a superuser: policy.can_enter for an indicator with an owner."""
    return name in (Role.INDICATOR_OWNER, "superuser")


def _ok(result):
    """An allowed call must succeed: a report of refused rows or values is a failure."""
    errors = result if isinstance(result, dict) else getattr(result, "errors", [])
    assert not errors, errors
    return result


CSV = b"indicator_code,period,value\nFREE,2016,5\n"

SERVICE_CASES = {
    "indicator_create": ServiceCase(
        call=lambda world, actor: services.indicator_create(
            actor=actor,
            municipality=world.municipality,
            element=_indicator("OWNED").element,
            targets=[{"year": 2020, "value": 2000, "is_final": True}],
            passport=IndicatorPassport(**{**PASSPORT, "code": "NEW"}),
        ),  # fmt: skip
        allowed=Action.EDIT_PLAN,
    ),
    "indicator_update": ServiceCase(
        call=lambda world, actor: services.indicator_update(
            actor=actor,
            indicator=(found := _indicator("OWNED")),
            expected_version=1,
            passport=replace(IndicatorPassport.of(found), name_bg="Ново име"),
        ),  # fmt: skip
        allowed=Action.EDIT_PLAN,
    ),
    "indicator_edit": ServiceCase(
        call=lambda world, actor: services.indicator_edit(
            actor=actor,
            indicator=_indicator("OWNED"),
            expected_version=1,
            passport=replace(IndicatorPassport.of(_indicator("OWNED")), name_bg="Ново име"),
            targets=[{"year": 2020, "value": 250, "is_final": True}],
            reason="нова стратегия",
        ),  # fmt: skip
        allowed=Action.EDIT_PLAN,
    ),
    "target_set": ServiceCase(
        call=lambda world, actor: services.target_set(
            actor=actor, indicator=_indicator("OWNED"), year=2017, value=150
        ),
        allowed=Action.EDIT_PLAN,
    ),
    "measurement_save": ServiceCase(
        call=lambda world, actor: services.measurement_save(
            actor=actor, indicator=_indicator("OWNED"), year=2016, value="5", submit=True
        ),
        allowed=_owner_only,
    ),
    "measurements_save_many": ServiceCase(
        call=lambda world, actor: _ok(
            services.measurements_save_many(
                actor=actor,
                municipality=world.municipality,
                items=[services.MeasurementInput(indicator=_indicator("FREE"), year=2016, value="5")],
            )  # fmt: skip
        ),
        allowed=Action.ENTER_MEASUREMENT,
    ),
    "measurement_submit": ServiceCase(
        call=lambda world, actor: services.measurement_submit(actor=actor, measurement=_value("draft")),
        allowed=_owner_only,
    ),
    "measurement_correct": ServiceCase(
        call=lambda world, actor: services.measurement_correct(
            actor=actor, measurement=_value("published"), value="160", reason="НСИ коригира"
        ),
        allowed=_owner_only,
    ),
    "measurement_return": ServiceCase(
        call=lambda world, actor: services.measurement_return(
            actor=actor, measurement=_value("submitted"), note="Провери НСИ"
        ),
        allowed=Action.VERIFY_MEASUREMENT,
    ),
    "measurement_approve": ServiceCase(
        call=lambda world, actor: services.measurement_approve(
            actor=actor, measurement=_value("submitted"), publish=True
        ),
        allowed=Action.VERIFY_MEASUREMENT,
    ),
    "measurement_publish": ServiceCase(
        call=lambda world, actor: services.measurement_publish(actor=actor, measurement=_value("approved")),
        allowed=Action.VERIFY_MEASUREMENT,
    ),
    "measurements_publish_from_document": ServiceCase(
        call=lambda world, actor: _ok(
            services.measurements_publish_from_document(
                actor=actor,
                municipality=world.municipality,
                items=[services.MeasurementInput(indicator=_indicator("OWNED"), year=2016, value=Decimal(5))],
                evidence_url="https://sopot.example/report-2016.pdf",
            )
        ),
        allowed=Action.VERIFY_MEASUREMENT,
    ),
    "override_set": ServiceCase(
        call=lambda world, actor: services.override_set(
            actor=actor,
            indicator=_indicator("OWNED"),
            year=2016,
            status="at_risk",
            reason_bg="Данните за 2016 г. са непълни",
            expected_version=0,
        ),  # fmt: skip
        allowed=Action.VERIFY_MEASUREMENT,
    ),
    "override_remove": ServiceCase(
        call=lambda world, actor: services.override_remove(
            actor=actor, indicator=_indicator("OWNED"), year=2016, expected_version=_override().pk
        ),
        allowed=Action.VERIFY_MEASUREMENT,
    ),
}

IMPORT_CASES = {
    "import_measurements": ServiceCase(
        call=lambda world, actor: _ok(
            imports.import_measurements(actor=actor, municipality=world.municipality, data=CSV)
        ),
        allowed=Action.ENTER_MEASUREMENT,
    ),
    "import_published_measurements": ServiceCase(
        call=lambda world, actor: _ok(
            imports.import_published_measurements(
                actor=actor,
                municipality=world.municipality,
                data=CSV,
                evidence_url="https://sopot.example/report-2016.pdf",
            )
        ),
        allowed=Action.VERIFY_MEASUREMENT,
    ),
}

TASK_CASES = {
    "import_upload": ServiceCase(
        call=lambda world, actor: _ok(
            tasks.import_upload(
                actor=actor,
                municipality=world.municipality,
                file_name="values.csv",
                data=CSV,
                submit=False,
                language="bg",
            )  # fmt: skip
        ),
        allowed=Action.ENTER_MEASUREMENT,
    ),
    "import_job_create": ServiceCase(
        call=lambda world, actor: tasks.import_job_create(
            actor=actor,
            municipality=world.municipality,
            file_name="values.csv",
            data=CSV,
            submit=False,
            language="bg",
        ),  # fmt: skip
        allowed=Action.ENTER_MEASUREMENT,
    ),
}

# indicators.bulk, what plan files need (added with them).
BULK_CASES = {
    "indicator_links_set": ServiceCase(
        call=lambda world, actor: bulk.indicator_links_set(
            actor=actor,
            indicator=_indicator("FREE"),
            year_to_date=True,
            also_element_ids=[PlanElementFactory(plan=_indicator("FREE").element.plan).pk],
        ),  # fmt: skip
        allowed=Action.EDIT_PLAN,
    ),
    "measurement_record_published": ServiceCase(
        call=lambda world, actor: bulk.measurement_record_published(
            actor=actor, indicator=_indicator("FREE"), year=2017, value=5, source="report.yaml"
        ),
        allowed=Action.VERIFY_MEASUREMENT,
    ),
}

MODULES = [(services, SERVICE_CASES), (imports, IMPORT_CASES), (tasks, TASK_CASES), (bulk, BULK_CASES)]
ALL_CASES = [(module.__name__, name, case) for module, cases in MODULES for name, case in cases.items()]


@pytest.mark.parametrize("module, cases", MODULES, ids=[module.__name__ for module, _cases in MODULES])
def test_every_service_has_a_case(module, cases):
    assert_covers(module, cases)


@pytest.mark.parametrize("module, name, case", ALL_CASES, ids=[f"{m}.{n}" for m, n, _c in ALL_CASES])
def test_service_permissions(world, module, name, case):
    check(world, case, name)


def test_a_verifier_who_typed_a_value_may_not_approve_it(world):
    """Beside the role, the rule of policy.require_review: whoever typed the value is refused, with
    the reason on the review form (the role matrix above has the value typed by someone else)."""
    measurement = _value("submitted")
    measurement.typed_by.add(world.actors[Role.VERIFIER])
    with translation.override("en"), pytest.raises(ValidationError, match="cannot approve or return it"):
        services.measurement_approve(actor=world.actors[Role.VERIFIER], measurement=measurement)
