"""The public pages of projects: the filtered list with its map (GeoJSON of the same filters), and a
project with its budget, progress and place."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from civitas.core import geo
from civitas.core.cache import cached_public_page
from civitas.core.tenancy import with_municipality
from civitas.evaluations import selectors as evaluation_selectors
from civitas.indicators import selectors as indicator_selectors
from civitas.plans import selectors as plan_selectors
from civitas.publicity import selectors as publicity_selectors

from . import policy, selectors
from .models import FundingSource, ProjectStatus

PROJECTS_PER_PAGE = 20
FILTER_PARAMS = ("element", "status", "source", "q")


def _filter_query(filters: selectors.ProjectFilters) -> str:
    """The query string of the filters in use (for the map of the same list)."""
    params = {"element": filters.element.pk if filters.element else "", "status": filters.status,
              "source": filters.source, "q": filters.q}  # fmt: skip
    return urlencode({name: value for name, value in params.items() if value})


def _map_feature(municipality, project) -> dict:
    return geo.feature(
        project.location,
        {
            "code": project.code,
            "title": project.title,
            "status": project.status,
            "status_label": str(project.get_status_display()),
            "place": project.location_name,
            "url": reverse("portal:project", args=[municipality.slug, project.slug]),
        },
    )


@with_municipality
@cached_public_page(params=(*FILTER_PARAMS, "page"))
def project_list(request, municipality):
    filters, filter_errors = selectors.project_filters_from(request.GET, municipality=municipality)
    projects = selectors.project_list(municipality=municipality, filters=filters)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_budgets(page.object_list)
    map_url = reverse("portal:projects_map", args=[municipality.slug])
    if query := _filter_query(filters):
        map_url = f"{map_url}?{query}"
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
            "map_url": map_url,
        },
    )


@with_municipality
@cached_public_page(params=FILTER_PARAMS)
def project_map(request, municipality):
    """The projects of the list (same filters) that have a location, as GeoJSON for its map."""
    filters, _errors = selectors.project_filters_from(request.GET, municipality=municipality)
    projects = selectors.project_map_list(municipality=municipality, filters=filters)
    collection = geo.feature_collection([_map_feature(municipality, project) for project in projects])
    return JsonResponse(
        collection, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False}
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
            "publicity": publicity_selectors.project_publicity(project),
            "can_edit": policy.can_edit_projects(request.user, municipality),
            "map_feature": _map_feature(municipality, project) if project.location else None,
            "evaluations": evaluation_selectors.evaluations_of_project(project=project),
        },
    )
