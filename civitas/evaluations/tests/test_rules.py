"""The pure rules of evaluations: when a recommendation is overdue, the rating scale, the
follow-up's conditions."""

import datetime

import pytest

from civitas.evaluations import rules
from civitas.evaluations.models import Rating

DEADLINE = datetime.date(2019, 6, 30)


@pytest.mark.parametrize(
    ("status", "as_of", "overdue"),
    [
        ("open", datetime.date(2019, 7, 1), True),  # the day after the deadline
        ("in_progress", datetime.date(2020, 1, 1), True),
        ("open", DEADLINE, False),  # the deadline day itself is in time
        ("open", datetime.date(2019, 1, 1), False),
        ("done", datetime.date(2020, 1, 1), False),
        ("closed", datetime.date(2020, 1, 1), False),
    ],
)
def test_overdue_when_past_the_deadline_and_not_done_or_closed(status, as_of, overdue):
    assert rules.is_overdue(deadline=DEADLINE, status=status, as_of=as_of) is overdue


def test_without_a_deadline_never_overdue():
    assert not rules.is_overdue(deadline=None, status="open", as_of=datetime.date(2100, 1, 1))


def test_the_scale_is_one_to_four_labelled():
    assert Rating.values == [1, 2, 3, 4]
    assert str(Rating(1).label) == "Unsatisfactory" and str(Rating(4).label) == "Highly satisfactory"


@pytest.mark.parametrize("value", [1, 2, 3, 4, None])
def test_ratings_on_the_scale_pass(value):
    assert rules.check_rating(value) == {}


@pytest.mark.parametrize("value", [0, 5, -1, "3", 2.5])
def test_ratings_outside_the_scale_are_refused(value):
    assert "from 1 (Unsatisfactory) to 4 (Highly satisfactory)" in rules.check_rating(value)["rating"][0]


def test_done_or_closed_needs_a_response():
    today = datetime.date(2020, 1, 1)
    for status in ("done", "closed"):
        errors = rules.check_follow_up({"status": status, "response": ""}, today=today)
        assert "before the administration has responded" in errors["status"][0]
    assert rules.check_follow_up({"status": "closed", "response": "accepted"}, today=today) == {}


def test_a_rejection_needs_reasons():
    today = datetime.date(2020, 1, 1)
    errors = rules.check_follow_up({"status": "closed", "response": "rejected"}, today=today)
    assert "reasons" in errors["response_reasons_bg"][0]
    assert (
        rules.check_follow_up(
            {"status": "closed", "response": "rejected", "response_reasons_bg": "Няма средства"}, today=today
        )
        == {}
    )


def test_deadline_not_before_the_evaluation():
    evaluated = datetime.date(2017, 9, 30)
    errors = rules.check_recommendation({"text_bg": "x", "deadline": datetime.date(2017, 9, 29)},
                                        evaluation_date=evaluated)  # fmt: skip
    assert "30.09.2017" in errors["deadline"][0]
    assert (
        rules.check_recommendation({"text_bg": "x", "deadline": evaluated}, evaluation_date=evaluated) == {}
    )


def test_subject_must_name_what_is_evaluated():
    assert "plan" in rules.check_evaluation({"title_bg": "x", "subject_kind": "plan"})
    assert "policy_area" in rules.check_evaluation({"title_bg": "x", "subject_kind": "policy_area"})
    assert (
        rules.check_evaluation({"title_bg": "x", "subject_kind": "policy_area", "policy_area": "housing"})
        == {}
    )


def test_a_published_evaluation_takes_only_its_decision():
    assert rules.check_published_edit({"decision"}) == {}
    assert rules.check_published_edit({"summary_bg"})
