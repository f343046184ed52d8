"""The public portal's shell: the root and the municipality's home page. The public pages of each
app are its ``views``."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from civitas.core.cache import cached_public_page
from civitas.core.tenancy import default_municipality, with_municipality
from civitas.indicators import selectors as indicator_selectors
from civitas.indicators.presentation import STATUS_LABELS
from civitas.plans import charts as plan_charts
from civitas.plans import selectors as plan_selectors
from civitas.projects import selectors as project_selectors


def root(request):
    municipality = default_municipality()
    if municipality is None:
        raise Http404("No municipality yet")
    return redirect("portal:home", municipality=municipality.slug)


@with_municipality
@cached_public_page
def home(request, municipality):
    return render(
        request,
        "portal/home.html",
        {
            "nav": "home",
            "plans": plan_selectors.plan_list(municipality=municipality),
            "figures": project_selectors.municipality_figures(municipality=municipality),
            "latest_projects": project_selectors.latest_projects(municipality=municipality),
            **_plan_in_force(municipality),
        },
    )


def _plan_in_force(municipality) -> dict:
    """The home page's picture of the main plan in force: its indicators by status and its money
    by source and year (nothing when no plan is in force). A fixed number of queries."""
    plan = plan_selectors.main_plan_in_force(municipality=municipality, year=timezone.localdate().year)
    if plan is None:
        return {}
    plan.municipality = municipality
    tree = plan_selectors.plan_tree(plan)
    evaluation = indicator_selectors.plan_evaluation(
        plan, tree, planning_version=municipality.planning_version
    )
    budget = plan_selectors.plan_budget(plan)
    return {
        "main_plan": plan,
        "main_evaluation": evaluation,
        "main_status_chart": plan_charts.plan_status_chart(
            evaluation.plan_result, labels=STATUS_LABELS, dom_id="home-status"
        ),
        "main_budget": budget,
        "main_budget_charts": plan_charts.budget_charts(budget, dom_id="home-budget"),
    }
