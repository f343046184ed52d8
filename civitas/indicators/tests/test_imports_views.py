"""The staff pages for measurement files: upload with the row-by-row report, permissions, command."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from civitas.core.models import Role
from civitas.indicators import imports
from civitas.indicators.models import Measurement, MeasurementState
from civitas.testing.factories import (
    IndicatorFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    UserFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


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
def indicator(town, owner):
    element = PlanElementFactory(
        plan=PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)
    )
    IndicatorFactory(
        element=element, owner=owner, code="P1", measure="percentage", baseline_value=Decimal(40)
    )
    return IndicatorFactory(element=element, owner=owner, code="N1")


def upload(client, town, content: bytes, name="values.csv", **data):
    return client.post(
        f"/en/{town.slug}/manage/indicators/data/import/",
        {"file": SimpleUploadedFile(name, content), **data},
    )


GOOD = b"indicator_code,period,value\nN1,2015,140\nN1,2016,150\n"
BAD = b"indicator_code,period,value,numerator,denominator\nN1,2015,140,,\nNOPE,2016,1,,\nP1,2016,,3,0\n"


def test_upload_saves_drafts_and_says_so(client, town, owner, indicator):
    sign_in(client, owner)
    response = upload(client, town, GOOD)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{town.slug}/manage/indicators/data/")
    page = client.get(response["Location"])
    assert "2 values were saved as drafts." in page.content.decode()
    assert list(Measurement.objects.order_by("year").values_list("year", "state")) == [
        (2015, MeasurementState.DRAFT),
        (2016, MeasurementState.DRAFT),
    ]


def test_upload_can_submit_at_once(client, town, owner, indicator):
    sign_in(client, owner)
    response = upload(client, town, GOOD, submit="on")
    assert response.status_code == 302
    assert set(Measurement.objects.values_list("state", flat=True)) == {MeasurementState.SUBMITTED}


def test_upload_with_errors_shows_the_report_and_saves_nothing(client, town, owner, indicator):
    sign_in(client, owner)
    response = upload(client, town, BAD)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Nothing was saved" in html
    rows = re.findall(r'<tr class="govuk-table__row civitas-import-error">(.*?)</tr>', html, re.S)
    cells = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows
    ]
    assert [c[:2] for c in cells] == [["3", "indicator_code (A)"], ["4", "denominator (E)"]]
    assert "There is no indicator with the code" in cells[0][2]
    assert "cannot be zero" in cells[1][2]
    assert Measurement.objects.count() == 0


def test_report_in_bulgarian(client, town, owner, indicator):
    sign_in(client, owner)
    response = client.post(
        f"/{town.slug}/manage/indicators/data/import/", {"file": SimpleUploadedFile("v.csv", BAD)}
    )
    assert response.status_code == 400
    assert "Знаменателят не може да бъде нула." in response.content.decode()


def test_an_oversized_upload_is_refused_before_it_is_read(client, town, owner, indicator, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 10)
    sign_in(client, owner)
    response = upload(client, town, GOOD)
    assert response.status_code == 400
    assert "files up to" in response.content.decode()
    assert Measurement.objects.count() == 0


def test_not_a_spreadsheet(client, town, owner, indicator):
    sign_in(client, owner)
    response = upload(client, town, b"\x89PNG\r\n\x1a\n" + bytes(200), name="photo.png")
    assert response.status_code == 400
    assert "not a spreadsheet" in response.content.decode()


def test_the_data_page_lists_templates_and_exports(client, town, owner, indicator):
    sign_in(client, owner)
    html = client.get(f"/en/{town.slug}/manage/indicators/data/").content.decode()
    assert f"/en/{town.slug}/manage/indicators/data/template.xlsx?plan=opr" in html
    assert f"/en/{town.slug}/manage/indicators/data/export.csv?plan=opr" in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize(
    "role, status", [(Role.VERIFIER, 403), (Role.PLANNER, 403), (Role.ADMINISTRATOR, 200)]
)
def test_only_those_who_enter_values_upload(client, town, indicator, role, status):
    sign_in(client, staff(town, role, f"u-{role}"))
    assert client.get(f"/{town.slug}/manage/indicators/data/import/").status_code == status
    assert client.get(f"/{town.slug}/manage/indicators/data/template.csv").status_code == status


def test_staff_of_another_municipality_are_refused(client, town, indicator):
    other = MunicipalityFactory(slug="karlovo")
    sign_in(client, staff(other, Role.INDICATOR_OWNER, "stranger"))
    assert client.get(f"/{town.slug}/manage/indicators/data/").status_code == 403
    assert upload(client, town, GOOD).status_code == 403
    assert Measurement.objects.count() == 0


def test_anonymous_upload_asks_to_sign_in(client, town, indicator):
    response = upload(client, town, GOOD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Measurement.objects.count() == 0


def test_import_command(tmp_path, town, owner, indicator, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD)
    call_command("import_measurements", "sopot", str(good), "--user", "owner", "--submit")
    assert (
        "2 стойности са изпратени за одобрение." in capsys.readouterr().out
    )  # in the installation's language
    bad = tmp_path / "bad.csv"
    bad.write_bytes(BAD.replace(b"N1,2015", b"N1,2017"))
    with pytest.raises(CommandError, match="2 errors"):
        call_command("import_measurements", "sopot", str(bad), "--user", "owner")
    assert "row 3, column indicator_code (A)" in capsys.readouterr().err
    assert Measurement.objects.count() == 2
