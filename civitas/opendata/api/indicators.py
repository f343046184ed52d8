"""Indicators in the API: their passports, targets per period and published values only (never a
draft or a value awaiting verification), as the portal's indicator pages show them."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from civitas.indicators import selectors as indicator_selectors
from civitas.indicators.evaluation import indicator_year_start
from civitas.indicators.models import Indicator
from civitas.projects.models import Project

from .base import Page, page, set_last_modified, strict_query
from .plans import (
    MAX_ID,
    READ_ERRORS,
    absolute,
    given,
    id_value,
    invalid_parameter,
    municipality_param,
    municipality_parameter,
    object_id,
    plan_param,
    plan_parameter,
    query_parameter,
    query_parameters,
    updated_since_param,
    updated_since_parameter,
)

router = Router()


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class TargetOut(Schema):
    year: int
    sub: int
    period: str
    value: float
    is_final: bool


class MeasurementOut(Schema):
    year: int
    sub: int
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    breakdown: dict[str, Any]
    collected_on: datetime.date | None


class IndicatorOut(Schema):
    id: int
    code: str
    url: str
    web_url: str
    municipality: str
    municipality_url: str
    element_id: int | None
    element_url: str | None
    plan_id: int | None
    project_id: int | None
    project_url: str | None
    also_element_ids: list[int]
    name_bg: str
    name_en: str
    definition_bg: str
    definition_en: str
    type: str
    unit_bg: str
    unit_en: str
    measure: str
    scale_min: float | None
    scale_max: float | None
    direction: str
    maintain_band: float | None
    target_kind: str
    tolerance_amount: float | None
    tolerance_unit: str
    year_to_date: bool
    accumulation: str
    baseline_value: float | None
    baseline_year: int | None
    baseline_unavailable_reason_bg: str
    baseline_unavailable_reason_en: str
    data_source_bg: str
    data_source_en: str
    method_bg: str
    method_en: str
    frequency: str
    responsible_unit_bg: str
    responsible_unit_en: str
    eu_code: str
    weight: float
    disaggregation: list[Any]
    is_sample: bool
    updated_at: datetime.datetime
    targets: list[TargetOut]
    measurements: list[MeasurementOut]


def indicator_out(request: HttpRequest, indicator: Indicator) -> dict:
    """An indicator of ``indicator_selectors.public_indicators`` (its prefetches read, no query)."""
    town = indicator.municipality
    year_start = indicator_year_start(indicator)

    def period(year: int, sub: int) -> str:
        return indicator_selectors.indicator_period_label(indicator, year, sub, year_start=year_start)

    return {
        "id": indicator.pk,
        "code": indicator.code,
        "url": absolute(request, "api:indicator", indicator.pk),
        "web_url": absolute(request, "portal:indicator", town.slug, indicator.code),
        "municipality": town.slug,
        "municipality_url": absolute(request, "api:municipality", town.slug),
        "element_id": indicator.element_id,
        "element_url": absolute(request, "api:element", indicator.element_id)
        if indicator.element_id
        else None,
        "plan_id": indicator.element.plan_id if indicator.element is not None else None,
        "project_id": indicator.project_id,
        "project_url": absolute(request, "api:project", indicator.project_id)
        if indicator.project_id
        else None,
        "also_element_ids": [e.pk for e in indicator.public_also],  # type: ignore[attr-defined]  # prefetched
        "name_bg": indicator.name_bg,
        "name_en": indicator.name_en,
        "definition_bg": indicator.definition_bg,
        "definition_en": indicator.definition_en,
        "type": indicator.type,
        "unit_bg": indicator.unit_bg,
        "unit_en": indicator.unit_en,
        "measure": indicator.measure,
        "scale_min": number(indicator.scale_min),
        "scale_max": number(indicator.scale_max),
        "direction": indicator.direction,
        "maintain_band": number(indicator.tolerance),
        "target_kind": indicator.target_kind,
        "tolerance_amount": number(indicator.tolerance_amount),
        "tolerance_unit": indicator.tolerance_unit,
        "year_to_date": indicator.year_to_date,
        "accumulation": indicator.accumulation,
        "baseline_value": number(indicator.baseline_value),
        "baseline_year": indicator.baseline_year,
        "baseline_unavailable_reason_bg": indicator.baseline_unavailable_reason_bg,
        "baseline_unavailable_reason_en": indicator.baseline_unavailable_reason_en,
        "data_source_bg": indicator.data_source_bg,
        "data_source_en": indicator.data_source_en,
        "method_bg": indicator.method_bg,
        "method_en": indicator.method_en,
        "frequency": indicator.frequency,
        "responsible_unit_bg": indicator.responsible_unit_bg,
        "responsible_unit_en": indicator.responsible_unit_en,
        "eu_code": indicator.eu_code,
        "weight": float(indicator.weight),
        "disaggregation": indicator.disaggregation if isinstance(indicator.disaggregation, list) else [],
        "is_sample": indicator.is_sample,
        # When anything shown here last changed: the passport, a value or a target.
        "updated_at": indicator.last_changed,  # type: ignore[attr-defined]  # annotated
        "targets": [
            {
                "year": t.year,
                "sub": t.sub,
                "period": period(t.year, t.sub),
                "value": float(t.value),
                "is_final": t.is_final,
            }
            for t in indicator.targets.all()
        ],
        "measurements": [
            {
                "year": m.year,
                "sub": m.sub,
                "period": period(m.year, m.sub),
                "value": number(m.value),
                "numerator": number(m.numerator),
                "denominator": number(m.denominator),
                "breakdown": m.breakdown if isinstance(m.breakdown, dict) else {},
                "collected_on": m.collected_on,
            }
            for m in indicator.published  # type: ignore[attr-defined]  # prefetched (to_attr)
        ],
    }


def project_param(request: HttpRequest) -> Project | None:
    """The project named by ``?project=`` (its id); None without one."""
    raw = given(request, "project")
    if raw is None:
        return None
    project = Project.objects.filter(pk=id_value(raw, "project")).first()
    if project is None:
        raise invalid_parameter("project", _("there is no project with this id."))
    return project


INDICATOR_FILTERS = ("municipality", "plan", "project", "updated_since")


@router.get(
    "",
    response={200: Page[IndicatorOut], **READ_ERRORS},
    url_name="indicators",
    openapi_extra=query_parameters(
        municipality_parameter(),
        plan_parameter(),
        query_parameter("project", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "A project's id."),
        updated_since_parameter(),
    ),
)
def indicators(request: HttpRequest, response: HttpResponse):
    """Indicators of the public plans and of projects, with their passports, targets and published
    values, filtered by municipality, plan (those its evaluation counts), project and the time of
    their last change."""
    strict_query(request, *INDICATOR_FILTERS)
    queryset = indicator_selectors.public_indicators(
        municipality=municipality_param(request),
        plan=plan_param(request),
        project=project_param(request),
        updated_since=updated_since_param(request),
    )
    result = page(request, queryset, lambda indicator: indicator_out(request, indicator))
    set_last_modified(response, (item["updated_at"] for item in result["items"]))
    return result


@router.get("/{id}", response={200: IndicatorOut, **READ_ERRORS}, url_name="indicator")
def indicator(request: HttpRequest, response: HttpResponse, id: int):
    """One indicator by its id."""
    strict_query(request)
    found = get_object_or_404(indicator_selectors.public_indicators(), pk=object_id(id))
    set_last_modified(response, [found.last_changed])  # type: ignore[attr-defined]  # annotated
    return indicator_out(request, found)
