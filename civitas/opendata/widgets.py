"""Small pages that other sites (the municipality's own website, a local newspaper's) may show in an
``<iframe>``: a plan's status summary and a project's progress. They read the same selectors as
the plan's and the project's pages (no rule of their own), set no cookie, and are the only pages
that allow framing: ``X-Frame-Options`` is not sent and the policy's ``frame-ancestors`` is ``*``.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from civitas.core.cache import cached_public_page
from civitas.core.middleware import content_security_policy
from civitas.core.tenancy import with_municipality
from civitas.indicators import selectors as indicator_selectors
from civitas.indicators.presentation import STATUS_LABELS
from civitas.plans import charts
from civitas.plans import selectors as plan_selectors
from civitas.projects import selectors as project_selectors


def framing_policy() -> str:
    """The site's Content-Security-Policy, but any site may frame the page."""
    policy = getattr(settings, "CIVITAS_CSP", None) or content_security_policy(settings.CIVITAS_MAP_TILES)
    return policy.replace("frame-ancestors 'none'", "frame-ancestors *")


def frameable(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = framing_policy()
        return response

    return xframe_options_exempt(wrapper)


@frameable
@with_municipality
@cached_public_page
def plan_widget(request, municipality, plan):
    """The plan's overall status, score and coverage, and its top-level goals' statuses."""
    plan = plan_selectors.plan_get(municipality=municipality, slug=plan)
    plan.municipality = municipality
    tree = plan_selectors.plan_tree(plan)
    evaluation = indicator_selectors.plan_evaluation(
        plan, tree, planning_version=municipality.planning_version
    )
    return render(
        request,
        "opendata/embed_plan.html",
        {
            "plan": plan,
            "tree": tree,
            "evaluation": evaluation,
            "status_chart": charts.plan_status_chart(
                evaluation.plan_result, labels=STATUS_LABELS, dom_id="embed-plan-status"
            ),
        },
    )


@frameable
@with_municipality
@cached_public_page
def project_widget(request, municipality, project):
    """The project's status, progress, dates and budget execution."""
    project = project_selectors.project_get(municipality=municipality, slug=project)
    return render(
        request,
        "opendata/embed_project.html",
        {"project": project, "budget": project_selectors.project_budget(project)},
    )
