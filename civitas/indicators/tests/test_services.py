from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.core.models import AuditEvent, Role
from civitas.indicators import selectors, services
from civitas.indicators.models import Indicator, IndicatorChange, Measurement, MeasurementState, Target
from civitas.indicators.passport import IndicatorPassport
from civitas.testing.factories import (
    IndicatorFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def element(town):
    return PlanElementFactory(plan=PlanFactory(municipality=town, period_start=2014, period_end=2020))


def staff(town, role, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, municipality=town, role=role)
    return user


@pytest.fixture
def owner(town):
    return staff(town, Role.INDICATOR_OWNER, "owner")


@pytest.fixture
def verifier(town):
    return staff(town, Role.VERIFIER, "verifier")


@pytest.fixture
def planner(town):
    return staff(town, Role.PLANNER, "planner")


@pytest.fixture
def indicator(element, owner):
    return IndicatorFactory(element=element, owner=owner, code="T1")


PASSPORT = dict(
    code="T2", name_bg="Нощувки", name_en="Overnight stays", type="result", measure="number",
    direction="increase", accumulation="per_period", frequency="annual", baseline_value=Decimal("1000"),
    baseline_year=2013,
)  # fmt: skip


def test_indicator_create_with_targets(town, element, planner):
    indicator = services.indicator_create(
        actor=planner, municipality=town, element=element, targets=[{"year": 2020, "value": 2000, "is_final": True}],
        passport=IndicatorPassport(**PASSPORT),
    )  # fmt: skip
    assert indicator.targets.get().value == Decimal("2000")
    assert AuditEvent.objects.filter(action="create", object_type="indicators.indicator").count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"measure": "score", "scale_min": Decimal(5), "scale_max": Decimal(1)}, "scale_max"),
        ({"direction": "maintain", "tolerance": None}, "tolerance"),
        ({"baseline_value": None, "baseline_year": None}, "baseline_value"),
        ({"baseline_year": 2030}, "baseline_year"),
    ],
)
def test_bad_passport_is_refused_and_changes_nothing(town, element, change, field, planner):
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=planner,
            municipality=town,
            element=element,
            passport=IndicatorPassport(**{**PASSPORT, **change}),
        )
    assert field in error.value.message_dict
    assert Indicator.objects.count() == 0


def test_target_year_outside_plan_period_is_refused(town, element, planner):
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=planner, municipality=town, element=element, targets=[{"year": 2025, "value": 1}],
            passport=IndicatorPassport(**PASSPORT),
        )  # fmt: skip
    assert "2025" in str(error.value)
    assert Indicator.objects.count() == 0 and Target.objects.count() == 0


def test_element_of_another_municipality_is_refused(town, planner):
    foreign = PlanElementFactory(plan=PlanFactory(municipality=MunicipalityFactory(slug="karlovo")))
    with pytest.raises(ValidationError):
        services.indicator_create(
            actor=planner, municipality=town, element=foreign, passport=IndicatorPassport(**PASSPORT)
        )


def test_baseline_change_needs_a_reason_and_is_kept(indicator, planner):
    with pytest.raises(ValidationError):
        services.indicator_update(
            actor=planner, indicator=indicator, expected_version=1,
            passport=replace(IndicatorPassport.of(indicator), baseline_value=Decimal(90)),
        )  # fmt: skip
    services.indicator_update(
        actor=planner,
        indicator=indicator,
        expected_version=1,
        passport=replace(IndicatorPassport.of(indicator), baseline_value=Decimal(90)),
        reason="НСИ коригира",
    )
    change = IndicatorChange.objects.get()
    assert (change.field, change.old_value, change.new_value, change.reason) == (
        "baseline_value", "100", "90", "НСИ коригира",
    )  # fmt: skip


def test_target_change_needs_a_reason(indicator, planner):
    services.target_set(actor=planner, indicator=indicator, year=2020, value=200, is_final=True)
    with pytest.raises(ValidationError):
        services.target_set(actor=planner, indicator=indicator, year=2020, value=250, is_final=True)
    services.target_set(
        actor=planner, indicator=indicator, year=2020, value=250, is_final=True, reason="нова стратегия"
    )
    assert Target.objects.get().value == 250
    assert IndicatorChange.objects.get().period == "2020"


def test_workflow_enter_submit_approve_publish(indicator, owner, verifier):
    m = services.measurement_save(actor=owner, indicator=indicator, year=2016, value="150")
    assert m.state == MeasurementState.DRAFT
    services.measurement_submit(actor=owner, measurement=m)
    services.measurement_approve(actor=verifier, measurement=m)
    m = services.measurement_publish(actor=verifier, measurement=m)
    assert m.state == MeasurementState.PUBLISHED and m.approved_by == verifier


def test_return_needs_a_note_and_reopens_for_editing(indicator, owner, verifier):
    m = services.measurement_save(actor=owner, indicator=indicator, year=2016, value="150")
    services.measurement_submit(actor=owner, measurement=m)
    with pytest.raises(ValidationError):
        services.measurement_return(actor=verifier, measurement=m, note=" ")
    services.measurement_return(actor=verifier, measurement=m, note="Липсва източник")
    m = services.measurement_save(
        actor=owner, indicator=indicator, year=2016, value="155", expected_version=1
    )
    assert m.value == Decimal("155")


def test_the_person_who_entered_cannot_approve(indicator, town):
    both = staff(town, Role.INDICATOR_OWNER, "both")
    MembershipFactory(user=both, municipality=town, role=Role.VERIFIER)
    indicator.owner = both
    indicator.save()
    m = services.measurement_save(actor=both, indicator=indicator, year=2016, value="150")
    services.measurement_submit(actor=both, measurement=m)
    with pytest.raises(ValidationError):
        services.measurement_approve(actor=both, measurement=m)
    assert Measurement.objects.get().state == MeasurementState.SUBMITTED


def test_only_the_owner_enters_and_only_a_verifier_approves(indicator, town, owner, verifier):
    other_owner = staff(town, Role.INDICATOR_OWNER, "other")
    with pytest.raises(PermissionDenied):
        services.measurement_save(actor=other_owner, indicator=indicator, year=2016, value="1")
    with pytest.raises(PermissionDenied):
        services.measurement_save(actor=verifier, indicator=indicator, year=2016, value="1")
    m = services.measurement_save(actor=owner, indicator=indicator, year=2016, value="1")
    services.measurement_submit(actor=owner, measurement=m)
    with pytest.raises(PermissionDenied):
        services.measurement_approve(actor=other_owner, measurement=m)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"year": 2025, "value": "1"}, "period"),
        ({"year": 2016, "sub": 2, "value": "1"}, "period"),
        ({"year": 2016, "value": None}, "value"),
        ({"year": 2016, "value": "abc"}, "value"),
    ],
)
def test_bad_measurements_are_refused(indicator, owner, kwargs, field):
    with pytest.raises(ValidationError) as error:
        services.measurement_save(actor=owner, indicator=indicator, **kwargs)
    assert field in error.value.message_dict
    assert Measurement.objects.count() == 0


def test_percentage_with_zero_denominator_is_refused(indicator, owner):
    indicator.measure = "percentage"
    indicator.save()
    with pytest.raises(ValidationError) as error:
        services.measurement_save(actor=owner, indicator=indicator, year=2016, numerator=3, denominator=0)
    assert "denominator" in error.value.message_dict


def test_score_outside_scale_is_refused(indicator, owner):
    indicator.measure, indicator.scale_min, indicator.scale_max = "score", Decimal(1), Decimal(5)
    indicator.save()
    with pytest.raises(ValidationError):
        services.measurement_save(actor=owner, indicator=indicator, year=2016, value=6)
    assert services.measurement_save(actor=owner, indicator=indicator, year=2016, value=4).value == 4


def test_disaggregation_must_add_up(indicator, owner):
    indicator.disaggregation = [
        {"key": "settlement", "name": {"bg": "Населено място", "en": "Settlement"},
         "categories": [{"key": "sopot", "bg": "Сопот", "en": "Sopot"}, {"key": "anevo", "bg": "Анево", "en": "Anevo"}]}
    ]  # fmt: skip
    indicator.save()
    with pytest.raises(ValidationError) as error:
        services.measurement_save(
            actor=owner,
            indicator=indicator,
            year=2016,
            value=150,
            breakdown={"settlement": {"sopot": 100, "anevo": 40}},
        )
    assert "140" in str(error.value)
    with pytest.raises(ValidationError):
        services.measurement_save(
            actor=owner, indicator=indicator, year=2016, value=150, breakdown={"settlement": {"karlovo": 150}}
        )
    m = services.measurement_save(
        actor=owner,
        indicator=indicator,
        year=2016,
        value=150,
        breakdown={"settlement": {"sopot": 110, "anevo": 40}},
    )
    assert m.breakdown["settlement"]["anevo"] == 40


def test_correcting_an_approved_value_needs_a_reason_and_goes_back_to_the_verifier(
    indicator, owner, verifier
):
    m = services.measurement_save(actor=owner, indicator=indicator, year=2016, value="150")
    services.measurement_submit(actor=owner, measurement=m)
    services.measurement_approve(actor=verifier, measurement=m, publish=True)
    with pytest.raises(ValidationError):
        services.measurement_save(actor=owner, indicator=indicator, year=2016, value="160")
    with pytest.raises(ValidationError):
        services.measurement_correct(actor=owner, measurement=m, value="160", reason="")
    m = services.measurement_correct(actor=owner, measurement=m, value="160", reason="грешка при въвеждане")
    assert m.state == MeasurementState.SUBMITTED
    change = IndicatorChange.objects.get()
    assert (change.old_value, change.new_value, change.period) == ("150", "160", "2016")


def test_concurrent_edits_of_a_draft_are_detected(indicator, owner):
    from civitas.core.errors import ConflictError

    services.measurement_save(actor=owner, indicator=indicator, year=2016, value="150")
    services.measurement_save(actor=owner, indicator=indicator, year=2016, value="151", expected_version=1)
    with pytest.raises(ConflictError):
        services.measurement_save(
            actor=owner, indicator=indicator, year=2016, value="152", expected_version=1
        )
    assert Measurement.objects.get().value == Decimal("151")


def test_a_passport_the_engine_cannot_evaluate_is_refused(town, element, planner):
    # An increasing indicator with its target below the baseline (1000).
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=planner, municipality=town, element=element, targets=[{"year": 2020, "value": 500}],
            passport=IndicatorPassport(**PASSPORT),
        )  # fmt: skip
    assert "targets" in error.value.message_dict
    assert Indicator.objects.count() == 0


def test_enterable_indicators_follow_the_owner_rule(indicator, town, owner):
    other = staff(town, Role.INDICATOR_OWNER, "other")
    free = IndicatorFactory(element=indicator.element, owner=None, code="FREE")
    assert set(selectors.enterable_indicators(user=owner, municipality=town)) == {indicator, free}
    assert set(selectors.enterable_indicators(user=other, municipality=town)) == {free}
    assert not selectors.enterable_indicators(
        user=staff(town, Role.VERIFIER, "v2"), municipality=town
    ).exists()


def test_whoever_typed_a_value_cannot_approve_it_even_if_another_saved_it_last(element, town):
    """An indicator without an owner: two people with the indicator-owner role; the first types
    the value, the second saves it unchanged and submits; the first, also a verifier, is refused."""
    first, second = staff(town, Role.INDICATOR_OWNER, "first"), staff(town, Role.INDICATOR_OWNER, "second")
    MembershipFactory(user=first, municipality=town, role=Role.VERIFIER)
    indicator = IndicatorFactory(element=element, owner=None, code="T9")
    m = services.measurement_save(actor=first, indicator=indicator, year=2016, value=Decimal(5))
    m = services.measurement_save(actor=second, indicator=indicator, year=2016, value=Decimal(5),
                                  expected_version=m.version)  # fmt: skip
    services.measurement_submit(actor=second, measurement=m)
    m.refresh_from_db()
    assert m.entered_by == second
    with pytest.raises(ValidationError):
        services.measurement_approve(actor=first, measurement=m)
    m.refresh_from_db()
    assert m.state == "submitted"
    services.measurement_approve(actor=staff(town, Role.VERIFIER, "other"), measurement=m)
    m.refresh_from_db()
    assert m.state == "approved"


def test_two_corrections_of_one_value_at_once_are_detected(indicator, owner, verifier):
    from civitas.core.errors import ConflictError

    m = services.measurement_save(actor=owner, indicator=indicator, year=2016, value="150")
    services.measurement_submit(actor=owner, measurement=m)
    services.measurement_approve(actor=verifier, measurement=m, publish=True)
    seen = Measurement.objects.get(pk=m.pk).version  # both correction pages opened on this version
    services.measurement_correct(
        actor=owner, measurement=m, value="160", reason="първа", expected_version=seen
    )
    services.measurement_approve(actor=verifier, measurement=m, publish=True)
    with pytest.raises(ConflictError):
        services.measurement_correct(
            actor=owner, measurement=m, value="170", reason="втора", expected_version=seen
        )
    assert Measurement.objects.get(pk=m.pk).value == 160


def test_a_correction_reaches_the_public_history_only_when_published(indicator, owner, verifier):
    """No unverified value is ever public: the correction is staff-only until the corrected value
    is published, and then reads from the value the public saw to the one it sees now."""
    m = services.measurement_save(actor=owner, indicator=indicator, year=2016, value="150")
    services.measurement_submit(actor=owner, measurement=m)
    services.measurement_approve(actor=verifier, measurement=m, publish=True)
    services.measurement_correct(actor=owner, measurement=m, value="98765", reason="печатна грешка")
    assert not IndicatorChange.objects.filter(is_public=True).exists()
    m.refresh_from_db()
    services.measurement_approve(actor=verifier, measurement=m, publish=True)
    [public] = IndicatorChange.objects.filter(is_public=True)
    assert (public.old_value, public.new_value) == ("150", "98765")


def test_a_value_approved_but_never_published_never_shows_in_the_public_history(indicator, owner, verifier):
    m = services.measurement_save(actor=owner, indicator=indicator, year=2016, value="4242")
    services.measurement_submit(actor=owner, measurement=m)
    services.measurement_approve(actor=verifier, measurement=m)  # approved, not published
    services.measurement_correct(actor=owner, measurement=m, value="150", reason="грешка")
    m.refresh_from_db()
    services.measurement_approve(actor=verifier, measurement=m, publish=True)
    assert not IndicatorChange.objects.filter(is_public=True).exists()  # a first publication is no change
    assert IndicatorChange.objects.filter(is_public=False, old_value="4242").exists()  # staff still see it


def test_many_values_are_saved_all_or_nothing(town, owner, indicator):
    """measurements_save_many (the file import's writer) keeps measurement_save's rules."""
    other = IndicatorFactory(element=PlanElementFactory(plan=PlanFactory(municipality=MunicipalityFactory())))
    good = services.MeasurementInput(indicator=indicator, year=2016, value="5")
    refused = services.measurements_save_many(
        actor=owner, municipality=town,
        items=[good, services.MeasurementInput(indicator=indicator, year=2016, value="6"),
               services.MeasurementInput(indicator=other, year=2016, value="1"),
               services.MeasurementInput(indicator=indicator, year=2017, value="1e999999")],
    )  # fmt: skip
    assert sorted(refused) == [1, 2, 3]
    assert isinstance(refused[2], PermissionDenied) and "value" in refused[3].message_dict
    assert not Measurement.objects.exists() and not AuditEvent.objects.filter(action="create").exists()
    assert services.measurements_save_many(actor=owner, municipality=town, items=[good], submit=True) == {}
    m = Measurement.objects.get()
    assert (m.value, m.state, m.entered_by) == (Decimal(5), "submitted", owner)
    assert list(
        AuditEvent.objects.filter(object_id=str(m.pk)).values_list("action", flat=True).order_by("pk")
    ) == ["create", "submit"]
    again = services.measurements_save_many(actor=owner, municipality=town, items=[good])
    assert "коригирайте я с основание" in str(again[0])


def _planning_version(town) -> int:
    town.refresh_from_db()
    return town.planning_version


def test_only_what_the_public_sees_moves_the_planning_version(town, indicator, owner, verifier, planner):
    """Drafts, submitted, returned and approved values are not public: the cached pages and plan
    evaluations stay; publishing, a correction of a published value, a passport and a target do not."""
    before = _planning_version(town)
    m = services.measurement_save(actor=owner, indicator=indicator, year=2016, value="150", submit=True)
    services.measurement_return(actor=verifier, measurement=m, note="Провери НСИ")
    m.refresh_from_db()
    m = services.measurement_save(
        actor=owner, indicator=indicator, year=2016, value="151", expected_version=m.version
    )
    services.measurement_submit(actor=owner, measurement=m)
    services.measurement_approve(actor=verifier, measurement=m)
    assert services.measurements_save_many(
        actor=owner, municipality=town, items=[services.MeasurementInput(indicator=indicator, year=2017, value="5")]
    ) == {}  # fmt: skip
    assert _planning_version(town) == before
    services.measurement_publish(actor=verifier, measurement=m)
    assert _planning_version(town) == before + 1
    services.measurement_correct(actor=owner, measurement=m, value="152", reason="НСИ коригира")
    assert _planning_version(town) == before + 2  # the published value no longer counts
    m.refresh_from_db()
    services.measurement_approve(actor=verifier, measurement=m, publish=True)
    assert _planning_version(town) == before + 3
    services.target_set(actor=planner, indicator=indicator, year=2018, value=180)
    assert _planning_version(town) == before + 4
    services.indicator_update(
        actor=planner, indicator=indicator, expected_version=indicator.version,
        passport=replace(IndicatorPassport.of(indicator), name_bg="Ново"),
    )  # fmt: skip
    assert _planning_version(town) == before + 5


def test_an_approved_value_corrected_before_publication_changes_nothing_public(
    town, indicator, owner, verifier
):
    m = services.measurement_save(actor=owner, indicator=indicator, year=2016, value="150", submit=True)
    services.measurement_approve(actor=verifier, measurement=m)
    before = _planning_version(town)
    services.measurement_correct(actor=owner, measurement=m, value="151", reason="печатна грешка")
    assert _planning_version(town) == before


def test_the_evidence_is_checked_before_anything_is_saved(indicator, owner, settings, tmp_path):
    """measurement_save checks the uploaded file itself (core.uploads), as the entry page's one call."""
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("evidence.exe", b"MZ\x00\x00binary", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as error:
        services.measurement_save(actor=owner, indicator=indicator, year=2016, value="150", evidence=upload)
    assert list(error.value.message_dict) == ["evidence"]
    assert not Measurement.objects.exists()
    good = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 a report", content_type="application/pdf")
    m = services.measurement_save(
        actor=owner, indicator=indicator, year=2016, value="150", evidence=good, submit=True
    )
    assert m.evidence.name.endswith("-evidence.pdf") and m.state == MeasurementState.SUBMITTED
