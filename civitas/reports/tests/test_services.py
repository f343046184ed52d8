"""The annual report's services: the bad input the issue names is refused with a clear message and
nothing changes; approval freezes, publishes and generates the published files."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent, Municipality
from civitas.core.permissions import OPERATOR
from civitas.council.services import decision_create
from civitas.reports import services, tasks
from civitas.reports.models import AnnualReport, GenerationStatus, ReportFile, ReportStatus
from civitas.testing.factories import MunicipalityFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_report_for_a_year_outside_the_plans_period_is_refused(world):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.report_create(actor=OPERATOR, plan=world.plan, year=2021)
    assert "A report for a year outside the plan's period is refused" in _messages(refused.value)
    assert "2014 to 2020" in _messages(refused.value)
    assert not AnnualReport.objects.filter(year=2021).exists()


def test_one_report_per_plan_and_year(world):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.report_create(actor=OPERATOR, plan=world.plan, year=world.report.year)
    assert "already has a report for 2019" in _messages(refused.value)


def test_editing_the_narrative_is_audited_and_needs_the_version_seen(world):
    report = world.report
    services.report_update_narrative(actor=OPERATOR, report=report, expected_version=report.version,
                                     conclusions_bg="Нови изводи", as_of=datetime.date(2020, 3, 31))  # fmt: skip
    report.refresh_from_db()
    assert (report.conclusions_bg, report.as_of, report.version) == (
        "Нови изводи",
        datetime.date(2020, 3, 31),
        2,
    )
    event = AuditEvent.objects.filter(action="update", object_id=str(report.pk)).get()
    assert event.changes["conclusions_bg"] == ["Изводи", "Нови изводи"]
    with pytest.raises(ConflictError):
        services.report_update_narrative(
            actor=OPERATOR, report=report, expected_version=1, conclusions_bg="x"
        )


def test_approving_freezes_publishes_and_generates_both_languages(
    world, decision, django_capture_on_commit_callbacks
):
    report = world.report
    planning = Municipality.objects.get(pk=world.municipality.pk).planning_version
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(
            actor=OPERATOR, report=report, decision=decision, expected_version=report.version
        )
    report.refresh_from_db()
    assert (report.status, report.decision_id) == (ReportStatus.APPROVED, decision.pk)
    assert list(decision.annual_reports.all()) == [report]
    files = ReportFile.objects.filter(report=report, is_published=True)
    assert sorted((f.language, f.format) for f in files) == [
        ("bg", "docx"),
        ("bg", "pdf"),
        ("en", "docx"),
        ("en", "pdf"),
    ]
    assert {f.status for f in files} == {GenerationStatus.DONE}
    assert all(f"2019-{f.language}" in f.file.name and f.file.name.endswith(f.format) for f in files)
    assert {f.progress for f in files} == {100}
    assert Municipality.objects.get(pk=world.municipality.pk).planning_version == planning + 1
    assert AuditEvent.objects.filter(action="approve", object_id=str(report.pk)).exists()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.report_update_narrative(actor=OPERATOR, report=report, expected_version=report.version,
                                         conclusions_bg="Промяна")  # fmt: skip
    assert "Approved reports are frozen" in _messages(refused.value)
    report.refresh_from_db()
    assert report.conclusions_bg == "Изводи"
    with pytest.raises(ValidationError):
        services.report_approve(
            actor=OPERATOR, report=report, decision=decision, expected_version=report.version
        )


def test_approving_with_another_municipalitys_decision_is_refused(world):
    elsewhere = decision_create(actor=OPERATOR, municipality=MunicipalityFactory(), number=5,
                                date=datetime.date(2020, 3, 1), subject_bg="Друго")  # fmt: skip
    report = world.report
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.report_approve(
            actor=OPERATOR, report=report, decision=elsewhere, expected_version=report.version
        )
    assert "not one of this municipality's council" in _messages(refused.value)
    report.refresh_from_db()
    assert (report.status, report.decision_id, report.version) == (ReportStatus.DRAFT, None, 1)


def test_generating_queues_a_file_and_the_task_writes_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        generated = services.report_generate(actor=OPERATOR, report=world.report, format="pdf", language="en")
    generated.refresh_from_db()
    assert (generated.status, generated.progress, generated.is_published) == (
        GenerationStatus.DONE,
        100,
        False,
    )
    assert generated.file.read(5) == b"%PDF-"


def test_a_failed_generation_is_recorded_with_its_reason(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(tasks.render, "render_docx", broken)
    generated = ReportFile.objects.create(report=world.report, format="docx", language="en")
    assert tasks.report_file_run(file_id=generated.pk) == "failed"
    generated.refresh_from_db()
    assert generated.status == GenerationStatus.FAILED
    assert "the disk is full" in generated.message


def test_an_unknown_format_is_refused(world):
    with pytest.raises(ValidationError):
        services.report_generate(actor=OPERATOR, report=world.report, format="odt", language="bg")
    assert not ReportFile.objects.exists()


def test_plans_of_other_kinds_are_reported_too(world):
    plan = PlanFactory(municipality=world.municipality, kind="programme", period_start=2021, period_end=2027)
    assert services.report_create(actor=OPERATOR, plan=plan, year=2021).year == 2021
