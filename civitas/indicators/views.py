"""Public pages of indicators: an indicator's page (its chart, the data table under it and its
public history) and the exports of a plan's indicators with their published values. The staff's
pages are in manage_views.py."""

from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render

from civitas.core.cache import cached_public_page
from civitas.core.charts import render_svg
from civitas.core.tenancy import with_municipality
from civitas.plans import selectors as plan_selectors

from . import exports, forms, policy, selectors
from .presentation import NOTE_LABELS, indicator_chart, value_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


@with_municipality
@cached_public_page(params=("as_of",), valid=forms.as_of_is_valid)
def indicator_detail(request, municipality, code):
    include_unpublished = policy.can_view_back_office(request.user, municipality)
    indicator = selectors.indicator_get(
        municipality=municipality, code=code, include_unpublished=include_unpublished
    )
    as_of_form, as_of = forms.chosen_as_of(request.GET)
    detail = selectors.indicator_detail(indicator, as_of=as_of)
    chart_svg = None
    if detail.evaluated.result is not None:
        chart = indicator_chart(name=indicator.name, unit=indicator.unit, result=detail.evaluated.result)
        chart_svg = render_svg(chart, dom_id=f"chart-{indicator.pk}")
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "nav": "plans",
            "indicator": indicator,
            "detail": detail,
            "as_of_form": as_of_form,
            "result": detail.evaluated.result,
            "chart_svg": chart_svg,
            "value_rows": value_rows(detail.evaluated.result) if detail.evaluated.result else [],
            "notes": [
                NOTE_LABELS[note]
                for note in (detail.evaluated.result.notes if detail.evaluated.result else ())
            ],
        },
    )


@with_municipality
def plan_export(request, municipality, plan, fmt):
    """A plan's indicators with their published values, evaluation and public history."""
    include_drafts = policy.can_see_draft_plans(request.user, municipality)
    plan = plan_selectors.plan_get(municipality=municipality, slug=plan, include_drafts=include_drafts)
    as_of_form, as_of = forms.chosen_as_of(request.GET)
    if as_of_form.errors:
        return HttpResponseBadRequest(as_of_form.errors["as_of"][0], content_type="text/plain; charset=utf-8")
    return export_response(
        request, municipality, exports.plan_export_set(plan, public=True, as_of=as_of), fmt
    )


# Downloads (also the staff's exports and templates) ------------------------------------------------


def attachment_response(filename: str, *, lines=None, stream=None):
    """A file to download: CSV lines streamed, or an XLSX file."""
    if lines is not None:
        response = StreamingHttpResponse(lines, content_type=CSV)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=XLSX)


def export_response(request, municipality, export: exports.ExportSet, fmt: str):
    """An export as XLSX, or one of its tables (``?table=``) as CSV."""
    if fmt == "csv":
        table = request.GET.get("table", "values")
        if table not in exports.TABLES:
            raise Http404("No such table")
        name = f"{municipality.slug}-{export.name}-{table}.csv"
        return attachment_response(name, lines=exports.export_csv_lines(export, table))
    return attachment_response(f"{municipality.slug}-{export.name}.xlsx", stream=exports.export_xlsx(export))
