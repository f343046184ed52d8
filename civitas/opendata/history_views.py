"""The public change history pages of a plan and of a project (``history``): thin views over the
history selectors, cached for anonymous visitors like the plan and project pages they belong to
(every public fact they show moves the planning content's version on)."""

from django.shortcuts import render

from civitas.core.cache import cached_public_page
from civitas.core.tenancy import with_municipality
from civitas.plans import selectors as plan_selectors

from . import history


def _render(request, template_context: dict, page, entries):
    return render(
        request,
        "opendata/history.html",
        template_context
        | {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "entries": entries,
        },
    )


@with_municipality
@cached_public_page(params=("page",))
def plan_history(request, municipality, plan):
    """A public plan's history (a draft plan has none: 404)."""
    plan = plan_selectors.plan_get(municipality=municipality, slug=plan)
    plan.municipality = municipality
    page, entries = history.plan_history(plan=plan, page_number=request.GET.get("page"))
    return _render(request, {"nav": "plans", "plan": plan}, page, entries)


@with_municipality
@cached_public_page(params=("page",))
def project_history(request, municipality, project):
    project = history.history_project(municipality=municipality, slug=project)
    page, entries = history.project_history(project=project, page_number=request.GET.get("page"))
    return _render(request, {"nav": "projects", "project": project}, page, entries)
