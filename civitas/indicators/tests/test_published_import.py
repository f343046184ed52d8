"""Values taken from an already published document, in one step (``imports.import_published_measurements``,
``services.measurements_publish_from_document``, ``import_measurements --published``): every value
published by the named verifier with the document as its evidence, audited as such; all or
nothing, with the full list of errors."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation

from civitas.core.models import AuditEvent, Role
from civitas.indicators import imports, services
from civitas.indicators.models import Measurement, MeasurementState
from civitas.indicators.selectors import evidence_access
from civitas.portal.media import FileAccess
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

REPORT = "https://sopot.example/annual-report-2016.pdf"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def indicators(town):
    element = PlanElementFactory(
        plan=PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)
    )
    owner = MembershipFactory(municipality=town, role=Role.INDICATOR_OWNER).user
    return [IndicatorFactory(element=element, code=code, owner=owner) for code in ("N1", "N2")]


@pytest.fixture
def verifier(town):
    user = UserFactory(username="vera")
    MembershipFactory(user=user, municipality=town, role=Role.VERIFIER)
    return user


def values_file(tmp_path, text: str):
    path = tmp_path / "values.csv"
    path.write_text("indicator_code,period,value,comment\n" + text)
    return path


def command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_measurements", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_records_every_value_as_published_by_the_verifier_with_the_document(
    town, indicators, verifier, tmp_path
):
    planning = town.planning_version
    out, _err = command(
        "sopot", str(values_file(tmp_path, "N1,2016,150,\nN2,2016,7,от доклада\n")),
        "--published", "--verifier", "vera", "--evidence", REPORT,
    )  # fmt: skip
    assert "2" in out
    stored = Measurement.objects.order_by("indicator__code")
    assert [(m.indicator.code, m.value, m.state) for m in stored] == [
        ("N1", Decimal(150), MeasurementState.PUBLISHED), ("N2", Decimal(7), MeasurementState.PUBLISHED),
    ]  # fmt: skip
    for m in stored:
        assert m.approved_by == verifier and m.entered_by == verifier and m.approved_at is not None
        assert m.evidence_url == REPORT and m.published_text
    events = AuditEvent.objects.filter(action="publish_from_document")
    assert events.count() == 2 and {e.actor for e in events} == {verifier}
    assert {e.changes["document"] for e in events} == {REPORT}
    town.refresh_from_db()
    assert town.planning_version > planning  # the public sees the values


def test_the_document_file_is_stored_once_and_is_every_values_evidence(
    town, indicators, verifier, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = tmp_path / "Годишен доклад 2016.pdf"
    document.write_bytes(PDF)
    command(
        "sopot", str(values_file(tmp_path, "N1,2016,150,\nN2,2016,7,\n")),
        "--published", "--verifier", "vera", "--evidence", str(document),
    )  # fmt: skip
    names = set(Measurement.objects.values_list("evidence", flat=True))
    assert len(names) == 1
    [name] = names
    assert name.startswith("evidence/") and name.endswith(".pdf")
    assert (settings.MEDIA_ROOT / name).read_bytes() == PDF
    assert len(list((settings.MEDIA_ROOT / "evidence").rglob("*.pdf"))) == 1
    # Published values of a public plan: their document is public, as any evidence is.
    assert evidence_access(UserFactory(), name) == FileAccess.PUBLIC


def test_nothing_is_imported_when_a_row_is_wrong_and_every_error_is_listed(
    town, indicators, verifier, tmp_path
):
    MeasurementFactory(indicator=indicators[1], year=2015, state=MeasurementState.PUBLISHED, value=Decimal(3))
    with pytest.raises(CommandError, match="3 errors"), translation.override("en"):
        command(
            "sopot", str(values_file(tmp_path, "N1,2016,150,\nX9,2016,1,\nN2,2015,4,\nN1,2030,1,\n")),
            "--published", "--verifier", "vera", "--evidence", REPORT,
        )  # fmt: skip
    assert Measurement.objects.count() == 1
    assert not AuditEvent.objects.filter(action="publish_from_document").exists()
    result = imports.import_published_measurements(
        actor=verifier, municipality=town, data=b"indicator_code,period,value\nX9,2016,1\nN2,2015,4\n",
        evidence_url=REPORT,
    )  # fmt: skip
    assert [e.row for e in result.errors] == [2, 3]
    assert Measurement.objects.count() == 1


def test_the_refusal_of_an_unknown_code_is_in_bulgarian(town, indicators, verifier):
    with translation.override("bg"):
        result = imports.import_published_measurements(
            actor=verifier,
            municipality=town,
            data=b"indicator_code,period,value\nX9,2016,1\n",
            evidence_url=REPORT,
        )
    assert [e.message for e in result.errors] == ["Няма индикатор с код „X9“."]


def test_a_draft_is_replaced_and_published_a_submitted_value_is_refused(town, indicators, verifier):
    MeasurementFactory(indicator=indicators[0], year=2016, state=MeasurementState.DRAFT, value=Decimal(1))
    result = imports.import_published_measurements(
        actor=verifier,
        municipality=town,
        data=b"indicator_code,period,value\nN1,2016,150\n",
        evidence_url=REPORT,
    )
    assert result.ok and result.published == 1
    assert Measurement.objects.get(indicator=indicators[0], year=2016).state == MeasurementState.PUBLISHED
    MeasurementFactory(indicator=indicators[1], year=2016, state=MeasurementState.SUBMITTED, value=Decimal(1))
    refused = services.measurements_publish_from_document(
        actor=verifier, municipality=town, evidence_url=REPORT,
        items=[services.MeasurementInput(indicator=indicators[1], year=2016, value=Decimal(9))],
    )  # fmt: skip
    assert list(refused) == [0]
    assert Measurement.objects.get(indicator=indicators[1], year=2016).value == Decimal(1)


def test_the_document_is_needed_and_only_a_verifier_records(town, indicators, verifier, tmp_path):
    path = str(values_file(tmp_path, "N1,2016,150,\n"))
    with pytest.raises(CommandError):
        command("sopot", path, "--published", "--verifier", "vera")
    owner = indicators[0].owner
    with pytest.raises(CommandError, match="nothing was imported"), translation.override("en"):
        command("sopot", path, "--published", "--verifier", owner.username, "--evidence", REPORT)
    with pytest.raises(PermissionDenied):
        imports.import_published_measurements(actor=owner, municipality=town, data=b"", evidence_url=REPORT)
    no_document = imports.import_published_measurements(
        actor=verifier, municipality=town, data=b"indicator_code,period,value\nN1,2016,150\n"
    )
    assert not no_document.ok and no_document.errors[0].row is None
    bad_link = imports.import_published_measurements(
        actor=verifier, municipality=town, data=b"indicator_code,period,value\nN1,2016,150\n",
        evidence_url="ftp://sopot.example/report.pdf",
    )  # fmt: skip
    assert not bad_link.ok
    assert not Measurement.objects.exists()
