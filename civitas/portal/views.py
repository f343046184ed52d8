"""The public portal: thin views over the plan and project selectors."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from civitas.core.cache import cached_public_page
from civitas.core.permissions import Action, can
from civitas.core.tenancy import default_municipality, with_municipality
from civitas.evaluation import engine
from civitas.indicators import selectors as indicator_selectors
from civitas.plans import selectors as plan_selectors
from civitas.projects import selectors as project_selectors
from civitas.projects.models import FundingSource, ProjectStatus

PROJECTS_PER_PAGE = 20


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
        },
    )


@with_municipality
@cached_public_page
def plan_list(request, municipality):
    include_drafts = can(request.user, municipality, Action.EDIT_PLAN)
    return render(
        request,
        "portal/plan_list.html",
        {
            "nav": "plans",
            "plans": plan_selectors.plan_list(municipality=municipality, include_drafts=include_drafts),
        },
    )


@with_municipality
@cached_public_page
def plan_detail(request, municipality, plan):
    include_drafts = can(request.user, municipality, Action.EDIT_PLAN)
    plan = plan_selectors.plan_get(municipality=municipality, slug=plan, include_drafts=include_drafts)
    tree = plan_selectors.plan_tree(plan)
    evaluation = indicator_selectors.plan_evaluation(plan, tree, planning_version=municipality.planning_version)
    return render(
        request,
        "portal/plan_detail.html",
        {"nav": "plans", "plan": plan, "tree": tree, "evaluation": evaluation},
    )


@with_municipality
@cached_public_page(params=("element", "status", "source", "q", "page"))
def project_list(request, municipality):
    filters, filter_errors = project_selectors.project_filters_from(request.GET, municipality=municipality)
    projects = project_selectors.project_list(municipality=municipality, filters=filters)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/project_list.html",
        {
            "nav": "projects",
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filters": filters,
            "filter_errors": filter_errors,
            "element_choices": plan_selectors.element_choices(municipality=municipality),
            "status_choices": ProjectStatus.choices,
            "source_choices": FundingSource.choices,
            "is_filtered": any([filters.element, filters.status, filters.source, filters.q]),
        },
    )


@with_municipality
@cached_public_page
def project_detail(request, municipality, project):
    project = project_selectors.project_get(municipality=municipality, slug=project)
    budget = project_selectors.budget_summary(list(project.funding_lines.all()))
    return render(
        request,
        "portal/project_detail.html",
        {
            "nav": "projects",
            "project": project,
            "budget": budget,
            "execution": engine.budget_execution(float(budget.spent), float(budget.total)),
            "indicators": indicator_selectors.project_indicators(project),
            "project_topic": project.topics.order_by("pk").first(),
            "can_edit": can(request.user, municipality, Action.EDIT_PROJECT),
        },
    )
