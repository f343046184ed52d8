"""The staff monitoring pages: passports, measurement entry, the verifier's queue, the calendar and
the dashboard; refusals shown on the page with nothing changed; permissions; pinned queries."""

import datetime
import errno
import html
import re
from decimal import Decimal

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from civitas.core.models import Role
from civitas.indicators.models import Indicator, IndicatorChange, Measurement, Target
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
    UserFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


def staff(town, role, username):
    user = UserFactory(username=username, first_name=username.capitalize(), last_name="Staff")
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
def element(town):
    plan = PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)
    return PlanElementFactory(plan=plan, code="SG1")


@pytest.fixture
def indicator(element, owner):
    made = IndicatorFactory(
        element=element, owner=owner, code="N1", responsible_unit_bg="Отдел ТСУ", disaggregation=SETTLEMENTS
    )
    TargetFactory(indicator=made, year=2020, value=Decimal(200))
    return made


SETTLEMENTS = [
    {
        "key": "settlement",
        "name": {"bg": "Населено място", "en": "Settlement"},
        "categories": [
            {"key": "sopot", "bg": "Сопот", "en": "Sopot"},
            {"key": "anevo", "bg": "Анево", "en": "Anevo"},
        ],
    }
]


def base(town):
    return f"/en/{town.slug}/manage/indicators/"


def errors_of(response) -> str:
    page = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', page, re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary.group(0)))) if summary else ""


def state_of(indicator):
    """Everything a refusal must leave unchanged."""
    indicator.refresh_from_db()
    return (
        indicator.version,
        indicator.baseline_value,
        sorted(Target.objects.filter(indicator=indicator).values_list("year", "sub", "value")),
        sorted(Measurement.objects.filter(indicator=indicator).values_list("year", "sub", "value", "state")),
        IndicatorChange.objects.count(),
    )


# Measurement entry ------------------------------------------------------------------------------


def test_owner_enters_a_draft_then_submits(client, town, owner, indicator):
    sign_in(client, owner)
    page = client.get(base(town) + "indicator/N1/")
    assert page.status_code == 200 and "2016" in page.content.decode()
    url = base(town) + "indicator/N1/value/"
    form = client.get(url + "?period=2016")
    assert form.status_code == 200 and "Settlement: Sopot" in form.content.decode()
    response = client.post(
        url,
        {"period": "2016", "value": "150", "breakdown__settlement__sopot": "120",
         "breakdown__settlement__anevo": "30", "collected_on": "2017-01-15", "comment": "НСИ",
         "evidence_url": "https://nsi.bg/report", "action": "draft"},
    )  # fmt: skip
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=indicator, year=2016)
    assert (m.state, m.value, m.breakdown, m.evidence_url) == (
        "draft", Decimal(150), {"settlement": {"sopot": 120, "anevo": 30}}, "https://nsi.bg/report",
    )  # fmt: skip
    assert "The value was saved as a draft." in client.get(response["Location"]).content.decode()
    response = client.post(url, {"period": "2016", "value": "151", "version": m.version, "action": "submit"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.state, m.value, m.breakdown) == ("submitted", Decimal(151), {})


def test_evidence_file_is_checked_and_stored(client, town, owner, indicator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, owner)
    url = base(town) + "indicator/N1/value/"
    bad = client.post(
        url, {"period": "2016", "value": "5", "evidence": SimpleUploadedFile("x.exe", b"MZ\x90\x00\x00\xff")}
    )
    assert bad.status_code == 400
    assert "This kind of file is not accepted" in errors_of(bad)
    assert not Measurement.objects.exists()
    good = client.post(
        url, {"period": "2016", "value": "5", "evidence": SimpleUploadedFile("r.pdf", b"%PDF-1.4 report")}
    )
    assert good.status_code == 302
    assert Measurement.objects.get().evidence.name.endswith(".pdf")


def test_evidence_on_a_full_disk_is_a_clear_message_and_saves_nothing(
    client, town, owner, indicator, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path

    def full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    sign_in(client, owner)
    for page in (base(town).removeprefix("/en"), base(town)):  # Bulgarian, then English
        response = client.post(
            page + "indicator/N1/value/",
            {"period": "2016", "value": "5", "evidence": SimpleUploadedFile("r.pdf", b"%PDF-1.4 report")},
        )
        assert response.status_code == 507
    assert "the site's storage is full. Nothing was saved." in html.unescape(response.content.decode())
    assert not Measurement.objects.exists()
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "passport, data, message",
    [
        ({}, {"period": "2031", "value": "5"}, "There is no such reporting period for this indicator."),
        ({}, {"period": "2016-Q2", "value": "5"}, "The periods of this indicator are written like 2020 (frequency: annual)."),
        ({"measure": "percentage"}, {"period": "2016", "numerator": "5", "denominator": "0"},
         "The denominator cannot be zero."),
        ({"measure": "score", "scale_min": Decimal(1), "scale_max": Decimal(5), "baseline_value": Decimal(3)},
         {"period": "2016", "value": "7"}, "The value must be on the scale from 1.0000 to 5.0000."),
        ({}, {"period": "2016", "value": "150", "breakdown__settlement__sopot": "100",
              "breakdown__settlement__anevo": "30"}, "add up to 130, not to the total 150"),
    ],
    ids=["no-such-year", "no-such-part", "denominator-0", "off-scale", "breakdown-sum"],
)  # fmt: skip
def test_bad_values_are_refused_on_the_page_and_change_nothing(
    client, town, owner, indicator, passport, data, message
):
    Indicator.objects.filter(pk=indicator.pk).update(**passport)
    before = state_of(indicator)
    sign_in(client, owner)
    response = client.post(base(town) + "indicator/N1/value/", {**data, "action": "submit"})
    assert response.status_code == 400
    assert message in errors_of(response)
    assert state_of(indicator) == before


def test_only_the_owner_enters(client, town, indicator, verifier, planner):
    other_owner = staff(town, Role.INDICATOR_OWNER, "other")
    for user in (verifier, planner, other_owner):
        sign_in(client, user)
        response = client.post(base(town) + "indicator/N1/value/", {"period": "2016", "value": "5"})
        assert response.status_code == 403, user
        assert client.get(base(town) + "indicator/N1/value/?period=2016").status_code == 403
    assert not Measurement.objects.exists()


# Verification -----------------------------------------------------------------------------------


@pytest.fixture
def submitted(indicator, owner):
    return MeasurementFactory(
        indicator=indicator, year=2016, value=Decimal(150), state="submitted", entered_by=owner
    )


def test_verifier_approves_and_publishes(client, town, verifier, submitted):
    sign_in(client, verifier)
    queue = client.get(base(town) + "queue/")
    assert queue.status_code == 200 and "N1" in queue.content.decode()
    response = client.post(base(town) + f"values/{submitted.pk}/review/", {"action": "approve"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.state, submitted.approved_by) == ("approved", verifier)
    client.post(base(town) + f"values/{submitted.pk}/review/", {"action": "publish"})
    submitted.refresh_from_db()
    assert submitted.state == "published"
    assert "Nothing waits for verification." in client.get(base(town) + "queue/").content.decode()


def test_verifier_returns_with_a_note_and_the_owner_sees_it(client, town, owner, verifier, submitted):
    sign_in(client, verifier)
    refused = client.post(base(town) + f"values/{submitted.pk}/review/", {"action": "return", "note": " "})
    assert refused.status_code == 400
    assert "Say what needs to change when you return a value." in errors_of(refused)
    client.post(base(town) + f"values/{submitted.pk}/review/", {"action": "return", "note": "Провери НСИ"})
    submitted.refresh_from_db()
    assert (submitted.state, submitted.return_note) == ("returned", "Провери НСИ")
    sign_in(client, owner)
    assert "Провери НСИ" in client.get(base(town) + "indicator/N1/").content.decode()


def test_the_person_who_entered_a_value_cannot_approve_it(client, town, submitted):
    both = staff(town, Role.VERIFIER, "both")
    MembershipFactory(user=both, municipality=town, role=Role.INDICATOR_OWNER)
    Measurement.objects.filter(pk=submitted.pk).update(entered_by=both)
    sign_in(client, both)
    page = client.get(base(town) + f"values/{submitted.pk}/review/")
    assert "You entered this value" in page.content.decode()
    response = client.post(base(town) + f"values/{submitted.pk}/review/", {"action": "approve_publish"})
    assert response.status_code == 400
    assert "The person who entered a value cannot approve or return it" in errors_of(response)
    submitted.refresh_from_db()
    assert submitted.state == "submitted" and submitted.approved_by is None


def test_owner_corrects_a_published_value_with_a_reason(client, town, owner, indicator):
    m = MeasurementFactory(indicator=indicator, year=2016, value=Decimal(150), state="published")
    sign_in(client, owner)
    url = base(town) + f"values/{m.pk}/correct/"
    refused = client.post(url, {"value": "155", "reason": "", "version": m.version})
    assert refused.status_code == 400
    m.refresh_from_db()
    assert (m.value, m.state) == (Decimal(150), "published")
    stale = client.post(url, {"value": "155", "reason": "НСИ коригира"})  # a form without its version
    assert stale.status_code == 400 and "Someone else saved this record" in errors_of(stale)
    assert (
        client.post(url, {"value": "155", "reason": "НСИ коригира", "version": m.version}).status_code == 302
    )
    m.refresh_from_db()
    assert (m.value, m.state) == (Decimal(155), "submitted")
    change = IndicatorChange.objects.get()
    assert (change.old_value, change.new_value, change.reason) == ("150", "155", "НСИ коригира")


# Permissions --------------------------------------------------------------------------------------


PAGES = ["", "dashboard/", "calendar/", "queue/", "indicator/N1/", "indicator/N1/value/?period=2016",
         "indicator/N1/edit/", "new/"]  # fmt: skip


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("owner", {"", "dashboard/", "calendar/", "indicator/N1/", "indicator/N1/value/?period=2016"}),
        ("verifier", {"", "dashboard/", "calendar/", "queue/", "indicator/N1/"}),
        ("planner", {"", "dashboard/", "calendar/", "indicator/N1/", "indicator/N1/edit/", "new/"}),
        ("elsewhere", set()),
        ("citizen", set()),
    ],
)
def test_permissions(client, town, owner, verifier, planner, indicator, who, allowed):
    users = {
        "owner": owner,
        "verifier": verifier,
        "planner": planner,
        "citizen": UserFactory(username="citizen"),
    }
    if who == "elsewhere":
        users[who] = staff(MunicipalityFactory(slug="karlovo"), Role.ADMINISTRATOR, "karlovo-admin")
    sign_in(client, users[who])
    for page in PAGES:
        code = client.get(base(town) + page).status_code
        assert code == (200 if page in allowed else 403), (who, page, code)


def test_anonymous_visitors_are_sent_to_log_in(client, town, indicator):
    for page in PAGES:
        response = client.get(base(town) + page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], page


# Passports --------------------------------------------------------------------------------------


def passport_data(element, **changes):
    data = {
        "attached_to": f"element:{element.pk}", "code": "NEW-1", "name_bg": "Нощувки", "name_en": "Overnight stays",
        "type": "result", "measure": "number", "direction": "increase", "accumulation": "per_period",
        "frequency": "annual", "baseline_value": "1000", "baseline_year": "2013", "weight": "1", "position": "0",
        "disaggregation_text": "settlement | Населено място | Settlement: sopot = Сопот | Sopot; anevo = Анево | Anevo",
        "targets-TOTAL_FORMS": "2", "targets-INITIAL_FORMS": "0", "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000", "targets-0-period": "2017", "targets-0-value": "1500",
        "targets-1-period": "2020", "targets-1-value": "2000", "targets-1-is_final": "on",
    }  # fmt: skip
    data.update(changes)
    return data


def test_planner_creates_a_passport_with_targets_and_disaggregation(client, town, planner, element, owner):
    sign_in(client, planner)
    page = client.get(base(town) + "new/")
    assert page.status_code == 200
    response = client.post(base(town) + "new/", passport_data(element, owner=str(owner.pk)))
    assert response.status_code == 302, errors_of(response)
    made = Indicator.objects.get(code="NEW-1")
    assert (made.element, made.owner, made.disaggregation[0]["categories"][1]["en"]) == (
        element,
        owner,
        "Anevo",
    )
    assert list(made.targets.values_list("year", "value", "is_final")) == [
        (2017, Decimal(1500), False), (2020, Decimal(2000), True),
    ]  # fmt: skip


def test_target_year_outside_the_plan_is_refused(client, town, planner, element):
    sign_in(client, planner)
    response = client.post(base(town) + "new/", passport_data(element, **{"targets-1-period": "2031"}))
    assert response.status_code == 400
    assert "The target year 2031 is outside the plan's period 2014–2020." in errors_of(response)
    assert not Indicator.objects.filter(code="NEW-1").exists()


def edit_data(indicator, element, **changes):
    data = passport_data(
        element, code=indicator.code, baseline_value="100", version=str(indicator.version),
        disaggregation_text="", **{"targets-INITIAL_FORMS": "1", "targets-TOTAL_FORMS": "1",
                                   "targets-0-period": "2020", "targets-0-value": "200", "targets-0-is_final": "on"},
    )  # fmt: skip
    for key in ("targets-1-period", "targets-1-value", "targets-1-is_final"):
        data.pop(key)
    data.update(changes)
    return data


def test_changing_a_target_needs_a_reason_and_is_kept(client, town, planner, element, indicator):
    sign_in(client, planner)
    before = state_of(indicator)
    refused = client.post(
        base(town) + "indicator/N1/edit/", edit_data(indicator, element, **{"targets-0-value": "250"})
    )
    assert refused.status_code == 400
    assert "A change to a target needs a reason." in errors_of(refused)
    assert state_of(indicator) == before
    saved = client.post(
        base(town) + "indicator/N1/edit/",
        edit_data(indicator, element, reason="Нова програма", **{"targets-0-value": "250"}),
    )
    assert saved.status_code == 302, errors_of(saved)
    change = IndicatorChange.objects.get()
    assert (change.field, change.period, change.old_value, change.new_value) == (
        "target",
        "2020",
        "200",
        "250",
    )


def test_removing_a_target_and_changing_the_baseline_need_a_reason(client, town, planner, element, indicator):
    sign_in(client, planner)
    data = edit_data(indicator, element, baseline_value="90", reason="Коригирани данни на НСИ")
    data["targets-0-DELETE"] = "on"
    TargetFactory(indicator=indicator, year=2017, value=Decimal(150), is_final=False)
    data.update({"targets-TOTAL_FORMS": "2", "targets-INITIAL_FORMS": "2", "targets-1-period": "2017",
                 "targets-1-value": "150"})  # fmt: skip
    data.pop("targets-0-is_final")
    data["targets-1-is_final"] = "on"
    response = client.post(base(town) + "indicator/N1/edit/", data)
    assert response.status_code == 302, errors_of(response)
    assert sorted(IndicatorChange.objects.values_list("field", "old_value", "new_value")) == [
        ("baseline_value", "100", "90"), ("target", "200", ""),
    ]  # fmt: skip
    assert list(indicator.targets.values_list("year", flat=True)) == [2017]


def test_a_concurrent_edit_is_refused(client, town, planner, element, indicator):
    sign_in(client, planner)
    Indicator.objects.filter(pk=indicator.pk).update(version=5)
    response = client.post(
        base(town) + "indicator/N1/edit/", edit_data(indicator, element, name_en="Changed")
    )
    assert response.status_code == 400
    assert "Someone else saved this record after you opened it." in errors_of(response)
    indicator.refresh_from_db()
    assert indicator.name_en != "Changed"


# Lists, calendar, dashboard -----------------------------------------------------------------------


def test_staff_list_filters(client, town, planner, indicator, element):
    other = IndicatorFactory(element=element, code="X2", owner=None, responsible_unit_bg="Отдел ФСД")
    sign_in(client, planner)

    def codes(query):
        page = client.get(base(town) + query).content.decode()
        return re.findall(
            r'<td class="govuk-table__cell">([^<]+)</td>\s*<td class="govuk-table__cell"><a', page
        )

    assert codes("") == ["N1", other.code]
    assert codes("?owner=none") == ["X2"]
    assert codes("?unit=Отдел ТСУ") == ["N1"]
    assert codes("?plan=opr&status=no_data") == ["N1", "X2"]
    assert codes("?plan=projects") == []


def many_indicators(element, owner, count):
    for n in range(count):
        made = IndicatorFactory(
            element=element, owner=owner, code=f"M{n}", responsible_unit_bg=f"Unit {n % 2}"
        )
        TargetFactory(indicator=made, year=2020, value=Decimal(300))
        MeasurementFactory(indicator=made, year=2015, value=Decimal(120))
        MeasurementFactory(indicator=made, year=2016, value=Decimal(130), state="submitted", entered_by=owner)


@pytest.mark.parametrize("page", ["", "dashboard/", "calendar/", "calendar/?by=unit", "queue/"])
def test_staff_pages_run_a_fixed_number_of_queries(
    client, town, element, owner, page, django_assert_num_queries
):
    admin = staff(town, Role.ADMINISTRATOR, "admin")
    sign_in(client, admin)
    many_indicators(element, owner, 2)
    client.get(base(town) + page)  # warm the session and the role cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(base(town) + page).status_code == 200
    many_indicators(element, owner, 0)
    for n in range(2, 12):
        made = IndicatorFactory(element=element, owner=owner, code=f"M{n}")
        TargetFactory(indicator=made, year=2020, value=Decimal(300))
        MeasurementFactory(indicator=made, year=2015, value=Decimal(120))
        MeasurementFactory(indicator=made, year=2016, value=Decimal(130), state="submitted", entered_by=owner)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(base(town) + page).status_code == 200


@pytest.mark.parametrize("language", ["bg", "en"])
def test_every_page_in_both_languages(client, town, owner, verifier, indicator, submitted, language):
    sign_in(client, staff(town, Role.ADMINISTRATOR, "admin"))
    prefix = f"/{town.slug}/manage/indicators/" if language == "bg" else base(town)
    pages = [*PAGES, f"values/{submitted.pk}/review/", f"values/{submitted.pk}/correct/"]
    MeasurementFactory(indicator=indicator, year=2015, value=Decimal(120), state="published")
    published = Measurement.objects.get(year=2015)
    pages[-1] = f"values/{published.pk}/correct/"
    Indicator.objects.filter(pk=indicator.pk).update(owner=None)
    for page in pages:
        response = client.get(prefix + page)
        assert response.status_code == 200, page
        assert f'lang="{language}"' in response.content.decode(), page
    if language == "bg":
        assert "Табло за наблюдение" in client.get(prefix + "dashboard/").content.decode()


@override_settings(CIVITAS_REPORTING_DEADLINE_DAYS=60)
def test_dashboard_lists_late_waiting_and_off_track(client, town, owner, element, submitted, indicator):
    off = IndicatorFactory(element=element, owner=owner, code="OFF")
    TargetFactory(indicator=off, year=2020, value=Decimal(300))
    MeasurementFactory(indicator=off, year=2020, value=Decimal(105))
    sign_in(client, owner)
    page = client.get(base(town) + "dashboard/").content.decode()
    attention = re.findall(r'<tr class="govuk-table__row" data-code="([^"]+)"', page)
    assert attention == ["OFF"]
    assert re.search(r'data-count="waiting">1<', page)
    # N1 (annual, 2014–2020): every year but 2016 (submitted) is overdue long ago; OFF's 2014–2019.
    assert re.search(r'data-count="overdue">12<', page)
    assert "Unlikely to meet the target" in page or "Not enough values for a trend yet." in page


def test_manage_dashboard_links_to_monitoring(client, town, owner):
    sign_in(client, owner)
    page = client.get(f"/en/{town.slug}/manage/").content.decode()
    assert f"/en/{town.slug}/manage/indicators/dashboard/" in page


def test_calendar_groups_by_owner_and_unit(client, town, owner, indicator, element):
    IndicatorFactory(element=element, owner=None, code="X2", responsible_unit_bg="Отдел ФСД")
    sign_in(client, owner)
    by_owner = client.get(base(town) + "calendar/").content.decode()
    assert "Owner Staff" in by_owner and "No owner" in by_owner
    by_unit = client.get(base(town) + "calendar/?by=unit").content.decode()
    assert "Отдел ТСУ" in by_unit and "Отдел ФСД" in by_unit
    assert datetime.date.today().year > 2020  # the fixture's plan has ended: everything is overdue
    assert by_unit.count("civitas-calendar--overdue") == 14


@pytest.mark.parametrize("typed", ["2018-H2", "2018-02", "2018"])
def test_a_period_of_another_frequency_is_refused(client, town, owner, element, typed):
    """2018-H2 and 2018-02 would both be stored as part 2: for a quarterly indicator they are
    refused, as is a whole year, with a message saying how to write its periods."""
    IndicatorFactory(element=element, owner=owner, code="Q1", frequency="quarterly", disaggregation=[])
    sign_in(client, owner)
    response = client.post(base(town) + "indicator/Q1/value/", {"period": typed, "value": "5"})
    assert response.status_code == 400
    assert "The periods of this indicator are written like 2020-Q3 (frequency: quarterly)." in errors_of(
        response
    )
    assert not Measurement.objects.filter(indicator__code="Q1").exists()
    ok = client.post(base(town) + "indicator/Q1/value/", {"period": "2018-Q2", "value": "5"})
    assert ok.status_code == 302 and Measurement.objects.get(indicator__code="Q1").sub == 2


def test_targets_are_for_a_year_or_a_period_of_the_indicators_frequency(client, town, planner, element):
    sign_in(client, planner)
    data = passport_data(element, frequency="quarterly", **{"targets-0-period": "2017-H1"})
    response = client.post(base(town) + "new/", data)
    assert response.status_code == 400 and not Indicator.objects.filter(code="NEW-1").exists()
    assert "The periods of this indicator are written like 2020-Q3 (frequency: quarterly)." in errors_of(
        response
    )
    data["targets-0-period"] = "2017-Q2"
    assert client.post(base(town) + "new/", data).status_code == 302
    made = Indicator.objects.get(code="NEW-1")
    assert list(made.targets.values_list("year", "sub")) == [(2017, 2), (2020, 0)]


def test_the_passport_says_which_other_elements_an_indicator_also_serves(
    client, town, planner, element, indicator
):
    other = PlanElementFactory(plan=element.plan, code="SG2")
    elsewhere = PlanElementFactory(plan=PlanFactory(municipality=town, slug="pir"), code="P9")
    sign_in(client, planner)
    assert "Also serves" in client.get(base(town) + "indicator/N1/edit/").content.decode()
    saved = client.post(
        base(town) + "indicator/N1/edit/", edit_data(indicator, element, also_serves=[other.pk, elsewhere.pk])
    )
    assert saved.status_code == 302, errors_of(saved)
    assert set(indicator.also_elements.all()) == {other, elsewhere}
    foreign = PlanElementFactory(code="K1")  # of another municipality: not offered, not accepted
    indicator.refresh_from_db()
    refused = client.post(
        base(town) + "indicator/N1/edit/", edit_data(indicator, element, also_serves=[foreign.pk])
    )
    assert refused.status_code == 400
    assert set(indicator.also_elements.all()) == {other, elsewhere}
    indicator.refresh_from_db()
    own = client.post(
        base(town) + "indicator/N1/edit/", edit_data(indicator, element, also_serves=[element.pk])
    )
    assert own.status_code == 400 and "the element it belongs to" in errors_of(own)
