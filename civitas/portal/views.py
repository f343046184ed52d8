"""The public portal's shell: the root and the municipality's home page. The public pages of each
app are its ``views``."""

from django.http import Http404
from django.shortcuts import redirect, render

from civitas.core.cache import cached_public_page
from civitas.core.tenancy import default_municipality, with_municipality
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
        },
    )
