"""The public portal's shell: the root and the municipality's home page. The public pages of each
app are its ``views``."""

from django.http import Http404
from django.shortcuts import redirect, render

from civitas.core.cache import cached_public_page
from civitas.core.charts import render_svg
from civitas.core.permissions import Action, can
from civitas.core.tenancy import default_municipality, with_municipality
from civitas.indicators import selectors as indicator_selectors
from civitas.indicators.presentation import NOTE_LABELS, indicator_chart
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


@with_municipality
@cached_public_page
def indicator_detail(request, municipality, code):
    include_unpublished = can(request.user, municipality, Action.VIEW_BACK_OFFICE)
    indicator = indicator_selectors.indicator_get(
        municipality=municipality, code=code, include_unpublished=include_unpublished
    )
    detail = indicator_selectors.indicator_detail(indicator)
    chart_svg = None
    if detail.evaluated.result is not None:
        chart = indicator_chart(name=indicator.name, unit=indicator.unit, result=detail.evaluated.result)
        chart_svg = render_svg(chart, dom_id=f"chart-{indicator.pk}")
    return render(
        request,
        "portal/indicator_detail.html",
        {
            "nav": "plans",
            "indicator": indicator,
            "detail": detail,
            "result": detail.evaluated.result,
            "chart_svg": chart_svg,
            "notes": [
                NOTE_LABELS[note]
                for note in (detail.evaluated.result.notes if detail.evaluated.result else ())
            ],
        },
    )
