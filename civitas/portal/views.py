from django.http import Http404
from django.shortcuts import redirect, render

from civitas.core.tenancy import default_municipality, municipality_from_slug


def root(request):
    municipality = default_municipality()
    if municipality is None:
        raise Http404("No municipality yet")
    return redirect("portal:home", municipality=municipality.slug)


def home(request, municipality):
    municipality = municipality_from_slug(municipality)
    return render(request, "portal/home.html", {"municipality": municipality})


def plan_detail(request, municipality, plan):
    raise Http404


def project_list(request, municipality):
    raise Http404


def project_detail(request, municipality, project):
    raise Http404
