"""The reporting calendar's rules (pure, table-driven) and the reminders (e-mail, once a day)."""

import datetime
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from civitas.accounts.models import Profile
from civitas.core.models import Role
from civitas.evaluation.engine import Period
from civitas.indicators import reporting, tasks
from civitas.indicators.models import ReminderSent
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    UserFactory,
)

Q = Period.quarter
Y = Period


def kinds(items):
    return [(item.period.label, item.kind.value, item.state) for item in items]


@pytest.mark.parametrize(
    "frequency, years, states, today, days, expected",
    [
        # Nothing is due before a period ends.
        ("annual", (2024, 2026), {}, date(2024, 12, 31), 60, []),
        # The day after the year ends its value is due, 60 days later it is overdue.
        ("annual", (2024, 2026), {}, date(2025, 1, 1), 60, [("2024", "due", "")]),
        ("annual", (2024, 2026), {}, date(2025, 3, 1), 60, [("2024", "due", "")]),  # 31.12 + 60 = 1.3
        ("annual", (2024, 2026), {}, date(2025, 3, 2), 60, [("2024", "overdue", "")]),
        # A submitted, approved or published value is reported; a draft or a returned one is not.
        ("annual", (2024, 2026), {Y(2024): "submitted"}, date(2025, 6, 1), 60, []),
        ("annual", (2024, 2026), {Y(2024): "published"}, date(2025, 6, 1), 60, []),
        ("annual", (2024, 2026), {Y(2024): "draft"}, date(2025, 6, 1), 60, [("2024", "overdue", "draft")]),
        ("annual", (2024, 2026), {Y(2024): "returned"}, date(2025, 2, 1), 60, [("2024", "due", "returned")]),
        # Quarters: Q1 overdue, Q2 due, Q3 not ended.
        ("quarterly", (2025, 2025), {}, date(2025, 8, 1), 45, [("2025-Q1", "overdue", ""), ("2025-Q2", "due", "")]),
        ("quarterly", (2025, 2025), {Q(2025, 1): "approved"}, date(2025, 8, 1), 45, [("2025-Q2", "due", "")]),
        # Monthly with no grace at all: the day after the deadline.
        ("monthly", (2025, 2025), {}, date(2025, 2, 1), 0, [("2025-01", "overdue", "")]),
        # Semi-annual; a plan that has ended leaves its missing values overdue.
        ("semiannual", (2019, 2020), {Y(2019, "semiannual", 1): "published"}, date(2030, 1, 1), 60,
         [("2019-H2", "overdue", ""), ("2020-H1", "overdue", ""), ("2020-H2", "overdue", "")]),
        # No years (a project without dates): no calendar.
        ("annual", None, {}, date(2025, 6, 1), 60, []),
    ],
)  # fmt: skip
def test_due_items(frequency, years, states, today, days, expected):
    items = reporting.due_items(
        frequency=frequency, years=years, states=states, today=today, deadline_days=days
    )
    assert kinds(items) == expected


@pytest.mark.parametrize(
    "frequency, published, as_of, grace, stale",
    [
        ("annual", [], date(2030, 1, 1), 90, False),  # never reported: overdue, not stale
        # The next year's value was due at the end of 2021; plus 90 days: 31.3.2022.
        ("annual", [Y(2020)], date(2022, 3, 31), 90, False),
        ("annual", [Y(2020)], date(2022, 4, 1), 90, True),
        ("annual", [Y(2019), Y(2020)], date(2022, 4, 1), 90, True),
        ("quarterly", [Q(2025, 1)], date(2025, 6, 30), 0, False),
        ("quarterly", [Q(2025, 1)], date(2025, 7, 1), 0, True),
        ("quarterly", [Q(2025, 2), Q(2025, 1)], date(2025, 7, 1), 0, False),
    ],
)
def test_stale_is_the_engines_rule(frequency, published, as_of, grace, stale):
    assert (
        reporting.is_stale(frequency=frequency, published=published, as_of=as_of, grace_days=grace) is stale
    )


@pytest.mark.parametrize(
    "today, days, expected",
    [
        (date(2025, 1, 10), 14, ["2023"]),  # 2024 is due on 1.3.2025: more than 14 days away
        (date(2025, 2, 20), 14, ["2023", "2024"]),
        (date(2025, 3, 1), 0, ["2023", "2024"]),  # the last day
    ],
)
def test_a_reminder_lists_the_overdue_and_what_is_due_soon(today, days, expected):
    items = reporting.due_items(
        frequency="annual", years=(2023, 2025), states={}, today=today, deadline_days=60
    )
    assert [i.period.label for i in reporting.due_within(items, today=today, days=days)] == expected


def test_deadline():
    assert reporting.deadline(Q(2025, 2), 60) == date(2025, 8, 29)
    assert reporting.deadline(Y(2024), 0) == date(2024, 12, 31)


# Reminders ---------------------------------------------------------------------------------------


@pytest.fixture
def reminded(db, settings):
    settings.CIVITAS_REPORTING_DEADLINE_DAYS = 60
    settings.CIVITAS_REMINDER_DAYS_AHEAD = 14
    settings.CIVITAS_SITE_URL = "https://civitas.example"
    town = MunicipalityFactory(slug="sopot")
    plan = PlanFactory(municipality=town, slug="opr", period_start=2023, period_end=2025)
    element = PlanElementFactory(plan=plan)
    owner = UserFactory(username="owner", first_name="Николай", last_name="Стоянов")
    MembershipFactory(user=owner, municipality=town, role=Role.INDICATOR_OWNER)
    english = UserFactory(username="english")
    Profile.objects.create(user=english, display_name="E", language="en")
    MembershipFactory(user=english, municipality=town, role=Role.INDICATOR_OWNER)
    IndicatorFactory(
        element=element, owner=owner, code="T-1", name_bg="Нощувки", name_en="Overnight stays",
        baseline_value=Decimal(10), baseline_year=2022,
    )  # fmt: skip
    done = IndicatorFactory(
        element=element, owner=english, code="T-2", name_bg="Посетители", name_en="Visitors",
        baseline_value=Decimal(10), baseline_year=2022,
    )  # fmt: skip
    MeasurementFactory(indicator=done, year=2023, state="published")
    IndicatorFactory(element=element, owner=None, code="T-3")  # no owner: nobody to remind
    return town, owner, english


def test_reminders_are_sent_once_a_day(reminded, django_capture_on_commit_callbacks):
    town, owner, english = reminded
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2025-02-20")
    assert len(mail.outbox) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    bg = by_address[owner.email]
    assert "Нощувки" in bg.body and "Просрочени:" in bg.body and "Overdue" not in bg.body
    assert "2023" in bg.body and "2024" in bg.body
    assert "https://civitas.example/sopot/manage/indicators/calendar/" in bg.body
    en = by_address[english.email]
    assert "Посетители" in en.body and "Visitors" in en.body and "Due soon:" in en.body
    assert " / " in en.subject
    assert ReminderSent.objects.get(owner=owner).overdue_count == 1
    # Again on the same day: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2025-02-20")
    assert len(mail.outbox) == 2
    # The next day, again.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2025-02-21")
    assert len(mail.outbox) == 4


def test_delivering_twice_sends_one_mail(reminded):
    town, owner, _english = reminded
    day = datetime.date(2025, 2, 20)
    assert tasks.reminder_deliver(municipality_id=town.pk, owner_id=owner.pk, day=day) is True
    assert tasks.reminder_deliver(municipality_id=town.pk, owner_id=owner.pk, day=day) is False
    assert len(mail.outbox) == 1


def test_nothing_due_sends_nothing(reminded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2023-06-01")  # nothing has ended yet
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_people_who_left_the_municipality_are_not_reminded(reminded, django_capture_on_commit_callbacks):
    from civitas.core.models import Membership

    town, owner, english = reminded
    Membership.objects.filter(user=owner).delete()  # the owner left; the passport still names them
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2025-02-20")
    assert [m.to for m in mail.outbox] == [[english.email]]
