"""Large measurement files are imported by a background task with a progress page, all or nothing,
and the file is checked outside any transaction (issue 8, finding 7)."""

import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from civitas.core.models import Role
from civitas.indicators import imports, services, tasks
from civitas.indicators.models import ImportJob, ImportJobState, Measurement
from civitas.testing.factories import (
    IndicatorFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    UserFactory,
)
from civitas.testing.signin import sign_in


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


def staff(town, role, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, municipality=town, role=role)
    return user


@pytest.fixture
def owner(town):
    return staff(town, Role.INDICATOR_OWNER, "owner")


@pytest.fixture
def element(town):
    return PlanElementFactory(
        plan=PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)
    )


@pytest.fixture
def indicator(element, owner):
    IndicatorFactory(
        element=element, owner=owner, code="P1", measure="percentage", baseline_value=Decimal(40)
    )
    return IndicatorFactory(element=element, owner=owner, code="N1")


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.CIVITAS_IMPORT_BACKGROUND_ROWS = 3


GOOD = b"indicator_code,period,value\n" + b"".join(b"N1,%d,%d\n" % (2014 + n, 100 + n) for n in range(7))
BAD = GOOD + b"N1,2016,1\nN1,2099,1\n"


def upload(client, town, content: bytes, **data):
    return client.post(
        f"/en/{town.slug}/manage/indicators/data/import/",
        {"file": SimpleUploadedFile("values.csv", content), **data},
    )


def job_url(town, job) -> str:
    return f"/en/{town.slug}/manage/indicators/data/import/{job.pk}/"


@pytest.mark.django_db
def test_a_large_file_is_imported_in_the_background_and_its_page_shows_the_result(
    client, town, owner, indicator, django_capture_on_commit_callbacks
):
    sign_in(client, owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, town, GOOD, submit="on")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(town, job)
    assert (job.created_by, job.municipality, job.file_name, job.state) == (
        owner,
        town,
        "values.csv",
        "queued",
    )
    assert bytes(job.data) == GOOD and job.submit and job.language == "en"
    assert not Measurement.objects.exists()  # nothing is written in the request

    waiting = client.get(job_url(town, job)).content.decode()
    assert '<meta http-equiv="refresh"' in waiting and "Waiting to start" in waiting

    for callback in callbacks:  # the task queued after the commit (inline in the default backend)
        callback()
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total, job.saved, job.submitted) == ("done", 7, 7, 7, 7)
    assert bytes(job.data) == b"" and job.report == [] and job.finished_at is not None
    assert set(Measurement.objects.values_list("state", flat=True)) == {"submitted"}
    done = client.get(job_url(town, job)).content.decode()
    assert "7 values were saved and submitted for approval." in done
    assert '<meta http-equiv="refresh"' not in done
    home = client.get(f"/en/{town.slug}/manage/indicators/data/").content.decode()
    assert f'href="{job_url(town, job)}"' in home  # the way back to it


@pytest.mark.django_db
def test_a_failed_background_import_writes_nothing_and_shows_the_report(
    client, town, owner, indicator, django_capture_on_commit_callbacks
):
    sign_in(client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, town, BAD)
    job = ImportJob.objects.get()
    assert job.state == ImportJobState.FAILED and job.saved == 0
    assert [(e["row"], e["column"]) for e in job.report] == [(9, "period"), (10, "period")]
    assert not Measurement.objects.exists()
    page = client.get(response["Location"])
    assert page.status_code == 400
    html = page.content.decode()
    assert "Nothing was saved" in html and html.count("civitas-import-error") == 2
    assert "Row 4 of this file already gives N1 for 2016" in html


@pytest.mark.django_db
def test_a_small_file_is_still_imported_in_the_request(client, town, owner, indicator):
    sign_in(client, owner)
    response = upload(client, town, b"indicator_code,period,value\nN1,2015,1\nN1,2016,2\n")
    assert response.status_code == 302 and response["Location"].endswith("/manage/indicators/data/")
    assert not ImportJob.objects.exists() and Measurement.objects.count() == 2


@pytest.mark.django_db
def test_the_report_is_in_the_uploaders_language(
    client, town, owner, indicator, django_capture_on_commit_callbacks
):
    sign_in(client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/{town.slug}/manage/indicators/data/import/", {"file": SimpleUploadedFile("v.csv", BAD)}
        )
    job = ImportJob.objects.get()
    assert job.language == "bg"
    assert job.report[0]["message"] == "Ред 4 на този файл вече съдържа N1 за 2016."


@pytest.mark.django_db
def test_only_the_uploader_and_staff_who_import_see_the_job(client, town, owner, indicator):
    job = ImportJob.objects.create(
        municipality=town, created_by=owner, file_name="v.csv", data=GOOD, language="en"
    )
    colleague = staff(town, Role.INDICATOR_OWNER, "colleague")
    verifier = staff(town, Role.VERIFIER, "verifier")
    other_town = MunicipalityFactory(slug="karlovo")
    stranger = staff(other_town, Role.INDICATOR_OWNER, "stranger")
    for user, status in ((owner, 200), (colleague, 200), (verifier, 404), (stranger, 404)):
        sign_in(client, user)
        assert client.get(job_url(town, job)).status_code == status, user
    # The uploader sees their own job even without the role any more.
    owner.memberships.all().delete()
    sign_in(client, type(owner).objects.get(pk=owner.pk))
    assert client.get(job_url(town, job)).status_code == 200
    client.logout()
    response = client.get(job_url(town, job))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # Another municipality's address does not find the job.
    sign_in(client, owner)
    assert client.get(f"/en/karlovo/manage/indicators/data/import/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_job_runs_once_even_if_its_task_is_delivered_twice(town, owner, indicator):
    job = ImportJob.objects.create(
        municipality=town, created_by=owner, file_name="v.csv", data=GOOD, language="en"
    )
    assert tasks.import_job_run(job_id=job.pk) == "done"
    assert tasks.import_job_run(job_id=job.pk) == "done"
    assert Measurement.objects.count() == 7


def _file_database(path):
    """A connection to an SQLite file database (WAL, busy timeout, IMMEDIATE transactions: the
    production settings), as the test's in-memory database is not locked the way a file is."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    return DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, "default")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the write lock is SQLite's")
@pytest.mark.django_db(transaction=True)
def test_another_users_save_goes_through_while_a_large_import_is_checked(monkeypatch, tmp_path):
    """The file is read and checked outside any transaction: on SQLite a transaction holds the
    database's write lock, and another person's save would fail after the busy timeout."""
    import sqlite3

    from django.db import connections

    town = MunicipalityFactory(slug="sopot")
    owner = staff(town, Role.INDICATOR_OWNER, "owner")
    colleague = staff(town, Role.INDICATOR_OWNER, "colleague")
    element = PlanElementFactory(plan=PlanFactory(municipality=town, period_start=2014, period_end=2020))
    IndicatorFactory(element=element, owner=owner, code="N1")
    theirs = IndicatorFactory(element=element, owner=colleague, code="C1")
    job = ImportJob.objects.create(
        municipality=town, created_by=owner, file_name="v.csv", data=GOOD, language="en"
    )
    # The same data in a file database, which this thread and the import's thread then use.
    path = tmp_path / "civitas.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    in_memory = connections["default"]
    connections["default"] = _file_database(path)

    checking, saved = threading.Event(), threading.Event()
    seen = {}
    validate_rows = imports.validate_rows

    def paused(*args, **kwargs):
        seen["in_transaction"] = connection.in_atomic_block
        checking.set()
        saved.wait(20)  # the colleague saves now, while this import is being checked
        return validate_rows(*args, **kwargs)

    monkeypatch.setattr(imports, "validate_rows", paused)

    def run_import():
        connections["default"] = _file_database(path)
        try:
            seen["state"] = tasks.import_job_run(job_id=job.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=run_import)
    worker.start()
    try:
        assert checking.wait(20)
        services.measurement_save(actor=colleague, indicator=theirs, year=2016, value=5)
        saved.set()
        worker.join(30)
        assert seen == {"in_transaction": False, "state": "done"}
        assert Measurement.objects.get(indicator=theirs).value == 5
        assert Measurement.objects.filter(indicator__code="N1").count() == 7
    finally:
        saved.set()
        worker.join(30)
        connection.close()
        connections["default"] = in_memory


def test_the_rows_of_a_file_are_estimated_without_parsing_it():
    import io

    from openpyxl import Workbook

    book = Workbook()
    for n in range(10):
        book.active.append(["N1", 2014 + n, n])
    out = io.BytesIO()
    book.save(out)
    assert imports.estimated_rows(out.getvalue()) == 10
    wide = Workbook()
    wide.active.append(list(range(imports.CELLS_PER_ROW * 8)))  # one row as long as eight
    out = io.BytesIO()
    wide.save(out)
    assert imports.estimated_rows(out.getvalue()) == 8
    assert imports.estimated_rows(GOOD) == 8
    assert imports.estimated_rows(b"PK\x03\x04 not a zip") == 0
