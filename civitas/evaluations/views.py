"""The public pages of evaluations: the list of published evaluations, a page per evaluation (its
ratings by criterion with findings and evidence, its recommendations with their follow-up) and
the tracker of every recommendation, overdue ones flagged."""

from django.shortcuts import render
from django.utils import timezone

from civitas.core.cache import cached_public_page
from civitas.core.tenancy import with_municipality
from civitas.reports import selectors as report_selectors

from . import selectors
from .models import EvaluationKind, Rating, RecommendationStatus, SubjectKind

LIST_PARAMS = ("kind", "subject", "year")
TRACKER_PARAMS = ("status", "overdue", "unit")


@with_municipality
@cached_public_page(params=LIST_PARAMS)
def evaluation_list(request, municipality):
    filters, filter_errors = selectors.evaluation_filters_from(request.GET)
    return render(
        request,
        "evaluations/evaluation_list.html",
        {
            "nav": "evaluations",
            "evaluations": selectors.evaluation_list(municipality=municipality, filters=filters),
            "filters": filters,
            "filter_errors": filter_errors,
            "kind_choices": EvaluationKind.choices,
            "subject_choices": SubjectKind.choices,
            "years": selectors.evaluation_years(municipality=municipality),
        },
    )


@with_municipality
@cached_public_page
def evaluation_detail(request, municipality, pk):
    page = selectors.evaluation_get(municipality=municipality, pk=pk, as_of=timezone.localdate())
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "nav": "evaluations",
            "page": page,
            "evaluation": page.evaluation,
            "scale": Rating.choices,
            "downloads": report_selectors.evaluation_published_files(page.evaluation),
        },
    )


@with_municipality
@cached_public_page(params=TRACKER_PARAMS)
def recommendation_tracker(request, municipality):
    filters, filter_errors = selectors.tracker_filters_from(request.GET)
    rows = selectors.recommendation_tracker(
        municipality=municipality, filters=filters, as_of=timezone.localdate()
    )
    return render(
        request,
        "evaluations/tracker.html",
        {
            "nav": "evaluations",
            "rows": rows,
            "filters": filters,
            "filter_errors": filter_errors,
            "status_choices": RecommendationStatus.choices,
            "units": selectors.responsible_units(municipality=municipality),
        },
    )
