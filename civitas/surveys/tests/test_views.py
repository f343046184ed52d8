"""The public pages and the staff's pages through the test client: answering (conditional questions
drawn hidden and shown on re-render, nothing stored before they are seen, errors in the summary,
codes), results and cross-tab numbers, exports, pinned
query counts, and the staff building a survey."""

import csv
import datetime
import io
import tracemalloc

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from civitas.consultations.tests.form_page import form_data
from civitas.core.models import AuditEvent
from civitas.surveys import selectors, services
from civitas.surveys.models import Answer, Question, Response, Section, Survey
from civitas.testing.factories import UserFactory
from civitas.testing.signin import sign_in

from .conftest import build_survey, valid_answers

pytestmark = pytest.mark.django_db


def post_data(survey, answers, **extra):
    data = {}
    for question_id, value in answers.items():
        if isinstance(value, dict):
            for option_id, rank in value.items():
                data[f"q{question_id}-o{option_id}"] = rank
        else:
            data[f"q{question_id}"] = value
    return data | extra


def question_block(html: str, question) -> str:
    """The opening tag of a question's block on the page."""
    start = html.index(f'id="q{question.pk}-question"')
    return html[html.rindex("<div", 0, start) : html.index(">", start) + 1]


def test_answering_a_survey_without_javascript(client, survey):
    url = reverse("surveys:answer", args=["sopot", survey.slug])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    q1, q7 = survey.q[0], survey.q[6]
    anevo = q1.options.get(label_en="Anevo")
    # The follow-up is on the page for surveys.js to show, hidden and disabled until “Anevo” is chosen.
    block = question_block(html, q7)
    assert " hidden" in block
    assert f'data-condition-on="q{q1.pk}" data-condition-option="{anevo.pk}"' in block
    assert f'<textarea disabled class="govuk-textarea" id="q{q7.pk}" name="q{q7.pk}"' in html
    assert "(задължителен)" in html
    assert "civitas/surveys" in html and "Покажи въпросите, които се отнасят до мен" in html
    # Choosing Anevo and asking for the questions that apply shows the follow-up, nothing stored.
    answers = valid_answers(survey, settlement=1)
    del answers[q7.pk]
    page = client.post(url, post_data(survey, answers, action="update"))
    html = page.content.decode()
    assert page.status_code == 200 and " hidden" not in question_block(html, q7)
    assert f'<textarea class="govuk-textarea" id="q{q7.pk}"' in html
    assert f'<input type="hidden" name="shown" value="{q7.pk}">' in html
    assert Response.objects.count() == 0
    # Sending without the required follow-up: the error summary links to it.
    page = client.post(url, post_data(survey, answers, action="submit", shown=str(q7.pk)))
    assert page.status_code == 400
    html = page.content.decode()
    assert "govuk-error-summary" in html and f'href="#q{q7.pk}"' in html
    assert "Отговорете на този въпрос." in html
    # The answers given are kept in the re-shown form.
    assert 'value="Пътища"' in html
    data = post_data(survey, valid_answers(survey, settlement=1), action="submit", shown=str(q7.pk))
    page = client.post(url, data)
    assert page.status_code == 303 and page["Location"] == reverse(
        "surveys:thanks", args=["sopot", survey.slug]
    )
    assert Response.objects.count() == 1 and Answer.objects.count() == 10
    assert "Благодарим" in client.get(page["Location"]).content.decode()


def test_a_submission_is_not_stored_before_the_questions_it_makes_apply_are_seen(client, survey):
    """Without JavaScript a person who chooses “Anevo” and sends at once has not seen the
    follow-up: the form comes back with it shown and a notice, and nothing is stored."""
    url = reverse("surveys:answer", args=["sopot", survey.slug])
    q7 = survey.q[6]
    answers = valid_answers(survey, settlement=1)
    del answers[q7.pk]
    page = client.post(url, post_data(survey, answers, action="submit"))
    html = page.content.decode()
    assert page.status_code == 200 and Response.objects.count() == 0
    assert 'id="survey-unseen-title"' in html and f'href="#q{q7.pk}-question"' in html
    assert " hidden" not in question_block(html, q7)
    assert "govuk-error-summary" not in html  # not an error: a new question to see
    assert 'value="Пътища"' in html


def test_an_answer_to_a_question_whose_condition_does_not_hold_is_not_stored(client, survey):
    url = reverse("surveys:answer", args=["sopot", survey.slug])
    q7 = survey.q[6]
    answers = valid_answers(survey, settlement=0) | {q7.pk: "Детска площадка"}  # lives in Sopot
    page = client.post(url, post_data(survey, answers, action="submit", shown=str(q7.pk)))
    assert page.status_code == 303
    assert Response.objects.count() == 1
    assert not Answer.objects.filter(question=q7).exists()
    assert not Answer.objects.filter(text="Детска площадка").exists()


def test_a_required_question_whose_condition_holds_is_required(client, survey):
    url = reverse("surveys:answer", args=["sopot", survey.slug])
    q7 = survey.q[6]
    answers = valid_answers(survey, settlement=1) | {q7.pk: "  "}
    page = client.post(url, post_data(survey, answers, action="submit", shown=str(q7.pk)))
    assert page.status_code == 400 and Response.objects.count() == 0
    assert f'href="#q{q7.pk}"' in page.content.decode()


def test_answers_outside_the_options_are_refused_on_the_page(client, survey):
    url = reverse("surveys:answer", args=["sopot", survey.slug])
    answers = valid_answers(survey) | {survey.q[0].pk: "999999"}
    page = client.post(url, post_data(survey, answers))
    assert page.status_code == 400 and "Изберете един от дадените отговори." in page.content.decode()
    assert Response.objects.count() == 0


def test_account_surveys_ask_to_sign_in_and_refuse_a_second_response(client, sopot, planner):
    survey = build_survey(sopot, planner, slug="accounts", access="account", one_response_per="account")
    url = reverse("surveys:answer", args=["sopot", survey.slug])
    assert reverse("accounts:login") in client.get(url).content.decode()
    citizen = UserFactory()
    sign_in(client, citizen)
    assert client.post(url, post_data(survey, valid_answers(survey))).status_code == 303
    page = client.get(url)
    assert "Вече сте отговорили на тази анкета" in page.content.decode()
    assert '<form method="post" novalidate>' not in page.content.decode()
    # A second POST (e.g. from another tab) is refused and stores nothing.
    assert client.post(url, post_data(survey, valid_answers(survey))).status_code == 200
    assert Response.objects.filter(survey=survey).count() == 1


def test_invitation_codes_on_the_page_and_guessing_is_limited(client, sopot, planner):
    survey = build_survey(sopot, planner, slug="codes", one_response_per="code")
    code = services.invitations_generate(actor=planner, survey=survey, count=1)[0].code
    url = reverse("surveys:answer", args=["sopot", survey.slug])
    assert f'value="{code}"' in client.get(url + f"?code={code}").content.decode()
    data = post_data(survey, valid_answers(survey), invitation_code=code)
    assert client.post(url, data).status_code == 303
    page = client.post(url, data)
    assert page.status_code == 400 and "вече е използван" in page.content.decode()
    for _ in range(30):
        client.post(url, data | {"invitation_code": "WRONGCODE"})
    assert client.post(url, data | {"invitation_code": "WRONGCOD2"}).status_code == 429
    assert Response.objects.filter(survey=survey).count() == 1


def test_closed_and_draft_surveys(client, sopot, planner):
    closed = build_survey(sopot, planner, slug="closed")
    closed.opens_at = timezone.now() - datetime.timedelta(days=10)
    closed.closes_at = timezone.now() - datetime.timedelta(days=1)
    closed.save()
    page = client.get(reverse("surveys:answer", args=["sopot", "closed"]))
    assert "Анкетата е приключила" in page.content.decode()
    assert (
        client.post(
            reverse("surveys:answer", args=["sopot", "closed"]), post_data(closed, valid_answers(closed))
        ).status_code
        == 200
    )
    assert Response.objects.count() == 0
    build_survey(sopot, planner, slug="draft", status="draft")
    assert client.get(reverse("surveys:answer", args=["sopot", "draft"])).status_code == 404
    listing = client.get(reverse("surveys:list", args=["sopot"])).content.decode()
    assert "closed" in listing and "draft/" not in listing


def _answer_many(survey, n):
    for i in range(n):
        services.survey_submit(
            actor=None, survey=survey,
            answers=valid_answers(survey, settlement=i % 2, likert=1 + i % 5, age=20 + i, goals=(i % 3,), text=f"Т{i}"),
        )  # fmt: skip


def test_results_counts_percentages_and_crosstab(client, survey):
    _answer_many(survey, 10)
    results = selectors.survey_results(survey)
    assert results.total == 10
    settlement, goals, likert, ranking, age, word, anevo = results.questions
    assert [(o.count, o.percent) for o in settlement.options] == [(5, 50.0), (5, 50.0)]
    assert [o.count for o in goals.options] == [4, 3, 3] and goals.respondents == 10
    assert [o.count for o in likert.options] == [2, 2, 2, 2, 2] and likert.mean == 3.0
    assert [(o.first_count, o.mean_rank) for o in ranking.options] == [(0, 2.0), (10, 1.0), (0, 3.0)]
    assert (age.minimum, age.maximum, age.mean) == (20, 29, 24.5)
    assert len(word.texts) == 10 and word.texts[0] == "Т9"
    assert anevo.respondents == 5
    q1, q3 = survey.q[0], survey.q[2]
    table = selectors.crosstab(survey, q1, q3)
    # Sopot answered 1, 3, 5 (i = 0, 2, 4, 6, 8 → likert 1, 3, 5, 2, 4); Anevo 2, 4, 1, 3, 5.
    assert table.cells == [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1]] and table.total == 10
    page = client.get(
        reverse("surveys:results", args=["sopot", survey.slug]) + f"?row={q1.pk}&column={q3.pk}"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "Т9" in html and "Кръстосана таблица" in html
    csv = b"".join(client.get(reverse("surveys:results_csv", args=["sopot", survey.slug])).streaming_content)
    assert "Сопот,5,50.0".encode() in csv


def test_crosstab_with_a_multiple_choice_question_counts_people_not_choices(survey, planner):
    """One person choosing all three goals is one respondent: 100 % in each cell of their row."""
    q1, q2 = survey.q[0], survey.q[1]
    services.paper_response_enter(
        actor=planner, survey=survey, answers=valid_answers(survey, goals=(0, 1, 2))
    )
    table = selectors.crosstab(survey, q1, q2)
    [(label, cells, total), _anevo] = list(table.rows())
    assert total == 1 and table.total == 1 and cells == [(1, 100.0), (1, 100.0), (1, 100.0)]
    assert table.column_totals == [1, 1, 1]
    flipped = selectors.crosstab(survey, q2, q1)
    assert flipped.total == 1 and flipped.row_totals == [1, 1, 1] and flipped.column_totals == [1, 0]


@pytest.mark.parametrize("page", ["answer", "results"])
def test_query_counts_do_not_grow_with_questions_and_responses(
    client, sopot, planner, page, django_assert_num_queries
):
    small = build_survey(sopot, planner, slug="small")
    _answer_many(small, 3)
    big = build_survey(sopot, planner, slug="big")
    for i in range(23):
        services.question_create(actor=planner, survey=big, kind="single", text_bg=f"Въпрос {i}",
                                 options=[("Да", "Yes"), ("Не", "No")])  # fmt: skip
    big.refresh_from_db()
    _answer_many(big, 30)
    counts = []
    for survey in (small, big):
        for cached in (False, True):
            if not cached:  # the questionnaire is read from the database, then from the cache
                cache.clear()
                selectors._LOCAL.clear()
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(f"surveys:{page}", args=["sopot", survey.slug])).status_code == 200
            counts.append(len(captured))
    assert counts[:2] == counts[2:]
    # answer: the survey with its municipality (one query), the questionnaire (three);
    # results: municipality, survey, questionnaire, then six for all the results.
    assert counts[:2] == {"answer": [4, 1], "results": [11, 8]}[page], counts


def test_responses_export_csv_and_xlsx(client, survey, planner):
    _answer_many(survey, 4)
    services.paper_response_enter(actor=planner, survey=survey, answers=valid_answers(survey))
    sign_in(client, planner)
    response = client.get(reverse("surveys_manage:export", args=["sopot", survey.slug, "csv"]))
    assert isinstance(response, StreamingHttpResponse)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 6 and lines[0].startswith("отговор,")
    assert (
        "Икономика" in lines[1] and "Втора > Първа > Трета" in lines[1] and lines[5].split(",")[2] == "paper"
    )

    response = client.get(reverse("surveys_manage:export", args=["sopot", survey.slug, "xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 6 and rows[1][3] == "Сопот"


def test_exports_never_run_an_answer_as_a_formula_and_survive_control_characters(client, survey, planner):
    """CSV injection and control characters: a respondent's text stays text in both exports."""

    texts = ['=HYPERLINK("http://example.org","x")', "@SUM(1)", "ред\x01\x0bдруг"]
    for text in texts:
        services.paper_response_enter(actor=planner, survey=survey, answers=valid_answers(survey, text=text))
    assert Answer.objects.filter(text="ред\nдруг").exists()  # stored as the person meant it
    sign_in(client, planner)
    response = client.get(reverse("surveys_manage:export", args=["sopot", survey.slug, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cells = {c.value: c.data_type for row in sheet.iter_rows(min_row=2) for c in row if c.value in texts[:2]}
    assert cells == {texts[0]: "s", texts[1]: "s"}
    response = client.get(reverse("surveys_manage:export", args=["sopot", survey.slug, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    shown = {cell for row in rows[1:] for cell in row}
    assert "'" + texts[0] in shown and "'" + texts[1] in shown and texts[0] not in shown


def test_csv_export_streams_with_constant_memory(client, survey, planner):
    """20,000 answers of 200 Cyrillic letters (an 8 MB file) export while Python's memory peak stays far
    below the file's size: rows stream, nothing accumulates."""
    q6 = survey.q[5]
    text = "ж" * 200
    responses = Response.objects.bulk_create([Response(survey=survey) for _ in range(20000)])
    Answer.objects.bulk_create(
        [Answer(response=r, question=q6, text=text) for r in responses], batch_size=5000
    )
    sign_in(client, planner)
    response = client.get(reverse("surveys_manage:export", args=["sopot", survey.slug, "csv"]))
    assert isinstance(response, StreamingHttpResponse)
    size = 0
    tracemalloc.start()
    try:
        for chunk in response.streaming_content:
            size += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 8_000_000  # Cyrillic: two bytes a letter
    assert peak < 4_000_000, f"peak {peak} bytes"


def test_staff_build_a_survey_through_the_pages(client, sopot, planner):
    sign_in(client, planner)
    page = client.post(reverse("surveys_manage:create", args=["sopot"]), {
        "title_bg": "Младежка анкета", "title_en": "Youth survey", "slug": "youth", "access": "anonymous",
        "one_response_per": "code", "status": "published", "results_public": "on",
    })  # fmt: skip
    assert page.status_code == 302, page.content.decode()[:2000]
    base = ["sopot", "youth"]
    assert (
        client.post(reverse("surveys_manage:section_create", args=base), {"title_bg": "Раздел"}).status_code
        == 302
    )
    page = client.post(reverse("surveys_manage:question_create", args=base), {
        "kind": "single", "text_bg": "Спортувате ли?", "options": "Да | Yes\nНе | No", "required": "on",
    })  # fmt: skip
    assert page.status_code == 302
    survey = selectors.survey_get(municipality=sopot, slug="youth")
    q = selectors.questionnaire(survey)
    yes = q.questions[0].option_list[0]
    page = client.post(reverse("surveys_manage:question_create", args=base), {
        "kind": "likert", "text_bg": "Колко често?", "scale_size": "3", "scale_labels": "Рядко\nПонякога\nЧесто",
        "condition_option": str(yes.pk),
    })  # fmt: skip
    assert page.status_code == 302
    page = client.post(
        reverse("surveys_manage:question_create", args=base), {"kind": "single", "text_bg": "Само един"}
    )
    assert page.status_code == 400 and "поне два отговора" in page.content.decode()
    assert (
        client.post(
            reverse("surveys_manage:invitations", args=base), {"count": "5", "batch": "Училище"}
        ).status_code
        == 302
    )
    printed = client.get(reverse("surveys_manage:invitations_print", args=base)).content.decode()
    code = survey.invitations.first().code
    assert f"{code[:4]}-{code[4:]}" in printed
    detail = client.get(reverse("surveys_manage:detail", args=base))
    assert detail.status_code == 200 and "Колко често?" in detail.content.decode()
    survey.refresh_from_db()
    q = selectors.questionnaire(survey)
    data = {f"q{q.questions[0].pk}": str(yes.pk), f"q{q.questions[1].pk}": "3", "invitation_code": code}
    assert client.post(reverse("surveys_manage:paper", args=base), data).status_code == 302
    response = Response.objects.get(survey=survey)
    assert response.source == "paper" and response.invitation.code == code


def test_staff_pages_are_for_planners_only(client, survey):
    url = reverse("surveys_manage:detail", args=["sopot", survey.slug])
    sign_in(client, UserFactory())
    assert client.get(url).status_code == 403


# Editing on the staff pages: a form sent back unchanged saves and changes nothing (issue 8,
# finding 8); of two editors of the same record, the second is refused (finding 9).


def edit_form(client, path, containing="title_bg"):
    return form_data(client.get(path).content.decode(), containing=containing)


def test_a_survey_saved_unchanged_keeps_its_dates_to_the_second(client, survey, planner):
    assert survey.opens_at.second or survey.opens_at.microsecond  # set from "now", to the second
    sign_in(client, planner)
    path = reverse("surveys_manage:edit", args=["sopot", survey.slug])
    page = client.post(path, edit_form(client, path))
    assert page.status_code == 302, page.content.decode()
    fresh = Survey.objects.get(pk=survey.pk)
    assert (fresh.opens_at, fresh.closes_at, fresh.version) == (
        survey.opens_at,
        survey.closes_at,
        survey.version + 1,
    )
    assert AuditEvent.objects.filter(action="update").latest("pk").changes == {}


@pytest.mark.parametrize("record", ["question", "section"])
def test_of_two_editors_on_the_page_the_second_is_refused_and_the_firsts_text_stays(
    client, survey, planner, record
):
    if record == "question":
        pk, field, model = survey.q[1].pk, "text_bg", Question
        path = reverse("surveys_manage:question_edit", args=["sopot", survey.slug, pk])
    else:
        pk, field, model = Section.objects.get(survey=survey).pk, "title_bg", Section
        path = reverse("surveys_manage:section_edit", args=["sopot", survey.slug, pk])
    sign_in(client, planner)
    first, second = edit_form(client, path, field), edit_form(client, path, field)  # both open the form
    assert client.post(path, first | {field: "Първи"}).status_code == 302
    page = client.post(path, second | {field: "Втори"})
    html = page.content.decode()
    assert page.status_code == 400 and "Някой друг" in html and "Втори" in html  # their input is kept
    assert model.objects.get(pk=pk).__dict__[field] == "Първи"
    # Reloaded, the second editor sees the first one's text and can save over it knowingly.
    again = edit_form(client, path, field)
    assert again[field] == "Първи"
    assert client.post(path, again | {field: "Втори"}).status_code == 302
    assert model.objects.get(pk=pk).__dict__[field] == "Втори"


def test_a_survey_edit_without_the_version_it_was_opened_on_is_refused(client, survey, planner):
    sign_in(client, planner)
    path = reverse("surveys_manage:edit", args=["sopot", survey.slug])
    data = edit_form(client, path)
    data.pop("version")
    page = client.post(path, data | {"title_bg": "Без версия"})
    assert page.status_code == 400 and "Някой друг" in page.content.decode()
    assert Survey.objects.get(pk=survey.pk).title_bg == survey.title_bg
