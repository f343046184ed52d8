"""Published evaluations as the portal shows them: their subject, the rating and findings under
each criterion with the evidence they rest on, the recommendations with the administration's
response and their follow-up (status, deadline, overdue on the day asked), and the evaluation's
report files; and the recommendations of every published evaluation as one list, for follow-up."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from civitas.evaluations import rules, selectors
from civitas.evaluations.models import (
    Evaluation,
    EvaluationKind,
    Evidence,
    EvidenceKind,
    Recommendation,
    RecommendationStatus,
    SubjectKind,
)
from civitas.reports import selectors as report_selectors

from .base import READ_ERRORS, Page, page, strict_query
from .listing import (
    absolute,
    bool_param,
    choice_param,
    file_url,
    municipality_param,
    since_param,
    year_param,
)
from .reports import ReportFileOut

router = Router()


class EvaluationOut(Schema):
    id: int
    municipality: str
    url: str
    web_url: str
    kind: str
    subject_kind: str
    plan: str | None
    policy_area: str
    project: str | None
    title_bg: str
    title_en: str
    evaluator_name_bg: str
    evaluator_name_en: str
    period_start: int | None
    period_end: int | None
    started_on: dt.date | None
    completed_on: dt.date | None
    summary_bg: str
    summary_en: str
    published_at: dt.datetime | None
    decision_url: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class EvidenceOut(Schema):
    id: int
    kind: str
    label_bg: str
    label_en: str
    web_url: str | None
    indicator: str | None


class RatingOut(Schema):
    criterion: str
    rating: int | None
    findings_bg: str
    findings_en: str
    evidence: list[EvidenceOut]


class RecommendationOut(Schema):
    id: int
    url: str
    web_url: str
    evaluation_id: int
    number: int
    text_bg: str
    text_en: str
    priority: str
    response: str
    response_reasons_bg: str
    response_reasons_en: str
    action_bg: str
    action_en: str
    responsible_unit_bg: str
    responsible_unit_en: str
    deadline: dt.date | None
    status: str
    overdue: bool
    closed_at: dt.date | None
    closing_note_bg: str
    closing_note_en: str
    updated_at: dt.datetime


class EvaluationDetailOut(EvaluationOut):
    criteria: list[RatingOut]
    recommendations: list[RecommendationOut]
    files: list[ReportFileOut]


def evaluation_out(request: HttpRequest, evaluation: Evaluation) -> dict:
    slug = evaluation.municipality.slug
    plan = evaluation.plan if evaluation.plan and evaluation.plan.is_public else None
    return {
        "id": evaluation.pk,
        "municipality": slug,
        "url": absolute(request, "api:evaluation", evaluation.pk),
        "web_url": absolute(request, "evaluations:detail", slug, evaluation.pk),
        "kind": evaluation.kind,
        "subject_kind": evaluation.subject_kind,
        "plan": plan.slug if plan else None,
        "policy_area": evaluation.policy_area,
        "project": evaluation.project.slug if evaluation.project else None,
        "title_bg": evaluation.title_bg,
        "title_en": evaluation.title_en,
        "evaluator_name_bg": evaluation.evaluator_name_bg,
        "evaluator_name_en": evaluation.evaluator_name_en,
        "period_start": evaluation.period_start,
        "period_end": evaluation.period_end,
        "started_on": evaluation.started_on,
        "completed_on": evaluation.completed_on,
        "summary_bg": evaluation.summary_bg,
        "summary_en": evaluation.summary_en,
        "published_at": evaluation.published_at,
        "decision_url": absolute(request, "api:decision", evaluation.decision_id)
        if evaluation.decision_id
        else None,
        "created_at": evaluation.created_at,
        "updated_at": evaluation.updated_at,
    }


def evidence_url(request: HttpRequest, evidence: Evidence, slug: str) -> str | None:
    """Where the evidence is, as the evaluation's page links it."""
    if evidence.kind == EvidenceKind.INDICATOR and evidence.indicator is not None:
        return absolute(request, "portal:indicator", slug, evidence.indicator.code)
    if evidence.kind == EvidenceKind.SURVEY and evidence.survey is not None:
        return absolute(request, "surveys:results", slug, evidence.survey.slug)
    if evidence.kind == EvidenceKind.CONSULTATION and evidence.consultation is not None:
        return absolute(request, "consultations:report", slug, evidence.consultation.slug)
    if evidence.kind == EvidenceKind.DOCUMENT:
        return file_url(request, evidence.file)
    if evidence.kind == EvidenceKind.LINK:
        return evidence.url or None
    return None


def recommendation_out(
    request: HttpRequest, recommendation: Recommendation, slug: str, today: dt.date
) -> dict:
    r = recommendation
    return {
        "id": r.pk,
        "url": absolute(request, "api:recommendation", r.pk),
        "web_url": absolute(request, "evaluations:detail", slug, r.evaluation_id) + f"#recommendation-{r.pk}",
        "evaluation_id": r.evaluation_id,
        "number": r.number,
        "text_bg": r.text_bg,
        "text_en": r.text_en,
        "priority": r.priority,
        "response": r.response,
        "response_reasons_bg": r.response_reasons_bg,
        "response_reasons_en": r.response_reasons_en,
        "action_bg": r.action_bg,
        "action_en": r.action_en,
        "responsible_unit_bg": r.responsible_unit_bg,
        "responsible_unit_en": r.responsible_unit_en,
        "deadline": r.deadline,
        "status": r.status,
        "overdue": rules.is_overdue(deadline=r.deadline, status=r.status, as_of=today),
        "closed_at": r.closed_at,
        "closing_note_bg": r.closing_note_bg,
        "closing_note_en": r.closing_note_en,
        "updated_at": r.updated_at,
    }


@router.get("", response={200: Page[EvaluationOut], **READ_ERRORS}, url_name="evaluations")
def evaluations(
    request: HttpRequest,
    municipality: str | None = None,
    kind: str | None = None,
    subject: str | None = None,
    year: str | None = None,
    updated_since: str | None = None,
):
    """Published evaluations. Filters: ``municipality`` (its address name), ``kind`` (ex_ante,
    mid_term, ex_post, thematic), ``subject`` (plan, policy_area, project), ``year`` (completed,
    else started), ``updated_since`` (ISO 8601)."""
    strict_query(request, "municipality", "kind", "subject", "year", "updated_since")
    town = municipality_param(municipality)
    filters = selectors.EvaluationFilters(
        kind=choice_param("kind", kind, EvaluationKind.values),
        subject=choice_param("subject", subject, SubjectKind.values),
        year=year_param(year),
    )
    since = since_param(updated_since)
    found = selectors.published_evaluations(municipality=town, filters=filters)
    if since:
        found = found.filter(updated_at__gte=since)
    return page(request, found, lambda evaluation: evaluation_out(request, evaluation))


@router.get(
    "/recommendations", response={200: Page[RecommendationOut], **READ_ERRORS}, url_name="recommendations"
)
def recommendations(
    request: HttpRequest,
    municipality: str | None = None,
    status: str | None = None,
    overdue: str | None = None,
    updated_since: str | None = None,
):
    """The recommendations of the published evaluations with the administration's response and
    their follow-up; ``overdue`` is as of today. Filters: ``municipality`` (its address name),
    ``status`` (open, in_progress, done, closed), ``overdue`` (true, false), ``updated_since``."""
    strict_query(request, "municipality", "status", "overdue", "updated_since")
    town = municipality_param(municipality)
    chosen = choice_param("status", status, RecommendationStatus.values)
    late_only = bool_param("overdue", overdue)
    since = since_param(updated_since)
    today = timezone.localdate()
    found = selectors.published_recommendations(municipality=town, status=chosen)
    if late_only is not None:
        late = selectors.overdue_q(today)
        found = found.filter(late) if late_only else found.exclude(late)
    if since:
        found = found.filter(updated_at__gte=since)
    return page(
        request, found, lambda r: recommendation_out(request, r, r.evaluation.municipality.slug, today)
    )


@router.get(
    "/recommendations/{pk}", response={200: RecommendationOut, **READ_ERRORS}, url_name="recommendation"
)
def recommendation(request: HttpRequest, pk: int):
    """One recommendation of a published evaluation."""
    strict_query(request)
    found = selectors.published_recommendations(municipality=None).get(pk=pk)
    return recommendation_out(request, found, found.evaluation.municipality.slug, timezone.localdate())


@router.get("/{pk}", response={200: EvaluationDetailOut, **READ_ERRORS}, url_name="evaluation")
def evaluation(request: HttpRequest, pk: int):
    """One published evaluation: the criteria in their usual order with rating (1 unsatisfactory
    to 4 highly satisfactory, or none), findings and evidence; the recommendations; the report
    files generated since it was published."""
    strict_query(request)
    today = timezone.localdate()
    found = selectors.evaluation_get(municipality=None, pk=pk, as_of=today)
    evaluation = found.evaluation
    slug = evaluation.municipality.slug
    return evaluation_out(request, evaluation) | {
        "criteria": [
            {
                "criterion": rating.criterion,
                "rating": rating.rating,
                "findings_bg": rating.findings_bg,
                "findings_en": rating.findings_en,
                "evidence": [
                    {
                        "id": e.pk,
                        "kind": e.kind,
                        "label_bg": e.label_bg,
                        "label_en": e.label_en,
                        "web_url": evidence_url(request, e, slug),
                        "indicator": e.indicator.code if e.indicator is not None else None,
                    }
                    for e in rating.evidence.all()
                ],
            }
            for rating in found.ratings
        ],
        "recommendations": [
            recommendation_out(request, tracked.recommendation, slug, today)
            for tracked in found.recommendations
        ],
        "files": [
            {
                "language": f.language,
                "format": f.format,
                "url": file_url(request, f.file),
                "generated_at": f.generated_at,
            }
            for f in report_selectors.evaluation_published_files(evaluation)
        ],
    }
