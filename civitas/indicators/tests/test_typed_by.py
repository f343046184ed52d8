"""Who typed a value is a field of the value (Measurement.typed_by): the services fill it, the rule
"whoever typed a value never approves or returns it" reads it (not the audit log), and the
migration filled it for the values entered before, from the audit log."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from civitas.core.models import AuditEvent, Role
from civitas.indicators import imports, services
from civitas.indicators.models import Measurement
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module("civitas.indicators.migrations.0008_measurement_typed_by")


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def indicator(town):
    element = PlanElementFactory(plan=PlanFactory(municipality=town, period_start=2014, period_end=2020))
    return IndicatorFactory(element=element, owner=None, code="T1")


def staff(town, username, *roles):
    user = UserFactory(username=username)
    for role in roles:
        MembershipFactory(user=user, municipality=town, role=role)
    return user


def test_every_way_of_typing_a_value_records_the_typist(town, indicator):
    first = staff(town, "first", Role.INDICATOR_OWNER)
    second = staff(town, "second", Role.INDICATOR_OWNER)
    third = staff(town, "third", Role.INDICATOR_OWNER)
    verifier = staff(town, "verifier", Role.VERIFIER)
    m = services.measurement_save(actor=first, indicator=indicator, year=2016, value="5")
    csv = b"indicator_code,period,value\nT1,2016,6\n"
    assert imports.import_measurements(actor=second, municipality=town, data=csv, submit=True).ok
    m.refresh_from_db()
    services.measurement_approve(actor=verifier, measurement=m, publish=True)
    services.measurement_correct(actor=third, measurement=m, value="7", reason="НСИ коригира")
    assert set(Measurement.objects.get(pk=m.pk).typed_by.values_list("username", flat=True)) == {
        "first", "second", "third",
    }  # fmt: skip


def test_the_rule_holds_without_the_audit_log(town, indicator):
    """The audit log is written, never read for the decision: with it emptied, whoever typed the
    value is still refused."""
    first = staff(town, "first", Role.INDICATOR_OWNER, Role.VERIFIER)
    second = staff(town, "second", Role.INDICATOR_OWNER)
    m = services.measurement_save(actor=first, indicator=indicator, year=2016, value="5")
    m = services.measurement_save(
        actor=second, indicator=indicator, year=2016, value="5", expected_version=m.version, submit=True
    )
    AuditEvent.objects.all().delete()
    with pytest.raises(ValidationError):
        services.measurement_approve(actor=first, measurement=m)
    assert Measurement.objects.get(pk=m.pk).state == "submitted"


def test_the_migration_fills_it_from_the_audit_log(town, indicator):
    typed, changed, corrected, approver, saved_last = (
        UserFactory(username=name) for name in ("typed", "changed", "corrected", "approver", "last")
    )
    m = MeasurementFactory(
        indicator=indicator, year=2016, value=Decimal(5), state="submitted", entered_by=saved_last
    )
    other = MeasurementFactory(indicator=indicator, year=2017, value=Decimal(6), state="draft")
    label = "indicators.measurement"
    for actor, action, obj in [
        (typed, "create", m), (changed, "update", m), (corrected, "correct", m), (approver, "approve", m),
        (None, "update", m), (typed, "create", other),
    ]:  # fmt: skip
        AuditEvent.objects.create(
            actor=actor, action=action, object_type=label, object_id=str(obj.pk), object_repr=str(obj)
        )
    AuditEvent.objects.create(actor=approver, action="create", object_type=label, object_id="999999")  # gone
    AuditEvent.objects.create(actor=approver, action="create", object_type="plans.plan", object_id=str(m.pk))
    migration.fill_typed_by(apps, None)
    migration.fill_typed_by(apps, None)  # run again: nothing doubled
    assert set(m.typed_by.values_list("username", flat=True)) == {"typed", "changed", "corrected", "last"}
    assert list(other.typed_by.values_list("username", flat=True)) == ["typed"]
