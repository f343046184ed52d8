"""The pure answer rules, table-driven: every bad input and what it is refused with."""

from decimal import Decimal

import pytest
from django.utils import translation

from civitas.surveys import rules
from civitas.surveys.rules import QuestionSpec

SINGLE = QuestionSpec(id=1, kind="single", required=True, options=(11, 12, 13))
MULTIPLE = QuestionSpec(id=2, kind="multiple", options=(21, 22, 23))
LIKERT = QuestionSpec(id=3, kind="likert", required=True, scale_size=5)
RANKING = QuestionSpec(id=4, kind="ranking", options=(41, 42, 43))
NUMBER = QuestionSpec(id=5, kind="number", min_value=Decimal("0"), max_value=Decimal("120"))
SHORT = QuestionSpec(id=6, kind="short_text", max_length=10)
LONG = QuestionSpec(id=7, kind="long_text")
# Shown only if question 1 is answered with option 12.
FOLLOW_UP = QuestionSpec(id=8, kind="long_text", required=True, condition=(1, 12))
# Shown only if question 8 is shown and question 2 includes option 23: conditions chain.
QUESTIONS = (SINGLE, MULTIPLE, LIKERT, RANKING, NUMBER, SHORT, LONG, FOLLOW_UP)

VALID = {1: "11", 2: ["21", "23"], 3: "4", 4: {41: "2", 42: "1", 43: "3"}, 5: "42", 6: "Сопот", 7: "Текст"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_valid_answer_set_is_cleaned():
    cleaned, errors = rules.check_answers(QUESTIONS, VALID)
    assert errors == {}
    assert cleaned == {
        1: 11, 2: (21, 23), 3: 4, 4: (42, 41, 43), 5: Decimal("42"), 6: "Сопот", 7: "Текст",
    }  # fmt: skip


BAD = [
    # (what, changed answers, field, message)
    ("missing required choice", {1: ""}, "q1", "Answer this question."),
    ("missing required Likert", {3: None}, "q3", "Answer this question."),
    ("option of another question", {1: "21"}, "q1", "Choose one of the options given."),
    ("option that does not exist", {1: "999"}, "q1", "Choose one of the options given."),
    ("not a number as option", {1: "abc"}, "q1", "Choose one of the options given."),
    ("multiple outside options", {2: ["21", "99"]}, "q2", "Choose only among the options given."),
    ("Likert above the scale", {3: "6"}, "q3", "Choose a point of the scale from 1 to 5."),
    ("Likert below the scale", {3: "0"}, "q3", "Choose a point of the scale from 1 to 5."),
    ("Likert not a number", {3: "x"}, "q3", "Choose a point of the scale from 1 to 5."),
    ("ranking with a repeated rank", {4: {41: "1", 42: "1", 43: "3"}}, "q4", "Give each option a different rank from 1 to 3."),
    ("ranking incomplete", {4: {41: "1", 42: "2", 43: ""}}, "q4", "Give each option a different rank from 1 to 3."),
    ("ranking out of range", {4: {41: "1", 42: "2", 43: "4"}}, "q4", "Give each option a different rank from 1 to 3."),
    ("ranking of a foreign option", {4: {41: "1", 42: "2", 99: "3"}}, "q4", "Rank only the options given."),
    ("ranking as a short list", {4: ["41", "42"]}, "q4", "Give each option a different rank from 1 to 3."),
    ("number below the minimum", {5: "-1"}, "q5", "Enter a number of at least 0."),
    ("number above the maximum", {5: "121"}, "q5", "Enter a number of at most 120."),
    ("not a number", {5: "twelve"}, "q5", "Enter a number, e.g. 12 or 3.5."),
    ("infinite number", {5: "inf"}, "q5", "Enter a number, e.g. 12 or 3.5."),
    ("text too long", {6: "x" * 11}, "q6", "Write at most 10 characters (you wrote 11)."),
    ("long text over the default", {7: "x" * 5001}, "q7", "Write at most 5000 characters (you wrote 5001)."),
    ("required follow-up when shown", {1: "12"}, "q8", "Answer this question."),
    ("answer to a question not in the survey", {99: "x"}, "__all__", "Some answers are to questions that are not in this survey."),
]  # fmt: skip


@pytest.mark.parametrize("what,changed,field,message", BAD, ids=[b[0] for b in BAD])
def test_bad_answers_are_refused_with_a_message(what, changed, field, message):
    cleaned, errors = rules.check_answers(QUESTIONS, VALID | changed)
    assert errors.get(field) == [message], errors
    assert set(errors) == {field}


def test_answers_to_hidden_questions_are_ignored():
    cleaned, errors = rules.check_answers(QUESTIONS, VALID | {8: "should be dropped"})
    assert errors == {}
    assert 8 not in cleaned


def test_a_shown_follow_up_is_kept():
    cleaned, errors = rules.check_answers(QUESTIONS, VALID | {1: "12", 8: "Защото"})
    assert errors == {} and cleaned[8] == "Защото"


def test_conditions_on_multiple_choice_and_chains():
    on_multiple = QuestionSpec(id=9, kind="number", required=True, condition=(2, 23))
    chained = QuestionSpec(id=10, kind="short_text", required=True, condition=(8, 0))
    questions = QUESTIONS + (on_multiple, chained)
    _cleaned, errors = rules.check_answers(questions, VALID)
    assert errors == {"q9": ["Answer this question."]}  # 23 chosen; 8 hidden so 10 hidden too
    _cleaned, errors = rules.check_answers(questions, VALID | {2: ["21"]})
    assert errors == {}
    assert rules.visible_questions(questions, {1: 12, 2: (23,)}) == {1, 2, 3, 4, 5, 6, 7, 8, 9}


def test_optional_questions_may_stay_unanswered():
    cleaned, errors = rules.check_answers(QUESTIONS, {1: "13", 3: "1", 4: {41: "", 42: "", 43: ""}})
    assert errors == {} and cleaned == {1: 13, 3: 1}


def test_ranking_in_order_and_numbers_with_a_comma():
    cleaned, errors = rules.check_answers(QUESTIONS, VALID | {4: [43, 41, 42], 5: "3,5"})
    assert errors == {}
    assert cleaned[4] == (43, 41, 42) and cleaned[5] == Decimal("3.5")


def test_text_is_stripped_and_bools_are_not_numbers():
    assert rules.check_answer(SHORT, "  Анево  ") == ("Анево", [])
    assert rules.check_answer(NUMBER, True)[1] == ["Enter a number, e.g. 12 or 3.5."]
    assert rules.check_answer(SINGLE, True)[1] == ["Choose one of the options given."]


SURVEY_BAD = [
    ({"title_bg": ""}, "title_bg", "Give the survey's title in Bulgarian."),
    ({"opens_at": 2, "closes_at": 1}, "closes_at", "The survey must close after it opens."),
    ({"one_response_per": "account", "access": "anonymous"}, "one_response_per",
     "One response per account needs a survey answered by signed-in citizens only."),
]  # fmt: skip


@pytest.mark.parametrize("data,field,message", SURVEY_BAD)
def test_survey_rules(data, field, message):
    assert rules.check_survey({"title_bg": "Анкета"} | data) == {field: [message]}


QUESTION_BAD = [
    ({"kind": "essay"}, 0, "kind", "Unknown kind of question “essay”."),
    ({"text_bg": " "}, 0, "text_bg", "Write the question in Bulgarian."),
    ({"kind": "single"}, 1, "options", "A choice or ranking question needs at least two options."),
    ({"kind": "number"}, 2, "options", "Only choice and ranking questions have options."),
    ({"kind": "likert", "scale_size": 1}, 0, "scale_size", "A scale has from 2 to 11 points."),
    ({"kind": "likert", "scale_size": 5, "scale_labels": [{"bg": "a"}]}, 0, "scale_labels",
     "Give a label for each of the 5 points, or none."),
    ({"kind": "number", "min_value": 5, "max_value": 1}, 0, "max_value",
     "The largest number cannot be below the smallest."),
    ({"kind": "short_text", "max_length": 0}, 0, "max_length", "Allow from 1 to 20000 characters."),
]  # fmt: skip


@pytest.mark.parametrize("data,options,field,message", QUESTION_BAD)
def test_question_rules(data, options, field, message):
    assert rules.check_question({"kind": "number", "text_bg": "Въпрос"} | data, option_count=options) == {
        field: [message]
    }


def test_condition_rules():
    assert rules.check_condition(position=3, on_position=1, on_kind="single") == {}
    assert rules.check_condition(position=1, on_position=3, on_kind="single") == {
        "condition_option": ["A condition can only depend on an earlier question."]
    }
    assert rules.check_condition(position=3, on_position=1, on_kind="likert") == {
        "condition_option": ["A condition can only depend on a single or multiple choice question."]
    }
