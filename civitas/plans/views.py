"""The public pages of plans: the list, and a plan with its assessed goal tree."""

from django.shortcuts import render

from civitas.core.cache import cached_public_page
from civitas.core.tenancy import with_municipality
from civitas.indicators import forms as indicator_forms
from civitas.indicators import selectors as indicator_selectors
from civitas.projects import selectors as project_selectors

from . import policy, selectors


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


@with_municipality
@cached_public_page(params=("as_of",), valid=indicator_forms.as_of_is_valid)
def plan_detail(request, municipality, plan):
    include_drafts = policy.can_see_drafts(request.user, municipality)
    plan = selectors.plan_get(municipality=municipality, slug=plan, include_drafts=include_drafts)
    plan.municipality = municipality
    tree = selectors.plan_tree(plan)
    as_of_form, as_of = indicator_forms.chosen_as_of(request.GET)
    evaluation = indicator_selectors.plan_evaluation(
        plan, tree, as_of=as_of, planning_version=municipality.planning_version
    )
    selectors.attach_assessments(tree, plan=plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "nav": "plans",
            "plan": plan,
            "tree": tree,
            "evaluation": evaluation,
            "financial": project_selectors.financial_comparison(plan),
            "as_of_form": as_of_form,
        },
    )
