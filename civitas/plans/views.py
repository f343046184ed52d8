"""The public pages of plans: the list, a plan with its assessed goal tree, and a page for each of
its elements (a goal, a priority, a measure)."""

from functools import wraps

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from civitas.consultations import selectors as consultation_selectors
from civitas.core.cache import CACHE_SECONDS, cached_public_page
from civitas.core.content import Content
from civitas.core.tenancy import with_municipality
from civitas.evaluations import selectors as evaluation_selectors
from civitas.indicators import forms as indicator_forms
from civitas.indicators import selectors as indicator_selectors
from civitas.indicators.presentation import STATUS_LABELS
from civitas.projects import selectors as project_selectors

from . import charts, policy, selectors
from .models import PUBLIC_PLAN_STATUSES


@with_municipality
@cached_public_page
def plan_list(request, municipality):
    include_drafts = policy.can_see_drafts(request.user, municipality)
    return render(
        request,
        "plans/plan_list.html",
        {
            "nav": "plans",
            "plans": selectors.plan_list(municipality=municipality, include_drafts=include_drafts),
        },
    )


def follows_former_address(view):
    """A plan page asked for by an address name the plan had before answers with a permanent
    redirect to the same page under the plan's current address name (query string kept)."""

    @wraps(view)
    def wrapper(request, municipality, plan, **kwargs):
        try:
            return view(request, municipality, plan, **kwargs)
        except Http404:
            moved_to = selectors.plan_moved_to(municipality=municipality, slug=plan)
            if moved_to is None:
                raise
            old = f"/plans/{plan}/"
            path = request.get_full_path()
            return redirect(path.replace(old, f"/plans/{moved_to}/", 1), permanent=True)

    return wrapper


def _evaluated_plan(request, municipality, slug):
    """The plan, its goal tree evaluated on the page's date with the published assessments, and the
    date's form: what the plan page and its elements' pages share."""
    include_drafts = policy.can_see_drafts(request.user, municipality)
    plan = selectors.plan_get(municipality=municipality, slug=slug, include_drafts=include_drafts)
    plan.municipality = municipality
    as_of_form, as_of = indicator_forms.chosen_as_of(request.GET)
    tree, evaluation = indicator_selectors.evaluated_plan(plan, as_of=as_of)
    selectors.attach_assessments(tree, plan=plan)
    # The version in force names the council decision that adopted it (None: the free-text adopted_by).
    plan.in_force = selectors.plan_version_in_force(plan)
    return plan, tree, evaluation, as_of_form


def _tree_html(request, municipality, plan, tree, evaluation) -> str:
    """The plan's goal tree with its indicators, assessments and projects, as HTML: the largest part
    of a plan's page. It is the same for every visitor, so it is kept in the cache under the
    municipality's content version (read with the municipality by this request, so never stale)
    for signed-in visitors too, who are never served the cached page; a draft plan's tree (whose
    changes do not move the version) is always rendered."""
    context = {"municipality": municipality, "plan": plan, "nodes": tree, "evaluation": evaluation}
    if plan.status not in PUBLIC_PLAN_STATUSES:
        charts.chart_tree(tree, labels=STATUS_LABELS)
        return render_to_string("plans/_tree.html", context, request)
    key = (
        f"fragment:plan-tree:{municipality.pk}:{municipality.planning_version}:{plan.pk}:"
        f"{evaluation.as_of.isoformat()}:{int(evaluation.chosen)}:{get_language()}"
    )
    html = cache.get(key)
    if html is None:
        charts.chart_tree(tree, labels=STATUS_LABELS)
        html = render_to_string("plans/_tree.html", context, request)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)


@with_municipality
@follows_former_address
@cached_public_page(params=("as_of",), valid=indicator_forms.as_of_is_valid)
def plan_detail(request, municipality, plan):
    plan, tree, evaluation, as_of_form = _evaluated_plan(request, municipality, plan)
    budget = selectors.plan_budget(plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "nav": "plans",
            "plan": plan,
            "tree": tree,
            "tree_html": _tree_html(request, municipality, plan, tree, evaluation),
            "evaluation": evaluation,
            "status_chart": charts.plan_status_chart(
                evaluation.plan_result, labels=STATUS_LABELS, dom_id="plan-status"
            ),
            "budget": budget,
            "budget_charts": charts.budget_charts(budget, dom_id="plan-budget"),
            "financial": project_selectors.financial_comparison(plan),
            "as_of_form": as_of_form,
            "evaluations": evaluation_selectors.evaluations_of_plan(plan=plan),
        },
    )


@with_municipality
@follows_former_address
@cached_public_page(
    params=("as_of",), valid=indicator_forms.as_of_is_valid, reads=(Content.PLANNING, Content.PARTICIPATION)
)
def element_detail(request, municipality, plan, element):
    """A goal, priority or measure of a plan: where it sits, its status and indicators, its projects,
    the elements under it, its annual assessments, its money and the plan's consultations."""
    plan, tree, evaluation, as_of_form = _evaluated_plan(request, municipality, plan)
    path = selectors.node_path(tree, element)
    node = path[-1]
    charts.chart_node(node, labels=STATUS_LABELS)
    charts.chart_tree(node.children, labels=STATUS_LABELS)
    ids = selectors.subtree_ids(node)
    budget = selectors.plan_budget(plan, element_ids=ids)
    financial = project_selectors.financial_comparison(plan)
    return render(
        request,
        "plans/element_detail.html",
        {
            "nav": "plans",
            "plan": plan,
            "node": node,
            "ancestors": path[:-1],
            "projects": selectors.subtree_projects(node),
            "evaluation": evaluation,
            "budget": budget,
            "budget_charts": charts.budget_charts(budget, dom_id="element-budget"),
            "financial_rows": [
                row for row in (financial.rows if financial else []) if row.element and row.element.pk in ids
            ],
            "financial": financial,
            "consultations": consultation_selectors.consultation_list(municipality=municipality).filter(
                plan=plan
            ),
            "as_of_form": as_of_form,
        },
    )
