"""Surveys as the portal shows them (published and archived ones, never drafts) and their results,
aggregated exactly as the public results page counts them, and only where that page is public:
counts and shares per option, Likert points with their mean, the range and mean of numbers. No
single response or free-text answer is ever given."""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from civitas.surveys import policy, selectors
from civitas.surveys.models import QuestionKind, Survey, SurveyStatus

from .base import READ_ERRORS, ApiError, Page, page, strict_query
from .listing import absolute, choice_param, municipality_param, since_param

router = Router()

PUBLIC_STATUSES = [SurveyStatus.PUBLISHED.value, SurveyStatus.ARCHIVED.value]


class SurveyOut(Schema):
    id: int
    slug: str
    municipality: str
    url: str
    web_url: str
    title_bg: str
    title_en: str
    intro_bg: str
    intro_en: str
    status: str
    opens_at: datetime | None
    closes_at: datetime | None
    is_open: bool
    access: str
    one_response_per: str
    response_count: int
    results_url: str | None
    results_web_url: str | None
    created_at: datetime
    updated_at: datetime


class OptionResultOut(Schema):
    option_id: int | None
    point: int | None
    label_bg: str
    label_en: str
    count: int
    percent: float | None
    mean_rank: float | None
    first_count: int | None


class QuestionResultOut(Schema):
    id: int
    number: int
    kind: str
    text_bg: str
    text_en: str
    respondents: int
    options: list[OptionResultOut]
    mean: float | None
    minimum: float | None
    maximum: float | None


class ResponsesBySource(Schema):
    online: int
    paper: int


class SurveyResultsOut(Schema):
    survey: SurveyOut
    url: str
    web_url: str
    total: int
    by_source: ResponsesBySource
    questions: list[QuestionResultOut]


def results_are_public(survey: Survey) -> bool:
    """What anyone may see, whoever asks: the portal's rule for a visitor who is not signed in."""
    return policy.can_see_results(AnonymousUser(), survey.municipality, survey)


def survey_out(request: HttpRequest, survey: Survey, response_count: int) -> dict:
    slug = survey.municipality.slug
    public = results_are_public(survey)
    return {
        "id": survey.pk,
        "slug": survey.slug,
        "municipality": slug,
        "url": absolute(request, "api:survey", survey.pk),
        "web_url": absolute(request, "surveys:answer", slug, survey.slug),
        "title_bg": survey.title_bg,
        "title_en": survey.title_en,
        "intro_bg": survey.intro_bg,
        "intro_en": survey.intro_en,
        "status": survey.status,
        "opens_at": survey.opens_at,
        "closes_at": survey.closes_at,
        "is_open": survey.is_open(),
        "access": survey.access,
        "one_response_per": survey.one_response_per,
        "response_count": response_count,
        "results_url": absolute(request, "api:survey_results", survey.pk) if public else None,
        "results_web_url": absolute(request, "surveys:results", slug, survey.slug) if public else None,
        "created_at": survey.created_at,
        "updated_at": survey.updated_at,
    }


def _label(labels, point: int, size: int, language: str) -> str:
    label = labels[point - 1] if len(labels) == size and isinstance(labels[point - 1], dict) else {}
    return str(label.get(language) or "")


def question_out(result: selectors.QuestionResult) -> dict:
    question = result.question
    options = []
    if question.kind == QuestionKind.LIKERT:
        size = question.scale_size or 5
        labels = question.scale_labels or []
        for point, option in enumerate(result.options, start=1):
            options.append({
                "option_id": None, "point": point, "label_bg": _label(labels, point, size, "bg"),
                "label_en": _label(labels, point, size, "en"), "count": option.count, "percent": option.percent,
                "mean_rank": None, "first_count": None,
            })  # fmt: skip
    else:
        ranking = question.kind == QuestionKind.RANKING
        for source, option in zip(question.option_list, result.options, strict=False):
            options.append({
                "option_id": source.pk, "point": None, "label_bg": source.label_bg, "label_en": source.label_en,
                "count": option.count, "percent": option.percent, "mean_rank": option.mean_rank,
                "first_count": option.first_count if ranking else None,
            })  # fmt: skip
    return {
        "id": question.pk,
        "number": question.number,
        "kind": question.kind,
        "text_bg": question.text_bg,
        "text_en": question.text_en,
        "respondents": result.respondents,
        "options": options,
        "mean": result.mean,
        "minimum": float(result.minimum) if result.minimum is not None else None,
        "maximum": float(result.maximum) if result.maximum is not None else None,
    }


def _public_surveys():
    return selectors.survey_list(municipality=None, include_archived=True).select_related("municipality")


@router.get("", response={200: Page[SurveyOut], **READ_ERRORS}, url_name="surveys")
def surveys(
    request: HttpRequest,
    municipality: str | None = None,
    status: str | None = None,
    updated_since: str | None = None,
):
    """Published and archived surveys. Filters: ``municipality`` (its address name), ``status``
    (published, archived), ``updated_since`` (ISO 8601)."""
    strict_query(request, "municipality", "status", "updated_since")
    town = municipality_param(municipality)
    chosen = choice_param("status", status, PUBLIC_STATUSES)
    since = since_param(updated_since)
    found = _public_surveys()
    if town is not None:
        found = found.filter(municipality=town)
    if chosen:
        found = found.filter(status=chosen)
    if since:
        found = found.filter(updated_at__gte=since)
    return page(request, found, lambda s: survey_out(request, s, s.response_count))


def _survey(pk: int):
    found = _public_surveys().filter(pk=pk).first()
    if found is None:
        raise Http404("No such survey")
    return found


@router.get("/{pk}", response={200: SurveyOut, **READ_ERRORS}, url_name="survey")
def survey(request: HttpRequest, pk: int):
    """One published or archived survey."""
    strict_query(request)
    found = _survey(pk)
    return survey_out(request, found, found.response_count)


@router.get("/{pk}/results", response={200: SurveyResultsOut, **READ_ERRORS}, url_name="survey_results")
def survey_results(request: HttpRequest, pk: int):
    """The survey's results, aggregated as on its public results page: per question the number of
    respondents, and per option (or Likert point) its count and share; for a ranking the mean
    rank and how often it came first; for numbers their range and mean. Free-text answers and
    single responses are not given. 404 with ``results_not_public`` when the survey keeps its
    results private."""
    strict_query(request)
    found = _survey(pk)
    if not results_are_public(found):
        raise ApiError(404, "results_not_public", _("The results of this survey are not public."))
    results = selectors.survey_results(found)
    return {
        "survey": survey_out(request, found, found.response_count),
        "url": absolute(request, "api:survey_results", found.pk),
        "web_url": absolute(request, "surveys:results", found.municipality.slug, found.slug),
        "total": results.total,
        "by_source": {
            "online": results.by_source.get("online", 0),
            "paper": results.by_source.get("paper", 0),
        },
        "questions": [question_out(result) for result in results.questions],
    }
