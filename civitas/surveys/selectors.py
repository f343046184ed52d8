"""Every read of surveys that a page, an export or the submission service needs, each in a fixed
number of queries whatever the number of questions, options or responses."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Avg, Count, F, Max, Min, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from civitas.core.cache import ProcessCache
from civitas.core.i18n import active_content_language
from civitas.core.models import Municipality

from .models import (
    Answer,
    Invitation,
    OnePer,
    Option,
    Question,
    QuestionKind,
    Response,
    Section,
    Survey,
    SurveyStatus,
)
from .rules import QuestionSpec

QUESTIONNAIRE_CACHE_SECONDS = 3600
TEXTS_PER_QUESTION = 100


def survey_list(
    *, municipality: Municipality | None, include_drafts: bool = False, include_archived: bool = False
):
    """The municipality's surveys (every municipality's when None, for the API), each with its
    ``response_count``: the published ones, archived ones too if asked, drafts only if asked."""
    qs = Survey.objects.all() if municipality is None else Survey.objects.filter(municipality=municipality)
    if not include_drafts:
        qs = qs.filter(
            status__in=[SurveyStatus.PUBLISHED, SurveyStatus.ARCHIVED]
            if include_archived
            else [SurveyStatus.PUBLISHED]
        )
    return qs.annotate(response_count=Count("responses")).order_by("-opens_at", "-pk")


def survey_get(*, municipality: Municipality, slug: str, include_drafts: bool = False) -> Survey:
    qs = Survey.objects.filter(municipality=municipality, slug=slug)
    if not include_drafts:
        qs = qs.exclude(status=SurveyStatus.DRAFT)
    survey = qs.first()
    if survey is None:
        raise Http404("No such survey")
    return survey


def survey_by_address(*, municipality_slug: str, slug: str) -> Survey:
    """The survey and its municipality from the URL in one query (the submission's hot path);
    drafts included: the caller decides who may see them."""
    survey = (
        Survey.objects.select_related("municipality")
        .filter(municipality__slug=municipality_slug, slug=slug)
        .first()
    )
    if survey is None:
        raise Http404("No such survey")
    return survey


# The questionnaire -------------------------------------------------------------------------------


@dataclass
class Block:
    """A section (None for questions outside any section) and its questions in order."""

    section: Section | None
    questions: list[Question] = field(default_factory=list)


@dataclass
class Questionnaire:
    survey_id: int
    version: int
    blocks: list[Block]
    questions: list[Question]  # every question in order, each with ``option_list``
    specs: tuple[QuestionSpec, ...]
    numbers: dict[int, int]  # question id -> its number as shown (1, 2, ...)

    def question(self, pk: int) -> Question | None:
        return next((q for q in self.questions if q.pk == pk), None)


def _spec(question: Question, options: list[Option], option_question: dict[int, int]) -> QuestionSpec:
    condition = None
    if question.condition_option_id and question.condition_option_id in option_question:
        condition = (option_question[question.condition_option_id], question.condition_option_id)
    return QuestionSpec(
        id=question.pk, kind=question.kind, required=question.required,
        options=tuple(o.pk for o in options), scale_size=question.scale_size,
        min_value=question.min_value, max_value=question.max_value, max_length=question.max_length,
        condition=condition,
    )  # fmt: skip


def build_questionnaire(survey: Survey) -> Questionnaire:
    """Sections, questions and options of the survey: three queries."""
    sections = list(Section.objects.filter(survey=survey).order_by("position", "pk"))
    questions = list(Question.objects.filter(survey=survey).order_by("position", "pk"))
    options: dict[int, list[Option]] = defaultdict(list)
    for option in Option.objects.filter(question__survey=survey).order_by("position", "pk"):
        options[option.question_id].append(option)
    option_question = {o.pk: q for q, opts in options.items() for o in opts}
    option_by_pk = {o.pk: o for opts in options.values() for o in opts}
    by_pk = {q.pk: q for q in questions}
    blocks = {None: Block(section=None)} | {s.pk: Block(section=s) for s in sections}
    numbers = {}
    for number, question in enumerate(questions, start=1):
        question.option_list = options.get(question.pk, [])
        question.number = numbers[question.pk] = number
        condition = question.condition_option_id
        on = option_question.get(condition) if condition is not None else None
        question.condition_on = by_pk.get(on) if on is not None else None
        question.condition_label = option_by_pk.get(condition) if condition is not None else None
        blocks.get(question.section_id, blocks[None]).questions.append(question)
    ordered = [blocks[None]] + [blocks[s.pk] for s in sections]
    return Questionnaire(
        survey_id=survey.pk,
        version=survey.version,
        blocks=[b for b in ordered if b.questions or b.section is not None],
        questions=questions,
        specs=tuple(_spec(q, q.option_list, option_question) for q in questions),
        numbers=numbers,
    )


_LOCAL = ProcessCache(64)  # this process's most recently used questionnaires


def questionnaire(survey: Survey) -> Questionnaire:
    """The survey's questionnaire, cached under its version and last change (every edit moves
    both, so the cache is never stale): in this process's memory (no unpickling on the hot
    path), then in the shared cache; no query when cached, three otherwise."""
    key = f"survey:questionnaire:{survey.pk}:{survey.version}:{survey.updated_at.timestamp() if survey.updated_at else ''}"
    found = _LOCAL.get(key)
    if found is not None:
        return found
    found = cache.get(key)
    if found is None:
        found = build_questionnaire(survey)
        cache.set(key, found, QUESTIONNAIRE_CACHE_SECONDS)
    _LOCAL.set(key, found)
    return found


def has_answered(*, survey: Survey, user) -> bool:
    if not getattr(user, "is_authenticated", False) or survey.one_response_per != OnePer.ACCOUNT:
        return False
    return Response.objects.filter(survey=survey, dedupe_key=f"user:{user.pk}").exists()


def invitation_list(*, survey: Survey, unused_only: bool = False):
    qs = Invitation.objects.filter(survey=survey).order_by("pk")
    return qs.filter(used_at__isnull=True) if unused_only else qs


# Results -----------------------------------------------------------------------------------------


@dataclass
class OptionResult:
    label: str
    count: int
    percent: float | None  # of the respondents who answered the question
    mean_rank: float | None = None
    first_count: int = 0


@dataclass
class QuestionResult:
    question: Question
    respondents: int
    options: list[OptionResult] = field(default_factory=list)
    mean: float | None = None  # Likert point or number
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind


@dataclass
class Results:
    survey: Survey
    questionnaire: Questionnaire
    total: int
    by_source: dict[str, int]
    questions: list[QuestionResult]


def _percent(count: int, base: int) -> float | None:
    return round(100.0 * count / base, 1) if base else None


def likert_labels(question: Question) -> list[str]:
    lang = active_content_language()
    size = question.scale_size or 5
    labels = question.scale_labels or []
    result = []
    for point in range(1, size + 1):
        label = labels[point - 1] if len(labels) == size and isinstance(labels[point - 1], dict) else {}
        text = label.get(lang) or label.get("bg") or ""
        result.append(f"{point} – {text}" if text else str(point))
    return result


def survey_results(survey: Survey) -> Results:
    """Counts, percentages, means and the latest free-text answers of every question: six queries
    after the (cached) questionnaire, whatever the number of questions and responses."""
    q = questionnaire(survey)
    by_source = dict(
        Response.objects.filter(survey=survey).values_list("source").annotate(n=Count("id")).order_by()
    )
    answers = Answer.objects.filter(question__survey=survey)
    respondents = dict(
        answers.values_list("question_id").annotate(n=Count("response_id", distinct=True)).order_by()
    )
    option_rows = (
        answers.filter(option__isnull=False)
        .values_list("option_id")
        .annotate(n=Count("id"), first=Count("id", filter=Q(rank=1)), mean_rank=Avg("rank"))
        .order_by()
    )
    by_option = {row[0]: row[1:] for row in option_rows}
    points: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, number, n in (
        answers.filter(question__kind=QuestionKind.LIKERT, number__isnull=False)
        .values_list("question_id", "number")
        .annotate(n=Count("id"))
        .order_by()
    ):
        points[question_id][int(number)] = n
    stats = {
        row[0]: row[1:]
        for row in answers.filter(question__kind=QuestionKind.NUMBER, number__isnull=False)
        .values_list("question_id")
        .annotate(low=Min("number"), high=Max("number"), mean=Avg("number"))
        .order_by()
    }
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in (
        answers.filter(question__kind__in=[QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT])
        .exclude(text="")
        .annotate(row=Window(RowNumber(), partition_by=F("question_id"), order_by=F("id").desc()))
        .filter(row__lte=TEXTS_PER_QUESTION)
        .values_list("question_id", "text")
        .order_by("question_id", "-id")
    ):
        texts[question_id].append(text)

    results = []
    for question in q.questions:
        base = respondents.get(question.pk, 0)
        result = QuestionResult(question=question, respondents=base)
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING):
            for option in question.option_list:
                n, first, mean_rank = by_option.get(option.pk, (0, 0, None))
                result.options.append(
                    OptionResult(
                        label=option.label,
                        count=n,
                        percent=_percent(first if question.kind == QuestionKind.RANKING else n, base),
                        mean_rank=round(float(mean_rank), 2) if mean_rank is not None else None,
                        first_count=first,
                    )
                )
        elif question.kind == QuestionKind.LIKERT:
            counts = points.get(question.pk, {})
            for point, label in enumerate(likert_labels(question), start=1):
                result.options.append(
                    OptionResult(
                        label=label, count=counts.get(point, 0), percent=_percent(counts.get(point, 0), base)
                    )
                )
            total = sum(counts.values())
            if total:
                result.mean = round(sum(p * n for p, n in counts.items()) / total, 2)
        elif question.kind == QuestionKind.NUMBER and question.pk in stats:
            low, high, mean = stats[question.pk]
            result.minimum, result.maximum = low, high
            result.mean = round(float(mean), 2) if mean is not None else None
        else:
            result.texts = texts.get(question.pk, [])
        results.append(result)
    return Results(
        survey=survey, questionnaire=q, total=sum(by_source.values()), by_source=by_source, questions=results
    )


# Cross-tabulation --------------------------------------------------------------------------------

CROSSTAB_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.LIKERT)


@dataclass
class Crosstab:
    row_question: Question
    column_question: Question
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[int]]  # [row][column] respondents
    row_totals: list[int]
    column_totals: list[int]
    total: int

    @property
    def several_per_person(self) -> bool:
        return QuestionKind.MULTIPLE in (self.row_question.kind, self.column_question.kind)

    def rows(self):
        """(label, [(count, percent of the row)], row total) for the template."""
        for label, cells, total in zip(self.row_labels, self.cells, self.row_totals, strict=True):
            yield label, [(n, _percent(n, total)) for n in cells], total


def _categories(question: Question) -> tuple[list, list[str]]:
    """(category keys, labels): option ids, or the points of a Likert scale."""
    if question.kind == QuestionKind.LIKERT:
        return list(range(1, (question.scale_size or 5) + 1)), likert_labels(question)
    return [o.pk for o in question.option_list], [o.label for o in question.option_list]


def crosstab(survey: Survey, row: Question, column: Question) -> Crosstab:
    """Respondents by the answers to two choice or Likert questions: one query (after the cached
    questionnaire), four when a multiple-choice question is involved (totals of people)."""
    q = questionnaire(survey)
    found_row, found_column = q.question(row.pk), q.question(column.pk)
    if found_row is None or found_column is None:
        raise Http404("No such question in the survey")
    row, column = found_row, found_column
    row_keys, row_labels = _categories(row)
    col_keys, col_labels = _categories(column)
    row_field = "number" if row.kind == QuestionKind.LIKERT else "option_id"
    col_field = (
        "response__answers__number" if column.kind == QuestionKind.LIKERT else "response__answers__option_id"
    )
    pairs = (
        Answer.objects.filter(question=row, response__answers__question=column)
        .values_list(row_field, col_field)
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    )
    index_r = {k: i for i, k in enumerate(row_keys)}
    index_c = {k: i for i, k in enumerate(col_keys)}
    cells = [[0] * len(col_keys) for _ in row_keys]
    for r, c, n in pairs:
        r = int(r) if row_field == "number" and r is not None else r
        c = int(c) if col_field.endswith("number") and c is not None else c
        if r in index_r and c in index_c:
            cells[index_r[r]][index_c[c]] += n
    row_totals = [sum(r) for r in cells]
    column_totals = [sum(r[i] for r in cells) for i in range(len(col_keys))]
    total = sum(row_totals)
    if QuestionKind.MULTIPLE in (row.kind, column.kind):
        # A person may choose several options: the totals count people, not choices (three more
        # queries), so a row's percentages may add up to more than 100.
        both = Answer.objects.filter(question=row, response__answers__question=column)
        row_totals = [0] * len(row_keys)
        for r, n in both.values_list(row_field).annotate(n=Count("response_id", distinct=True)).order_by():
            r = int(r) if row_field == "number" and r is not None else r
            if r in index_r:
                row_totals[index_r[r]] = n
        own_col_field = "number" if column.kind == QuestionKind.LIKERT else "option_id"
        column_totals = [0] * len(col_keys)
        by_column = (
            Answer.objects.filter(question=column, response__answers__question=row)
            .values_list(own_col_field)
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )
        for c, n in by_column:
            c = int(c) if own_col_field == "number" and c is not None else c
            if c in index_c:
                column_totals[index_c[c]] = n
        total = both.aggregate(n=Count("response_id", distinct=True))["n"]
    return Crosstab(
        row_question=row, column_question=column, row_labels=row_labels, column_labels=col_labels,
        cells=cells, row_totals=row_totals, column_totals=column_totals, total=total,
    )  # fmt: skip


def personal_data(user) -> dict:
    """A person's answers to surveys that recorded who answered, for the download of their data."""
    responses = list(Response.objects.filter(user=user).select_related("survey").order_by("submitted_at"))
    answers = defaultdict(list)
    for a in (
        Answer.objects.filter(response__in=responses).select_related("question", "option").order_by("pk")
    ):
        if a.option is not None:
            value = a.option.label_bg
        else:
            value = str(a.number) if a.number is not None else a.text
        answers[a.response_id].append({"question": a.question.text_bg, "answer": value, "rank": a.rank})
    return {
        "responses": [
            {
                "survey": r.survey.title_bg,
                "submitted_at": r.submitted_at.isoformat(),
                "answers": answers[r.pk],
            }
            for r in responses
        ]
    }
