"""The public pages of projects: the filtered list, and a project with its budget and progress."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from civitas.core.cache import cached_public_page
from civitas.core.tenancy import with_municipality
from civitas.indicators import selectors as indicator_selectors
from civitas.plans import selectors as plan_selectors

from . import policy, selectors
from .models import FundingSource, ProjectStatus

PROJECTS_PER_PAGE = 20


@with_municipality
@cached_public_page(params=("element", "status", "source", "q", "page"))
def project_list(request, municipality):
    filters, filter_errors = selectors.project_filters_from(request.GET, municipality=municipality)
    projects = selectors.project_list(municipality=municipality, filters=filters)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_budgets(page.object_list)
    return render(
        request,
        "projects/project_list.html",
        {
            "nav": "projects",
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filters": filters,
            "filter_errors": filter_errors,
            "element_choices": plan_selectors.element_choices(municipality=municipality),
            "status_choices": ProjectStatus.choices,
            "source_choices": FundingSource.choices,
            "converted": any(project.budget.converted for project in page.object_list),
            "is_filtered": any([filters.element, filters.status, filters.source, filters.q]),
        },
    )


@with_municipality
@cached_public_page
def project_detail(request, municipality, project):
    try:
        project = selectors.project_get(municipality=municipality, slug=project)
    except Http404:
        moved_to = selectors.project_moved_to(municipality=municipality, slug=project)
        if moved_to is None:
            raise
        return redirect("portal:project", municipality.slug, moved_to, permanent=True)
    budget = selectors.project_budget(project)
    documents, photos = selectors.documents_and_photos(project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "nav": "projects",
            "project": project,
            "budget": budget,
            "overdue_ids": selectors.overdue_activity_ids(project, as_of=timezone.localdate()),
            "documents": documents,
            "photos": photos,
            "indicators": indicator_selectors.project_indicators(project),
            "project_topic": project.topics.order_by("pk").first(),
            "can_edit": policy.can_edit_projects(request.user, municipality),
        },
    )
