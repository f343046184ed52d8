"""Submitting responses: what is stored, every refusal (nothing stored), one response per person
under concurrency, and the staff's questionnaire edits."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent
from civitas.surveys import selectors, services
from civitas.surveys.models import Answer, Invitation, Question, Response, Section
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory

from .conftest import build_survey, valid_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def messages(error: ValidationError) -> dict:
    return {field: [str(m) for m in items] for field, items in error.message_dict.items()}


def test_a_response_and_its_answers_are_stored_in_one_go(survey, django_assert_max_num_queries):
    answers = valid_answers(survey, settlement=1)
    selectors.questionnaire(survey)  # cached, as on a page that showed the form
    with django_assert_max_num_queries(4):  # savepoint handling aside: insert response, insert answers
        response = services.survey_submit(actor=None, survey=survey, answers=answers)
    q1, q2, q3, q4, q5, q6, q7 = survey.q
    stored = list(Answer.objects.filter(response=response).order_by("question__position", "rank", "pk"))
    assert [(a.question_id, a.option_id is not None, a.rank) for a in stored] == [
        (q1.pk, True, None), (q2.pk, True, None), (q2.pk, True, None), (q3.pk, False, None),
        (q4.pk, True, 1), (q4.pk, True, 2), (q4.pk, True, 3), (q5.pk, False, None), (q6.pk, False, None),
        (q7.pk, False, None),
    ]  # fmt: skip
    assert stored[3].number == 4 and stored[9].text == "Детска площадка"
    assert response.source == "online" and response.user is None and response.dedupe_key is None


def _refused(call) -> dict:
    before = (
        Response.objects.count(),
        Answer.objects.count(),
        Invitation.objects.filter(used_at__isnull=False).count(),
    )
    with pytest.raises(ValidationError) as error:
        call()
    after = (
        Response.objects.count(),
        Answer.objects.count(),
        Invitation.objects.filter(used_at__isnull=False).count(),
    )
    assert after == before, "a refused submission changed something"
    return messages(error.value)


def test_bad_input_is_refused_and_nothing_is_stored(sopot, planner):
    citizen = UserFactory()
    by_account = build_survey(sopot, planner, slug="accounts", access="account", one_response_per="account")
    by_code = build_survey(sopot, planner, slug="codes", one_response_per="code")
    open_to_all = build_survey(sopot, planner, slug="all")
    codes = services.invitations_generate(actor=planner, survey=by_code, count=2)
    other_survey_code = services.invitations_generate(actor=planner, survey=by_account, count=1)[0].code
    services.survey_submit(actor=citizen, survey=by_account, answers=valid_answers(by_account))
    services.survey_submit(
        actor=None, survey=by_code, answers=valid_answers(by_code), invitation_code=codes[0].code
    )
    q1, q2, q3 = open_to_all.q[:3]
    wrong = valid_answers(open_to_all)

    closed = build_survey(sopot, planner, slug="closed")
    closed.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    closed.opens_at = closed.closes_at - datetime.timedelta(days=5)
    closed.save()
    future = build_survey(sopot, planner, slug="future")
    future.opens_at = timezone.now() + datetime.timedelta(days=1)
    future.save()
    draft = build_survey(sopot, planner, slug="draft", status="draft")

    cases = [
        (lambda: services.survey_submit(actor=None, survey=open_to_all, answers=wrong | {q1.pk: str(q2.options.first().pk)}),
         {f"q{q1.pk}": ["Choose one of the options given."]}),
        (lambda: services.survey_submit(actor=None, survey=open_to_all, answers=wrong | {q1.pk: ""}),
         {f"q{q1.pk}": ["Answer this question."]}),
        (lambda: services.survey_submit(actor=None, survey=open_to_all, answers=wrong | {q3.pk: "7"}),
         {f"q{q3.pk}": ["Choose a point of the scale from 1 to 5."]}),
        (lambda: services.survey_submit(actor=None, survey=open_to_all, answers={}),
         {f"q{q1.pk}": ["Answer this question."], f"q{q3.pk}": ["Answer this question."]}),
        (lambda: services.survey_submit(actor=citizen, survey=by_account, answers=valid_answers(by_account)),
         {"__all__": ["You have already answered this survey: only one response per person is counted."]}),
        (lambda: services.survey_submit(actor=None, survey=by_account, answers=valid_answers(by_account)),
         {"__all__": ["Sign in to answer this survey."]}),
        (lambda: services.survey_submit(actor=None, survey=by_code, answers=valid_answers(by_code), invitation_code=codes[0].code),
         {"invitation_code": ["This invitation code has already been used to answer the survey."]}),
        (lambda: services.survey_submit(actor=None, survey=by_code, answers=valid_answers(by_code), invitation_code="NOPE-NOPE"),
         {"invitation_code": ["This invitation code is not valid for this survey."]}),
        (lambda: services.survey_submit(actor=None, survey=by_code, answers=valid_answers(by_code), invitation_code=other_survey_code),
         {"invitation_code": ["This invitation code is not valid for this survey."]}),
        (lambda: services.survey_submit(actor=None, survey=by_code, answers=valid_answers(by_code)),
         {"invitation_code": ["Enter the invitation code you received."]}),
        (lambda: services.survey_submit(actor=None, survey=closed, answers=valid_answers(closed)),
         {"__all__": ["The survey is closed: responses are no longer accepted."]}),
        (lambda: services.survey_submit(actor=None, survey=draft, answers=valid_answers(draft)),
         {"__all__": ["The survey is closed: responses are no longer accepted."]}),
        (lambda: services.survey_submit(actor=None, survey=future, answers=valid_answers(future)),
         {"__all__": ["The survey is not open yet."]}),
    ]  # fmt: skip
    for call, expected in cases:
        assert _refused(call) == expected
    # The unused code still works; the code is accepted in lower case and without its hyphen.
    formatted = services.format_code(codes[1].code).lower()
    services.survey_submit(
        actor=None, survey=by_code, answers=valid_answers(by_code), invitation_code=formatted
    )
    assert Invitation.objects.get(pk=codes[1].pk).used_at is not None


def test_one_response_per_account_and_per_code_is_recorded(sopot, planner):
    citizen = UserFactory()
    by_account = build_survey(sopot, planner, slug="accounts", access="account", one_response_per="account")
    response = services.survey_submit(actor=citizen, survey=by_account, answers=valid_answers(by_account))
    assert response.user == citizen and response.dedupe_key == f"user:{citizen.pk}"
    assert selectors.has_answered(survey=by_account, user=citizen)
    by_code = build_survey(sopot, planner, slug="codes", one_response_per="code")
    code = services.invitations_generate(actor=planner, survey=by_code, count=1)[0]
    response = services.survey_submit(
        actor=citizen, survey=by_code, answers=valid_answers(by_code), invitation_code=code.code
    )
    assert response.invitation_id == code.pk and response.dedupe_key == f"code:{code.pk}"
    assert response.user is None  # an anonymous survey does not record who answered


def test_paper_responses_are_entered_by_staff_even_after_closing(survey, planner):
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.opens_at = survey.closes_at - datetime.timedelta(days=3)
    survey.save()
    response = services.paper_response_enter(actor=planner, survey=survey, answers=valid_answers(survey))
    assert response.source == "paper" and response.entered_by == planner
    assert AuditEvent.objects.filter(action="enter_paper_response", object_id=str(response.pk)).exists()


def test_invitation_codes_are_unique_and_readable(survey, planner):
    codes = services.invitations_generate(actor=planner, survey=survey, count=300, batch="Анево")
    values = [c.code for c in codes]
    assert len(set(values)) == 300
    assert all(len(c) == 8 and set(c) <= set(services.CODE_ALPHABET) for c in values)
    with pytest.raises(ValidationError):
        services.invitations_generate(actor=planner, survey=survey, count=0)


# Concurrency: two submissions of the same person at the same moment ------------------------------


def _race(calls) -> list:
    """Run the calls at the same moment in threads, each on its own connection; their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except ValidationError as error:
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


needs_concurrent_db = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite serialises writers; the race is real on PostgreSQL"
)


@needs_concurrent_db
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rule", ["account", "code"])
def test_concurrent_double_submission_stores_exactly_one(rule, transactional_db):
    sopot = MunicipalityFactory(slug="sopot")
    planner = MembershipFactory(municipality=sopot, role="planner").user
    citizen = UserFactory()
    fields = (
        {"access": "account", "one_response_per": "account"}
        if rule == "account"
        else {"one_response_per": "code"}
    )
    survey = build_survey(sopot, planner, **fields)
    code = (
        services.invitations_generate(actor=planner, survey=survey, count=1)[0].code
        if rule == "code"
        else None
    )
    for _round in range(5):
        Response.objects.filter(survey=survey).delete()
        Invitation.objects.filter(survey=survey).update(used_at=None)
        outcomes = _race(
            [
                lambda: services.survey_submit(
                    actor=citizen, survey=survey, answers=valid_answers(survey), invitation_code=code
                )
            ]
            * 4
        )
        stored = [o for o in outcomes if isinstance(o, Response)]
        refused = [o for o in outcomes if isinstance(o, ValidationError)]
        assert len(stored) == 1 and len(refused) == 3, outcomes
        assert Response.objects.filter(survey=survey).count() == 1
        assert (
            Answer.objects.filter(response__survey=survey).count()
            == Answer.objects.filter(response=stored[0]).count()
        )


# Staff: building the questionnaire ----------------------------------------------------------------


def test_editing_the_questionnaire_moves_the_version_and_refreshes_the_cache(survey, planner):
    before = selectors.questionnaire(survey)
    q6 = survey.q[5]
    services.question_update(
        actor=planner, question=q6, expected_version=q6.version, text_bg="Две думи", required=True
    )
    survey.refresh_from_db()
    after = selectors.questionnaire(survey)
    assert after.version > before.version
    assert after.question(q6.pk).text_bg == "Две думи" and after.specs[5].required


def test_questions_with_answers_keep_their_kind_and_options(survey, planner):
    services.survey_submit(actor=None, survey=survey, answers=valid_answers(survey))
    q1 = survey.q[0]
    with pytest.raises(ValidationError) as error:
        services.question_update(actor=planner, question=q1, expected_version=q1.version, kind="multiple")
    assert "kind" in error.value.message_dict
    q2 = survey.q[1]  # answered with its first and third options
    with pytest.raises(ValidationError) as error:
        services.question_update(
            actor=planner,
            question=q2,
            expected_version=q2.version,
            options=[("Икономика", ""), ("Среда", "")],
        )
    assert error.value.message_dict == {
        "options": ["Options that have answers cannot be removed; you can rename them."]
    }
    assert q2.options.count() == 3
    services.question_update(
        actor=planner,
        question=q1,
        expected_version=q1.version,
        options=[("гр. Сопот", "Sopot town"), ("с. Анево", "Anevo")],
    )
    assert list(q1.options.values_list("label_bg", flat=True)) == ["гр. Сопот", "с. Анево"]
    with pytest.raises(ValidationError):
        services.question_delete(actor=planner, question=q1)
    with pytest.raises(ValidationError):
        services.survey_delete(actor=planner, survey=survey)


def test_conditions_must_depend_on_an_earlier_choice_question(survey, planner):
    q1, q2, q3 = survey.q[:3]
    own_option = q2.options.first()
    with pytest.raises(ValidationError) as error:
        services.question_update(
            actor=planner, question=q2, expected_version=q2.version, condition_option=own_option
        )
    assert error.value.message_dict == {
        "condition_option": ["A condition can only depend on an earlier question."]
    }
    # Moving the follow-up above the question it depends on is refused.
    q7 = survey.q[6]
    for _ in range(4):
        services.question_move(actor=planner, question=q7, step=-1)
    with pytest.raises(ValidationError):
        for _ in range(3):
            services.question_move(actor=planner, question=q7, step=-1)


def test_survey_slug_and_one_response_rules(sopot, planner, survey):
    with pytest.raises(ValidationError) as error:
        services.survey_create(actor=planner, municipality=sopot, slug="priorities", title_bg="Пак")
    assert "slug" in error.value.message_dict
    services.survey_submit(actor=None, survey=survey, answers=valid_answers(survey))
    with pytest.raises(ValidationError) as error:
        services.survey_update(
            actor=planner, survey=survey, expected_version=survey.version, one_response_per="code"
        )
    assert "one_response_per" in error.value.message_dict


def test_survey_dates_sent_back_to_the_minute_are_unchanged_and_others_are_changes(survey, planner):
    """Issue 8, finding 8: the edit form gives dates back to the minute; the stored ones have seconds."""
    opens, closes = survey.opens_at, survey.closes_at
    services.survey_update(
        actor=planner, survey=survey, expected_version=survey.version,
        opens_at=opens.replace(second=0, microsecond=0), closes_at=closes.replace(second=0, microsecond=0),
    )  # fmt: skip
    survey.refresh_from_db()
    assert (survey.opens_at, survey.closes_at) == (opens, closes)
    later = closes.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    services.survey_update(actor=planner, survey=survey, expected_version=survey.version, closes_at=later)
    survey.refresh_from_db()
    assert survey.closes_at == later


# Two editors of the same record (issue 8, finding 9): the second save is refused and changes nothing.


def test_of_two_editors_of_a_question_the_second_is_refused_and_the_firsts_text_stays(survey, planner):
    q2 = survey.q[1]
    first, second = Question.objects.get(pk=q2.pk), Question.objects.get(pk=q2.pk)  # both open the form
    options = list(q2.options.values_list("label_bg", "label_en"))
    services.question_update(actor=planner, question=first, expected_version=first.version, text_bg="Първи")
    survey.refresh_from_db()
    version, events = survey.version, AuditEvent.objects.count()
    with pytest.raises(ConflictError):
        services.question_update(
            actor=planner, question=second, expected_version=second.version, text_bg="Втори", required=True,
            options=[("Друго", "Other"), ("Още", "More")],
        )  # fmt: skip
    stored = Question.objects.get(pk=q2.pk)
    assert (stored.text_bg, stored.required, stored.version) == ("Първи", False, first.version)
    assert list(stored.options.values_list("label_bg", "label_en")) == options
    survey.refresh_from_db()
    assert (survey.version, AuditEvent.objects.count()) == (version, events)


def test_of_two_editors_of_a_section_the_second_is_refused_and_the_firsts_title_stays(survey, planner):
    section = Section.objects.get(survey=survey)
    first, second = Section.objects.get(pk=section.pk), Section.objects.get(pk=section.pk)
    services.section_update(actor=planner, section=first, expected_version=first.version, title_bg="Първи")
    with pytest.raises(ConflictError):
        services.section_update(
            actor=planner, section=second, expected_version=second.version, title_bg="Втори"
        )
    stored = Section.objects.get(pk=section.pk)
    assert (stored.title_bg, stored.version) == ("Първи", first.version)
    # Deleting the section moves its questions out of it: they changed, so their version moves.
    q1 = Question.objects.get(pk=survey.q[0].pk)
    services.section_delete(actor=planner, section=stored)
    assert Question.objects.get(pk=q1.pk).version == q1.version + 1


def test_clearing_a_questions_condition_from_elsewhere_moves_its_version(survey, planner):
    """Removing the option a condition reads, or the question it is on, changes the dependent
    question: an editor who opened it before cannot save the old condition back unnoticed."""
    q1, q2, q7 = survey.q[0], survey.q[1], survey.q[6]
    people = q2.options.get(label_en="People")  # the third of q2's options
    q8 = services.question_create(actor=planner, survey=survey, kind="short_text", text_bg="Кои хора?",
                                  condition_option=people)  # fmt: skip
    opened_q7, opened_q8 = q7.version, q8.version
    q2 = Question.objects.get(pk=q2.pk)
    services.question_update(actor=planner, question=q2, expected_version=q2.version,
                             options=[("Икономика", "Economy"), ("Среда", "Environment")])  # fmt: skip
    q8 = Question.objects.get(pk=q8.pk)
    assert q8.condition_option_id is None and q8.version == opened_q8 + 1
    services.question_delete(actor=planner, question=Question.objects.get(pk=q1.pk))
    q7 = Question.objects.get(pk=q7.pk)
    assert q7.condition_option_id is None and q7.version == opened_q7 + 1
    with pytest.raises(ConflictError):
        services.question_update(
            actor=planner, question=q7, expected_version=opened_q7, condition_option=None
        )
