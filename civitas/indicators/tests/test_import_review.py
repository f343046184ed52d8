"""Review of the measurement import (issue 8, review): the work a small workbook may ask for, a
background import whose worker died, and evidence links longer than their column."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from civitas.core.models import Role
from civitas.indicators import imports, rules, services, tasks
from civitas.indicators.forms import MeasurementForm
from civitas.indicators.models import ImportJob, ImportJobState, Measurement
from civitas.indicators.tests import test_import_jobs as jobs
from civitas.testing.factories import IndicatorFactory, MunicipalityFactory, PlanElementFactory, PlanFactory
from civitas.testing.signin import sign_in

GOOD, job_url = jobs.GOOD, jobs.job_url


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def owner(town):
    return jobs.staff(town, Role.INDICATOR_OWNER, "owner")


@pytest.fixture
def indicator(town, owner):
    plan = PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)
    return IndicatorFactory(element=PlanElementFactory(plan=plan), owner=owner, code="N1")


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.CIVITAS_IMPORT_BACKGROUND_ROWS = 3


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>indicator_code</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>period</t></is></c><c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
)


def workbook(rows: list[str], shared: list[str] | None = None) -> bytes:
    """A minimal XLSX with the given <row> elements (and shared strings), written by hand so that
    it can say what no spreadsheet program would."""
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    types = (
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    files = {
        "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="values" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{NS}"><sheetData>{"".join(rows)}</sheetData></worksheet>',
    }
    if shared is not None:
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        types += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        files["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{NS}">' + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>"
        )
    files["xl/_rels/workbook.xml.rels"] = f'<Relationships xmlns="{PKG}">{rels}</Relationships>'
    files["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        f'ContentType="application/xml"/>{types}</Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return buffer.getvalue()


# 1. Rows that repeat their number, and rows padded to a far column


def test_rows_repeating_their_number_count_against_the_row_limit(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 10)
    monkeypatch.setattr(imports, "MAX_CELL_CHARS", 20)
    rows = [HEADER_ROW] + ['<row r="2"><c r="C2"><v>5</v></c></row>'] * 50
    # Reading stops at the 11th row kept: the long cell far below is never reached.
    rows.append('<row r="2"><c r="C2" t="inlineStr"><is><t>' + "x" * 30 + "</t></is></c></row>")
    with pytest.raises(imports.FileError, match="up to 10 rows"):
        imports.read_table(workbook(rows))


def test_rows_padded_to_a_far_column_count_against_the_cell_limit(monkeypatch):
    # 40 rows of one cell at column 300 are 40 × 300 slots once padded, though only 40 cells.
    monkeypatch.setattr(imports, "MAX_CELLS", 5_000)
    rows = [HEADER_ROW] + [f'<row r="{n}"><c r="KN{n}"><v>5</v></c></row>' for n in range(2, 42)]
    with pytest.raises(imports.FileError, match="more than 5 000 cells"):
        imports.read_table(workbook(rows))


def test_a_workbook_within_the_limits_still_reads(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 10)
    rows = [HEADER_ROW] + [
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>N1</t></is></c></row>' for n in range(2, 12)
    ]
    rows += [f'<row r="{n}"/>' for n in range(12, 40)]  # formatted empty rows below the data
    assert len(imports.read_table(workbook(rows))) == 11


# 3. Shared strings


def test_shared_strings_above_their_limit_are_refused(monkeypatch):
    monkeypatch.setitem(imports.MAX_PART_BYTES, "strings", 10_000)
    data = workbook([HEADER_ROW], shared=[f"{n:08d}" for n in range(2_000)])
    with pytest.raises(imports.FileError, match="too large to read once unpacked"):
        imports.read_table(data)


def test_the_shared_strings_limit_is_5_mb():
    assert imports.MAX_PART_BYTES["strings"] == 5 * 1024 * 1024


def test_shared_strings_weigh_a_workbook_as_rows():
    data = workbook([HEADER_ROW], shared=[f"{n:08d}" for n in range(2_000)])
    assert (
        imports.estimated_rows(data)
        >= 2_000 * len("<si><t>00000000</t></si>") // imports.STRING_BYTES_PER_ROW
    )


# 2. A background import whose worker died


class WorkerKilled(BaseException):
    """What a SIGKILL, an out-of-memory kill or a task timeout looks like from the job's side."""


def _died(town, owner, monkeypatch) -> ImportJob:
    job = ImportJob.objects.create(
        municipality=town, created_by=owner, file_name="v.csv", data=GOOD, language="en"
    )

    def die(**kwargs):
        raise WorkerKilled

    monkeypatch.setattr(imports, "import_measurements", die)
    with pytest.raises(WorkerKilled):
        tasks.import_job_run(job_id=job.pk)
    monkeypatch.undo()
    job.refresh_from_db()
    assert job.state == ImportJobState.RUNNING
    return job


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_shown_failed_after_the_timeout(
    client, town, owner, indicator, monkeypatch
):
    job = _died(town, owner, monkeypatch)
    sign_in(client, owner)
    assert client.get(job_url(town, job)).status_code == 200  # still within the timeout: running
    ImportJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - tasks.JOB_TIMEOUT - datetime.timedelta(seconds=1)
    )
    page = client.get(job_url(town, job))
    assert page.status_code == 400
    assert "error in Civitas: nothing was saved" in page.content.decode()
    job.refresh_from_db()
    assert job.state == ImportJobState.FAILED and bytes(job.data) == b"" and job.finished_at
    assert Measurement.objects.count() == 0


@pytest.mark.django_db
def test_the_import_list_also_shows_it_failed(client, town, owner, indicator, monkeypatch):
    job = _died(town, owner, monkeypatch)
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    sign_in(client, owner)
    page = client.get(f"/en/{town.slug}/manage/indicators/data/")
    assert page.status_code == 200
    job.refresh_from_db()
    assert job.state == ImportJobState.FAILED and bytes(job.data) == b""


@pytest.mark.django_db
def test_a_task_delivered_again_reruns_a_job_whose_worker_died(town, owner, indicator, monkeypatch):
    job = _died(town, owner, monkeypatch)
    assert tasks.import_job_run(job_id=job.pk) == ImportJobState.RUNNING  # within the timeout: left alone
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.import_job_run(job_id=job.pk) == ImportJobState.DONE
    assert Measurement.objects.count() == 7


@pytest.mark.django_db
def test_the_task_queued_again_after_its_worker_died_reruns_the_job_at_once(
    town, owner, indicator, monkeypatch
):
    """core.workers queues a dead worker's task again: its second attempt takes the job over
    without waiting for the timeout, and writes every row once."""
    job = _died(town, owner, monkeypatch)
    assert tasks.import_job_run(job_id=job.pk, redelivered=True) == ImportJobState.DONE
    assert Measurement.objects.count() == 7
    assert tasks.import_job_run(job_id=job.pk, redelivered=True) == ImportJobState.DONE  # once only
    assert Measurement.objects.count() == 7


# 4. Evidence links longer than their column

LONG_URL = "https://example.org/" + "a" * 300


def test_the_rule_agrees_with_the_model():
    assert rules.MAX_URL_LENGTH == Measurement._meta.get_field("evidence_url").max_length
    assert rules.check_evidence_url("https://example.org/" + "a" * 180) == {}
    assert "evidence_url" in rules.check_evidence_url(LONG_URL)


@pytest.mark.django_db
def test_an_import_refuses_an_evidence_link_longer_than_its_column(town, owner, indicator):
    data = b"indicator_code,period,value,evidence_url\nN1,2016,5," + LONG_URL.encode() + b"\n"
    result = imports.import_measurements(actor=owner, municipality=town, data=data)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(2, "evidence_url")]
    assert Measurement.objects.count() == 0


@pytest.mark.django_db
def test_the_services_refuse_an_evidence_link_longer_than_its_column(town, owner, indicator):
    with pytest.raises(ValidationError) as error:
        services.measurement_save(actor=owner, indicator=indicator, year=2016, value=5, evidence_url=LONG_URL)
    assert "evidence_url" in error.value.error_dict
    refused = services.measurements_save_many(
        actor=owner, municipality=town,
        items=[services.MeasurementInput(indicator=indicator, year=2016, value=5, evidence_url=LONG_URL)],
    )  # fmt: skip
    assert "evidence_url" in refused[0].error_dict
    assert Measurement.objects.count() == 0


@pytest.mark.django_db
def test_the_value_form_refuses_a_long_link(indicator):
    form = MeasurementForm(
        data={"period": "2016", "value": "5", "evidence_url": LONG_URL}, indicator=indicator
    )
    assert not form.is_valid() and "evidence_url" in form.errors
