"""The public register of the council's decisions: the filtered list and a page per decision with
what it acts on. Thin views over the selectors; cached for anonymous visitors (core.cache)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from civitas.core.cache import cached_public_page
from civitas.core.content import Content
from civitas.core.tenancy import with_municipality

from . import policy, presentation, selectors
from .models import SessionKind

DECISIONS_PER_PAGE = 20
FILTER_PARAMS = ("year", "session", "acts_on", "q")
# The decision pages show what decisions act on: plans and projects (planning), consultations
# (participation).
READS = (Content.PLANNING, Content.PARTICIPATION)


@with_municipality
@cached_public_page(params=(*FILTER_PARAMS, "page"), reads=READS)
def decision_list(request, municipality):
    filters, filter_errors = selectors.decision_filters_from(request.GET, municipality=municipality)
    decisions = selectors.decision_list(municipality=municipality, filters=filters)
    page = Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "council/decision_list.html",
        {
            "nav": "decisions",
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filters": filters,
            "filter_errors": filter_errors,
            "years": selectors.decision_years(municipality=municipality),
            "session_choices": SessionKind.choices,
            "relations": selectors.relations(),
            "council_name": presentation.council_name(municipality),
            "is_staff": policy.can_manage_decisions(request.user, municipality),
        },
    )


@with_municipality
@cached_public_page(reads=READS)
def decision_detail(request, municipality, year, number):
    decision = selectors.decision_get(municipality=municipality, year=year, number=number)
    return render(
        request,
        "council/decision_detail.html",
        {
            "nav": "decisions",
            "decision": decision,
            "title": presentation.decision_title(decision),
            "council_name": presentation.council_name(municipality),
            "acts": selectors.decision_acts(decision),
            "is_staff": policy.can_manage_decisions(request.user, municipality),
        },
    )
