"""Every read of evaluations and recommendations that a page, a report or the media view needs, with
its prefetching: the query counts do not grow with the data."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from civitas.core.models import Municipality
from civitas.core.selectors import FileAccess, strictest
from civitas.plans.models import Plan
from civitas.projects.models import Project

from . import policy, rules
from .models import (
    Criterion,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    Evidence,
    Recommendation,
    RecommendationStatus,
    SubjectKind,
)

CRITERIA_ORDER = {value: position for position, value in enumerate(Criterion.values)}


@dataclass(frozen=True)
class TrackedRecommendation:
    """A recommendation as it is followed up: ``recommendation`` (with ``.evaluation`` loaded, and
    its plan, project and decision), and whether it is ``overdue`` on the day asked."""

    recommendation: Recommendation
    overdue: bool

    @property
    def evaluation(self) -> Evaluation:
        return self.recommendation.evaluation


def _tracked(recommendations, as_of: datetime.date) -> list[TrackedRecommendation]:
    return [
        TrackedRecommendation(r, rules.is_overdue(deadline=r.deadline, status=r.status, as_of=as_of))
        for r in recommendations
    ]


def overdue_q(as_of: datetime.date) -> Q:
    """rules.is_overdue, as a database filter."""
    return Q(deadline__lt=as_of) & ~Q(status__in=rules.FINISHED)


def _with_evaluation(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("evaluation__plan", "evaluation__project", "evaluation__decision")


def recommendations_for_plan(
    *, plan: Plan, as_of: datetime.date, published_only: bool = True
) -> list[TrackedRecommendation]:
    """Every recommendation of the evaluations of ``plan``: of the plan itself, of the policy areas
    evaluated as the plan's, and of the projects that serve its elements; each with its status and
    whether it is overdue on ``as_of``. Ordered by evaluation date, then number. One query."""
    projects = Project.objects.filter(contributions__element__plan=plan).values("pk")
    evaluations = Q(evaluation__plan=plan) | Q(evaluation__project__in=projects)
    recommendations = Recommendation.objects.filter(
        evaluations, evaluation__municipality_id=plan.municipality_id
    )
    if published_only:
        recommendations = recommendations.filter(evaluation__status=EvaluationStatus.PUBLISHED)
    recommendations = _with_evaluation(recommendations).order_by(
        "evaluation__completed_on", "evaluation__started_on", "evaluation_id", "number"
    )
    return _tracked(recommendations, as_of)


# Public list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationFilters:
    kind: str = ""
    subject: str = ""
    year: int | None = None

    @property
    def in_use(self) -> bool:
        return bool(self.kind or self.subject or self.year)


def evaluation_filters_from(params) -> tuple[EvaluationFilters, dict]:
    """The list's filters from query parameters; unknown values are reported, not used."""
    errors = {}
    kind = params.get("kind", "").strip()
    if kind and kind not in EvaluationKind.values:
        errors["kind"], kind = "unknown", ""
    subject = params.get("subject", "").strip()
    if subject and subject not in SubjectKind.values:
        errors["subject"], subject = "unknown", ""
    raw_year = params.get("year", "").strip()
    year = int(raw_year) if raw_year.isdigit() and 1900 <= int(raw_year) <= 2200 else None
    if raw_year and year is None:
        errors["year"] = "unknown"
    return EvaluationFilters(kind=kind, subject=subject, year=year), errors


def _published(municipality: Municipality | None) -> QuerySet:
    evaluations = Evaluation.objects.filter(status=EvaluationStatus.PUBLISHED)
    return evaluations if municipality is None else evaluations.filter(municipality=municipality)


def evaluation_list(*, municipality: Municipality, filters: EvaluationFilters) -> list[Evaluation]:
    """The published evaluations, newest first, with their subject. One query."""
    return list(published_evaluations(municipality=municipality, filters=filters))


def published_evaluations(*, municipality: Municipality | None, filters: EvaluationFilters) -> QuerySet:
    """The published evaluations (the municipality's, or every municipality's for the API) passing
    the filters, newest first, with their subject and decision: one query."""
    evaluations = _published(municipality).select_related("municipality", "plan", "project", "decision")
    if filters.kind:
        evaluations = evaluations.filter(kind=filters.kind)
    if filters.subject:
        evaluations = evaluations.filter(subject_kind=filters.subject)
    if filters.year:
        evaluations = evaluations.filter(
            Q(completed_on__year=filters.year) | Q(completed_on=None, started_on__year=filters.year)
        )
    return evaluations


def evaluation_years(*, municipality: Municipality) -> list[int]:
    """The years of the published evaluations, for the list's filter. One query."""
    years = set()
    for completed, started in _published(municipality).values_list("completed_on", "started_on"):
        if day := completed or started:
            years.add(day.year)
    return sorted(years, reverse=True)


def _full(queryset: QuerySet) -> QuerySet:
    evidence = Evidence.objects.select_related("indicator", "survey", "consultation")
    return queryset.select_related("plan", "project", "decision", "created_by").prefetch_related(
        "ratings", Prefetch("ratings__evidence", queryset=evidence), "recommendations"
    )


def _sorted_ratings(evaluation: Evaluation) -> list:
    return sorted(evaluation.ratings.all(), key=lambda rating: CRITERIA_ORDER.get(rating.criterion, 99))


@dataclass(frozen=True)
class EvaluationPage:
    evaluation: Evaluation
    ratings: list  # CriterionRating in the criteria's order, each with .evidence prefetched
    recommendations: list[TrackedRecommendation]


def evaluation_page(evaluation: Evaluation, *, as_of: datetime.date) -> EvaluationPage:
    return EvaluationPage(
        evaluation=evaluation,
        ratings=_sorted_ratings(evaluation),
        recommendations=_tracked(evaluation.recommendations.all(), as_of),
    )


def evaluation_get(*, municipality: Municipality | None, pk: int, as_of: datetime.date) -> EvaluationPage:
    """A published evaluation (of ``municipality``, or of any when None) with its ratings,
    evidence and recommendations. Four queries."""
    evaluation = _full(_published(municipality).select_related("municipality")).filter(pk=pk).first()
    if evaluation is None:
        raise Http404("No such evaluation")
    return evaluation_page(evaluation, as_of=as_of)


def evaluations_of_plan(*, plan: Plan) -> list[Evaluation]:
    """The published evaluations of a plan (and of the policy areas evaluated as the plan's), for
    the plan's page. One query."""
    return list(Evaluation.objects.filter(plan=plan, status=EvaluationStatus.PUBLISHED))


def evaluations_of_project(*, project: Project) -> list[Evaluation]:
    """The published evaluations of a project, for the project's page. One query."""
    return list(Evaluation.objects.filter(project=project, status=EvaluationStatus.PUBLISHED))


# The tracker -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackerFilters:
    status: str = ""
    overdue: bool = False
    unit: str = ""

    @property
    def in_use(self) -> bool:
        return bool(self.status or self.overdue or self.unit)


def tracker_filters_from(params) -> tuple[TrackerFilters, dict]:
    errors = {}
    status = params.get("status", "").strip()
    if status and status not in RecommendationStatus.values:
        errors["status"], status = "unknown", ""
    overdue = params.get("overdue", "") == "1"
    unit = params.get("unit", "").strip()[:300]
    return TrackerFilters(status=status, overdue=overdue, unit=unit), errors


def recommendation_tracker(
    *, municipality: Municipality, filters: TrackerFilters, as_of: datetime.date, published_only: bool = True
) -> list[TrackedRecommendation]:
    """The municipality's recommendations, overdue first, then by deadline (none last). One query."""
    recommendations = Recommendation.objects.filter(evaluation__municipality=municipality)
    if published_only:
        recommendations = recommendations.filter(evaluation__status=EvaluationStatus.PUBLISHED)
    if filters.status:
        recommendations = recommendations.filter(status=filters.status)
    if filters.overdue:
        recommendations = recommendations.filter(overdue_q(as_of))
    if filters.unit:
        recommendations = recommendations.filter(responsible_unit_bg=filters.unit)
    tracked = _tracked(
        _with_evaluation(recommendations).order_by("deadline", "evaluation_id", "number"), as_of
    )
    far = datetime.date.max
    return sorted(tracked, key=lambda t: (not t.overdue, t.recommendation.deadline or far))


def published_recommendations(*, municipality: Municipality | None, status: str = "") -> QuerySet:
    """The recommendations of the published evaluations (the municipality's, or all), with their
    evaluation, plan, project and decision; ``status`` narrows them. One query."""
    recommendations = _with_evaluation(
        Recommendation.objects.filter(evaluation__status=EvaluationStatus.PUBLISHED)
    ).select_related("evaluation__municipality")
    if municipality is not None:
        recommendations = recommendations.filter(evaluation__municipality=municipality)
    if status:
        recommendations = recommendations.filter(status=status)
    return recommendations


def responsible_units(*, municipality: Municipality, published_only: bool = True) -> list[str]:
    """The responsible units named by the recommendations, for the tracker's filter. One query."""
    recommendations = Recommendation.objects.filter(evaluation__municipality=municipality)
    if published_only:
        recommendations = recommendations.filter(evaluation__status=EvaluationStatus.PUBLISHED)
    units = recommendations.exclude(responsible_unit_bg="").values_list("responsible_unit_bg", flat=True)
    return sorted(set(units))


# The back office ----------------------------------------------------------------------------------


def staff_evaluation_list(*, municipality: Municipality) -> list[Evaluation]:
    """Every evaluation of the municipality, drafts included. One query."""
    return list(Evaluation.objects.filter(municipality=municipality).select_related("plan", "project"))


def evaluation_find(*, municipality: Municipality, pk: int) -> Evaluation:
    """Any evaluation of the municipality (for the staff), with everything its pages show."""
    evaluation = _full(Evaluation.objects.filter(municipality=municipality)).filter(pk=pk).first()
    if evaluation is None:
        raise Http404("No such evaluation")
    return evaluation


def recommendation_find(*, evaluation: Evaluation, pk: int) -> Recommendation:
    recommendation = Recommendation.objects.filter(evaluation=evaluation, pk=pk).first()
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


def subject_choices(*, municipality: Municipality) -> tuple[list, list]:
    """(plans, projects) of the municipality for the evaluation form: [(pk, label)]. Two queries."""
    plans = [
        (p.pk, p.title_bg) for p in Plan.objects.filter(municipality=municipality).order_by("-period_start")
    ]
    projects = [
        (p.pk, f"{p.code} {p.title_bg}")
        for p in Project.objects.filter(municipality=municipality).order_by("code")
    ]
    return plans, projects


# Files ---------------------------------------------------------------------------------------------


def evidence_file_access(user, name: str):
    """An evaluation's uploaded evidence: public once the evaluation is published, else only to the
    municipality's staff; None if no evidence stores ``name``. One indexed query."""
    if not name:
        return None
    found = Evidence.objects.filter(file=name).order_by().select_related("rating__evaluation__municipality")
    accesses = []
    for evidence in found:
        evaluation = evidence.rating.evaluation
        if evaluation.is_published:
            accesses.append(FileAccess.PUBLIC)
        elif policy.can_see_drafts(user, evaluation.municipality):
            accesses.append(FileAccess.PRIVATE)
        else:
            accesses.append(FileAccess.DENIED)
    return strictest(accesses)
