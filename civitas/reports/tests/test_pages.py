"""The report pages: staff (list, start, narrative, generate with progress, approve) and public
(approved reports and a page per report with its published files), with their query counts."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from civitas.core import content
from civitas.core.models import Role
from civitas.core.permissions import OPERATOR
from civitas.reports import selectors, services
from civitas.reports.models import GenerationStatus, ReportFile, ReportStatus
from civitas.reports.tests.conftest import YEAR, add_goal
from civitas.testing.pages import url
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db


def _approve(world, decision, capture):
    with capture(execute=True):
        services.report_approve(actor=OPERATOR, report=world.report, decision=decision,
                                expected_version=world.report.version)  # fmt: skip
    world.report.refresh_from_db()


def test_the_data_is_read_in_a_fixed_number_of_queries_as_the_plan_grows(world, django_assert_num_queries):
    report = selectors.report_get(municipality=world.municipality, pk=world.report.pk, include_drafts=True)
    with django_assert_num_queries(26):
        selectors.annual_report_data(report, "bg")
    for code in ("G3", "G4", "G5"):
        add_goal(world.plan, code, values=(150, 120, 199))
    report = selectors.report_get(municipality=world.municipality, pk=world.report.pk, include_drafts=True)
    with django_assert_num_queries(26):
        data = selectors.annual_report_data(report, "bg")
    assert len(data.goals) == 5 and len(data.projects) == 5


def test_a_draft_is_not_public(client, world):
    assert client.get(url("reports:detail", world.municipality.slug, world.report.pk)).status_code == 404
    page = client.get(url("reports:list", world.municipality.slug)).content.decode()
    assert "No report has been approved yet." not in page or str(world.report.year) not in page


def test_an_approved_report_is_public_with_its_files(
    client, world, decision, django_capture_on_commit_callbacks
):
    _approve(world, decision, django_capture_on_commit_callbacks)
    page = client.get(url("reports:list", world.municipality.slug, lang="en")).content.decode()
    assert f"Report for {YEAR}" in page and "Decision № 123 of 27.03.2020" in page
    response = client.get(url("reports:detail", world.municipality.slug, world.report.pk, lang="en"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "General conditions and socio-economic change" in page and "Conclusions and proposals" in page
    files = ReportFile.objects.filter(report=world.report, is_published=True)
    for generated in files:
        assert generated.file.url in page
        download = client.get(generated.file.url)
        assert download.status_code == 200 and download["Cache-Control"].startswith("public")


def test_the_public_report_page_is_cached(client, world, decision, django_capture_on_commit_callbacks,
                                          django_assert_num_queries):  # fmt: skip
    _approve(world, decision, django_capture_on_commit_callbacks)
    path = url("reports:detail", world.municipality.slug, world.report.pk)
    with django_assert_num_queries(3):  # municipality, report (its page as approved), published files
        assert client.get(path).status_code == 200
    with django_assert_num_queries(1):  # the municipality only
        assert client.get(path).status_code == 200
    with django_assert_num_queries(2):  # the municipality and the list
        client.get(url("reports:list", world.municipality.slug))


def test_a_drafts_files_are_for_the_staff_only(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        generated = services.report_generate(
            actor=OPERATOR, report=world.report, format="docx", language="bg"
        )
    generated.refresh_from_db()
    assert client.get(generated.file.url).status_code == 404
    sign_in_with_role(client, world.municipality, Role.PLANNER)
    response = client.get(generated.file.url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_staff_start_write_generate_and_approve_a_report(
    client, world, decision, django_capture_on_commit_callbacks
):
    sign_in_with_role(client, world.municipality, Role.PLANNER)
    m = world.municipality.slug
    assert client.get(url("reports_manage:list", m)).status_code == 200
    refused = client.post(url("reports_manage:create", m, lang="en"), {"plan": world.plan.pk, "year": 2025})
    assert refused.status_code == 400
    assert "outside the plan&#x27;s period" in refused.content.decode()
    created = client.post(url("reports_manage:create", m), {"plan": world.plan.pk, "year": 2018})
    report = world.plan.annual_reports.get(year=2018)
    assert created.status_code == 302 and created["Location"].endswith(f"/reports/{report.pk}/")
    edit = url("reports_manage:edit", m, report.pk)
    assert client.get(edit).status_code == 200
    saved = client.post(
        edit, {"conditions_bg": "Условия 2018", "as_of": "31.12.2018", "version": report.version}
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.conditions_bg == "Условия 2018" and report.as_of.isoformat() == "2018-12-31"

    with django_capture_on_commit_callbacks(execute=True):
        generated = client.post(
            url("reports_manage:generate", m, report.pk), {"format": "docx", "language": "en"}
        )
    assert generated.status_code == 302
    file = report.files.get()
    assert file.status == GenerationStatus.DONE
    detail = client.get(url("reports_manage:detail", m, report.pk)).content.decode()
    assert file.file.url in detail
    row = client.get(url("reports_manage:file_status", m, report.pk, file.pk), headers={"HX-Request": "true"})
    assert row.status_code == 200 and "hx-trigger" not in row.content.decode()  # finished: no more polling
    assert (
        client.get(url("reports_manage:file_status", m, report.pk, file.pk)).status_code == 302
    )  # without JS

    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(url("reports_manage:approve", m, report.pk),
                               {"decision": decision.pk, "version": report.version})  # fmt: skip
    assert approved.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    refused = client.post(edit, {"conditions_bg": "Промяна", "version": report.version})
    assert refused.status_code == 400


def test_a_running_generation_is_polled(client, world):
    sign_in_with_role(client, world.municipality, Role.PLANNER)
    queued = ReportFile.objects.create(report=world.report, format="pdf", language="bg", progress=40,
                                       status=GenerationStatus.RUNNING)  # fmt: skip
    m = world.municipality.slug
    row = client.get(
        url("reports_manage:file_status", m, world.report.pk, queued.pk), headers={"HX-Request": "true"}
    )
    assert 'hx-trigger="every 2s"' in row.content.decode() and "40" in row.content.decode()
    detail = client.get(url("reports_manage:detail", m, world.report.pk, lang="en")).content.decode()
    assert "Refresh" in detail  # without JavaScript


def test_the_staff_pages_are_for_those_who_edit_reports(client, world):
    sign_in_with_role(client, world.municipality, Role.MODERATOR)
    assert client.get(url("reports_manage:list", world.municipality.slug)).status_code == 403


def test_the_command_writes_the_report(world, tmp_path):
    output = tmp_path / "report.docx"
    call_command("generate_report", "--municipality", world.municipality.slug, "--plan", world.plan.slug,
                 "--year", str(YEAR), "--format", "docx", "-o", str(output))  # fmt: skip
    assert output.read_bytes()[:2] == b"PK"
    pdf = tmp_path / "report.pdf"
    call_command("generate_report", "--municipality", world.municipality.slug, "--plan", world.plan.slug,
                 "--year", "2016", "--format", "pdf", "--language", "en", "-o", str(pdf))  # fmt: skip
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert world.plan.annual_reports.filter(year=2016, status=ReportStatus.DRAFT).exists()


@pytest.mark.parametrize(
    ("plan", "year", "message"),
    [
        ("no-such-plan", "2019", "no plan “no-such-plan”"),
        ("opr-2014-2020", "2030", "outside the plan's period"),
    ],
)
def test_the_command_refuses_bad_input(world, tmp_path, plan, year, message):
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("generate_report", "--municipality", world.municipality.slug, "--plan", plan, "--year", year,
                     "-o", str(tmp_path / "x.docx"))  # fmt: skip
    assert message in str(refused.value)
    assert not (tmp_path / "x.docx").exists()


def test_the_public_page_stays_as_approved(client, world, decision, django_capture_on_commit_callbacks):
    """Values published after the approval change the plan's pages, never the approved report."""
    _approve(world, decision, django_capture_on_commit_callbacks)
    path = url("reports:detail", world.municipality.slug, world.report.pk, lang="en")
    before = client.get(path).content.decode()
    assert "Progress by goal" in before and "at risk and 1 off track" in before
    world.off_track.measurements.filter(year=YEAR).update(value=199)
    content.changed(world.municipality, content.Content.PLANNING)
    assert client.get(path).content.decode() == before


def test_the_staff_pages_read_a_fixed_number_of_queries(client, world, django_capture_on_commit_callbacks):
    sign_in_with_role(client, world.municipality, Role.PLANNER)
    m = world.municipality.slug
    list_page = url("reports_manage:list", m)
    detail = url("reports_manage:detail", m, world.report.pk)
    with CaptureQueriesContext(connection) as few_list:
        assert client.get(list_page).status_code == 200
    with CaptureQueriesContext(connection) as few_detail:
        assert client.get(detail).status_code == 200
    for year in (2016, 2017, 2018):
        services.report_create(actor=OPERATOR, plan=world.plan, year=year)
    with django_capture_on_commit_callbacks(execute=True):
        for language in ("bg", "en"):
            services.report_generate(actor=OPERATOR, report=world.report, format="docx", language=language)
    with CaptureQueriesContext(connection) as many_list:
        assert client.get(list_page).status_code == 200
    with CaptureQueriesContext(connection) as many_detail:
        assert client.get(detail).status_code == 200
    assert len(few_list) == len(many_list) == 5  # session, user, municipality, roles, the reports
    assert len(few_detail) == len(many_detail) == 6  # the same with the report, and its files
