"""Plans in the API: the public plans with their versions and goal trees (elements), and the
evaluation engine's results for a plan as of a date, read through the same selectors as the
portal's plan pages so that the two never disagree.

Also the query parameters the planning endpoints share (``municipality``, ``plan``, a choice,
``updated_since``), each refused with a 400 and a stable code when its value is not valid.
"""

import datetime
import math
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from civitas.core.models import Municipality
from civitas.evaluation import engine
from civitas.indicators import forms as indicator_forms
from civitas.indicators import selectors as indicator_selectors
from civitas.planfiles import selectors as planfile_selectors
from civitas.plans import selectors as plan_selectors
from civitas.plans.models import PUBLIC_PLAN_STATUSES, Plan, PlanElement, PlanKind, PlanVersion

from .base import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    READ_ERRORS,
    ApiError,
    Page,
    page,
    parse_datetime_param,
    set_last_modified,
    strict_query,
)

router = Router()

# The largest primary key the database keeps: a larger id in an address is simply not found.
MAX_ID = 2**63 - 1


# --- Errors and query parameters shared by the planning endpoints --------------------------------


def query_parameters(*params: dict, paged: bool = True) -> dict:
    """The endpoint's query parameters for its OpenAPI description (the endpoints read them from
    the query themselves, so that a bad value is a 400 with a code, as the base conventions ask)."""
    paging = [
        query_parameter("cursor", {"type": "string"}, "The next link's cursor, to read the next page."),
        query_parameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            "How many items a page holds.",
        ),
    ]
    return {"parameters": [*params, *(paging if paged else [])]}


def query_parameter(name: str, schema: dict, description) -> dict:
    return {"in": "query", "name": name, "required": False, "schema": schema, "description": str(description)}


def municipality_parameter() -> dict:
    return query_parameter(
        "municipality", {"type": "string", "minLength": 1}, "A municipality's address name (slug)."
    )


def updated_since_parameter() -> dict:
    return query_parameter(
        "updated_since",
        {"type": "string", "anyOf": [{"format": "date-time"}, {"format": "date"}]},
        "Only what changed at or after this moment (ISO 8601 date or date-time).",
    )


def plan_parameter() -> dict:
    return query_parameter(
        "plan", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "A public plan's id."
    )


def choice_parameter(name: str, values, description) -> dict:
    return query_parameter(name, {"type": "string", "enum": list(values)}, description)


def invalid_parameter(name: str, message: str) -> ApiError:
    """A query parameter whose value is not valid, or names nothing the public may see: 400."""
    return ApiError(400, "invalid_parameter", f"{name}: {message}")


def given(request: HttpRequest, name: str) -> str | None:
    """The query parameter's value; None when it is absent. Present but empty is refused (a
    filter left empty would otherwise return everything as if it had been applied)."""
    value = request.GET.get(name)
    if value == "":
        raise invalid_parameter(name, _("is empty; leave it out to not filter by it."))
    return value


def municipality_param(request: HttpRequest) -> Municipality | None:
    """The municipality named by ``?municipality=`` (its slug); None without one."""
    slug = given(request, "municipality")
    if slug is None:
        return None
    town = Municipality.objects.filter(slug=slug).first()
    if town is None:
        raise invalid_parameter("municipality", _("there is no municipality with this address name."))
    return town


def id_value(raw: str, name: str) -> int:
    """A whole-number id from the query (400 otherwise)."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19 and 1 <= int(raw) <= MAX_ID):
        raise invalid_parameter(name, _("must be a whole number (an id)."))
    return int(raw)


def plan_param(request: HttpRequest) -> Plan | None:
    """The public plan named by ``?plan=`` (its id); None without one."""
    raw = given(request, "plan")
    if raw is None:
        return None
    plan = plan_selectors.public_plans().filter(pk=id_value(raw, "plan")).first()
    if plan is None:
        raise invalid_parameter("plan", _("there is no public plan with this id."))
    return plan


def choice_param(request: HttpRequest, name: str, values) -> str:
    """One of ``values`` from ``?<name>=``; "" without one."""
    value = given(request, name)
    if value is None:
        return ""
    if value not in values:
        raise invalid_parameter(name, _("must be one of: %(values)s.") % {"values": ", ".join(values)})
    return value


def updated_since_param(request: HttpRequest) -> datetime.datetime | None:
    moment = parse_datetime_param(given(request, "updated_since"), "updated_since")
    if moment is not None and not datetime.datetime(2, 1, 1, tzinfo=datetime.UTC) <= moment:
        # Earlier moments cannot be converted to the database's time zone; nothing is older anyway.
        return None
    return moment


def object_id(pk: int) -> int:
    """An id from the address; one the database cannot hold names nothing (404)."""
    if not 1 <= pk <= MAX_ID:
        raise ApiError(404, "not_found", _("Not found."))
    return pk


def absolute(request: HttpRequest, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def cents(amount: Decimal | None) -> int | None:
    """An amount kept with two decimals, in cents (None stays None)."""
    return None if amount is None else int((amount * 100).to_integral_value())


def finite(value: float | None) -> float | None:
    """A number for JSON: None stays None, and so does one that is not finite."""
    return value if value is not None and math.isfinite(value) else None


# --- Plans ----------------------------------------------------------------------------------------


class LevelNameOut(Schema):
    bg: str
    en: str


class PlanOut(Schema):
    id: int
    slug: str
    url: str
    web_url: str
    municipality: str
    municipality_url: str
    kind: str
    status: str
    title_bg: str
    title_en: str
    period_start: int
    period_end: int
    vision_bg: str
    vision_en: str
    description_bg: str
    description_en: str
    level_names: list[LevelNameOut]
    adopted_by_bg: str
    adopted_by_en: str
    currency: str
    is_sample: bool
    updated_at: datetime.datetime
    versions_url: str
    elements_url: str
    financial_lines_url: str
    evaluation_url: str


def _level_names(plan: Plan) -> list[dict]:
    names = plan.level_names if isinstance(plan.level_names, list) else []
    return [
        {"bg": str(n.get("bg") or ""), "en": str(n.get("en") or "")} for n in names if isinstance(n, dict)
    ]


def plan_out(request: HttpRequest, plan: Plan) -> dict:
    town = plan.municipality
    return {
        "id": plan.pk,
        "slug": plan.slug,
        "url": absolute(request, "api:plan", plan.pk),
        "web_url": absolute(request, "portal:plan", town.slug, plan.slug),
        "municipality": town.slug,
        "municipality_url": absolute(request, "api:municipality", town.slug),
        "kind": plan.kind,
        "status": plan.status,
        "title_bg": plan.title_bg,
        "title_en": plan.title_en,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "vision_bg": plan.vision_bg,
        "vision_en": plan.vision_en,
        "description_bg": plan.description_bg,
        "description_en": plan.description_en,
        "level_names": _level_names(plan),
        "adopted_by_bg": plan.adopted_by_bg,
        "adopted_by_en": plan.adopted_by_en,
        "currency": plan.currency,
        "is_sample": plan.is_sample,
        "updated_at": plan.updated_at,
        "versions_url": absolute(request, "api:plan_versions", plan.pk),
        "elements_url": absolute(request, "api:plan_elements", plan.pk),
        "financial_lines_url": absolute(request, "api:plan_financial_lines", plan.pk),
        "evaluation_url": absolute(request, "api:plan_evaluation", plan.pk),
    }


PLAN_FILTERS = ("municipality", "status", "kind", "updated_since")
PUBLIC_STATUSES = [str(s) for s in PUBLIC_PLAN_STATUSES]


@router.get(
    "",
    response={200: Page[PlanOut], **READ_ERRORS},
    url_name="plans",
    openapi_extra=query_parameters(
        municipality_parameter(),
        choice_parameter("status", PUBLIC_STATUSES, "The plan's status."),
        choice_parameter("kind", PlanKind.values, "The kind of plan."),
        updated_since_parameter(),
    ),
)
def plans(request: HttpRequest, response: HttpResponse):
    """The public plans (drafts are not public), filtered by municipality, status, kind and the
    time of their last change."""
    strict_query(request, *PLAN_FILTERS)
    queryset = plan_selectors.public_plans(
        municipality=municipality_param(request),
        status=choice_param(request, "status", PUBLIC_STATUSES),
        kind=choice_param(request, "kind", PlanKind.values),
        updated_since=updated_since_param(request),
    )
    result = page(request, queryset, lambda plan: plan_out(request, plan))
    set_last_modified(response, (item["updated_at"] for item in result["items"]))
    return result


@router.get("/{id}", response={200: PlanOut, **READ_ERRORS}, url_name="plan")
def plan(request: HttpRequest, response: HttpResponse, id: int):
    """One public plan by its id."""
    strict_query(request)
    found = plan_selectors.public_plan_by_pk(object_id(id))
    set_last_modified(response, [found.updated_at])
    return plan_out(request, found)


# --- Versions -------------------------------------------------------------------------------------


class DecisionRefOut(Schema):
    id: int
    number: int
    date: datetime.date
    year: int
    subject_bg: str
    subject_en: str
    web_url: str


class PlanVersionOut(Schema):
    id: int
    number: int
    url: str
    web_url: str
    plan_id: int
    plan_url: str
    kind: str
    effective_on: datetime.date | None
    note_bg: str
    note_en: str
    decision: DecisionRefOut | None
    created_at: datetime.datetime


def version_out(request: HttpRequest, plan: Plan, version: PlanVersion) -> dict:
    town = plan.municipality
    decision = version.decision
    return {
        "id": version.pk,
        "number": version.number,
        "url": absolute(request, "api:plan_version", plan.pk, version.number),
        # The portal's page of the version: its frozen text and goal tree.
        "web_url": absolute(request, "portal:plan_version", town.slug, plan.slug, version.number),
        "plan_id": plan.pk,
        "plan_url": absolute(request, "api:plan", plan.pk),
        "kind": version.kind,
        "effective_on": version.effective_on,
        "note_bg": version.note_bg,
        "note_en": version.note_en,
        "decision": None
        if decision is None
        else {
            "id": decision.pk,
            "number": decision.number,
            "date": decision.date,
            "year": decision.year,
            "subject_bg": decision.subject_bg,
            "subject_en": decision.subject_en,
            "web_url": absolute(request, "council:detail", town.slug, decision.year, decision.number),
        },
        "created_at": version.created_at,
    }


@router.get(
    "/{id}/versions",
    response={200: Page[PlanVersionOut], **READ_ERRORS},
    url_name="plan_versions",
    openapi_extra=query_parameters(),
)
def plan_versions(request: HttpRequest, id: int):
    """The plan's public versions (consultation drafts, adopted and amended ones), each with the
    council decision that adopted it and its page in the portal."""
    strict_query(request)
    found = plan_selectors.public_plan_by_pk(object_id(id))
    versions = planfile_selectors.version_queryset(plan=found, include_drafts=False)
    return page(request, versions, lambda version: version_out(request, found, version))


@router.get("/{id}/versions/{number}", response={200: PlanVersionOut, **READ_ERRORS}, url_name="plan_version")
def plan_version(request: HttpRequest, id: int, number: int):
    """One public version of the plan, by its number."""
    strict_query(request)
    found = plan_selectors.public_plan_by_pk(object_id(id))
    version = (
        planfile_selectors.version_queryset(plan=found, include_drafts=False)
        .filter(number=object_id(number))
        .first()
    )
    if version is None:
        raise ApiError(404, "not_found", _("Not found."))
    return version_out(request, found, version)


# --- The indicative financial table ---------------------------------------------------------------


class FinancialLineOut(Schema):
    """A cell of the plan's indicative financial table: what the plan expects for an element (none:
    the plan as a whole) from a funding source in a year (none: the whole period)."""

    id: int
    element_id: int | None
    source: str
    year: int | None
    amount_cents: int
    currency: str


@router.get(
    "/{id}/financial-lines",
    response={200: Page[FinancialLineOut], **READ_ERRORS},
    url_name="plan_financial_lines",
    openapi_extra=query_parameters(),
)
def plan_financial_lines(request: HttpRequest, id: int):
    """The plan's indicative financial table, line by line, in the currency each amount was entered in."""
    strict_query(request)
    found = plan_selectors.public_plan_by_pk(object_id(id))
    return page(
        request,
        plan_selectors.public_financial_lines(found),
        lambda line: {
            "id": line.pk,
            "element_id": line.element_id,
            "source": line.source,
            "year": line.year,
            "amount_cents": cents(line.amount),
            "currency": line.currency,
        },
    )


# --- Elements -------------------------------------------------------------------------------------


class AssessmentOut(Schema):
    """The authority's published judgement of the element for a year."""

    year: int
    achieved_bg: str
    achieved_en: str
    obstacles_bg: str
    obstacles_en: str


class ElementOut(Schema):
    id: int
    url: str
    web_url: str
    plan_id: int
    plan_url: str
    parent_id: int | None
    code: str
    level: int
    level_name_bg: str
    level_name_en: str
    position: int
    title_bg: str
    title_en: str
    description_bg: str
    description_en: str
    assessments: list[AssessmentOut]


def element_depths(elements: list[PlanElement]) -> dict[int, int]:
    """The depth (0 = top) of every element of the plans of ``elements``: one query."""
    plan_ids = {element.plan_id for element in elements}
    if not plan_ids:
        return {}
    parents = dict(PlanElement.objects.filter(plan_id__in=plan_ids).values_list("pk", "parent_id"))

    def depth(pk: int) -> int:
        steps, seen = 0, set()
        while (parent := parents.get(pk)) is not None and pk not in seen:
            seen.add(pk)
            pk, steps = parent, steps + 1
        return steps

    return {element.pk: depth(element.pk) for element in elements}


def _level_name(plan: Plan, depth: int, language: str) -> str:
    names = _level_names(plan)
    if not names:
        return ""
    return names[min(depth, len(names) - 1)][language]


def element_out(request: HttpRequest, element: PlanElement, depth: int) -> dict:
    plan = element.plan
    return {
        "id": element.pk,
        "url": absolute(request, "api:element", element.pk),
        "web_url": absolute(request, "portal:plan_element", plan.municipality.slug, plan.slug, element.code),
        "plan_id": plan.pk,
        "plan_url": absolute(request, "api:plan", plan.pk),
        "parent_id": element.parent_id,
        "code": element.code,
        "level": depth,
        "level_name_bg": _level_name(plan, depth, "bg"),
        "level_name_en": _level_name(plan, depth, "en"),
        "position": element.position,
        "title_bg": element.title_bg,
        "title_en": element.title_en,
        "description_bg": element.description_bg,
        "description_en": element.description_en,
        "assessments": [
            {
                "year": a.year,
                "achieved_bg": a.achieved_bg,
                "achieved_en": a.achieved_en,
                "obstacles_bg": a.obstacles_bg,
                "obstacles_en": a.obstacles_en,
            }
            for a in element.published_assessments  # type: ignore[attr-defined]  # prefetched (to_attr)
        ],
    }


def element_page(request: HttpRequest, queryset) -> dict:
    result = page(request, queryset)
    depths = element_depths(result["items"])
    result["items"] = [element_out(request, element, depths[element.pk]) for element in result["items"]]
    return result


@router.get(
    "/{id}/elements",
    response={200: Page[ElementOut], **READ_ERRORS},
    url_name="plan_elements",
    openapi_extra=query_parameters(),
)
def plan_elements(request: HttpRequest, id: int):
    """The plan's goal tree: its elements (strategic goals, priorities, measures...) with their
    parents and levels."""
    strict_query(request)
    found = plan_selectors.public_plan_by_pk(object_id(id))
    return element_page(request, plan_selectors.public_elements(plan=found))


elements_router = Router()


@elements_router.get(
    "",
    response={200: Page[ElementOut], **READ_ERRORS},
    url_name="elements",
    openapi_extra=query_parameters(municipality_parameter(), plan_parameter()),
)
def elements(request: HttpRequest):
    """The elements of the public plans, filtered by municipality and plan."""
    strict_query(request, "municipality", "plan")
    queryset = plan_selectors.public_elements(
        municipality=municipality_param(request), plan=plan_param(request)
    )
    return element_page(request, queryset)


@elements_router.get("/{id}", response={200: ElementOut, **READ_ERRORS}, url_name="element")
def element(request: HttpRequest, id: int):
    """One element of a public plan, by its id."""
    strict_query(request)
    found = plan_selectors.public_element_by_pk(object_id(id))
    return element_out(request, found, element_depths([found])[found.pk])


# --- Evaluation -----------------------------------------------------------------------------------


class PeriodOut(Schema):
    year: int
    label: str


class ForecastOut(Schema):
    outcome: str
    target_period: PeriodOut | None
    target_value: float | None
    projected_value: float | None
    slope_per_year: float | None
    points_used: int


class OverrideOut(Schema):
    status: str
    reason: str
    decided: datetime.date | None
    period: PeriodOut


class IndicatorEvaluationOut(Schema):
    indicator_id: int
    code: str
    url: str
    web_url: str
    shared: bool
    status: str
    score: float | None
    ratio: float | None
    actual: float | None
    expected: float | None
    baseline: float | None
    baseline_year: int | None
    period: PeriodOut | None
    last_measured: PeriodOut | None
    stale_after: datetime.date | None
    notes: list[str]
    forecast: ForecastOut | None
    override: OverrideOut | None
    error: str


class NodeEvaluationOut(Schema):
    status: str
    score: float | None
    coverage: float
    indicators_total: int
    indicators_with_data: int
    counts: dict[str, int]
    context_total: int
    context_with_values: int


class ElementEvaluationOut(NodeEvaluationOut):
    element_id: int
    code: str
    url: str
    parent_id: int | None
    level: int
    indicators: list[IndicatorEvaluationOut]


class PlanEvaluationOut(Schema):
    plan_id: int
    url: str
    web_url: str
    as_of: datetime.date
    plan: NodeEvaluationOut
    elements: list[ElementEvaluationOut]


def period_out(period: engine.Period | None) -> dict | None:
    return None if period is None else {"year": period.year, "label": period.label}


def node_out(result: engine.NodeResult | None) -> dict:
    if result is None:
        result = engine.NodeResult(
            key="", score=None, status=engine.Status.NO_DATA, coverage=0.0, indicators_total=0,
            indicators_with_data=0, counts={}, children=(),
        )  # fmt: skip
    return {
        "status": str(result.status),
        "score": finite(result.score),
        "coverage": finite(result.coverage) or 0.0,
        "indicators_total": result.indicators_total,
        "indicators_with_data": result.indicators_with_data,
        "counts": {str(status): count for status, count in result.counts.items()},
        "context_total": result.context_total,
        "context_with_values": result.context_with_values,
    }


def evaluated_out(request: HttpRequest, plan: Plan, item: indicator_selectors.EvaluatedIndicator) -> dict:
    indicator, result = item.indicator, item.result
    common = {
        "indicator_id": indicator.pk,
        "code": indicator.code,
        "url": absolute(request, "api:indicator", indicator.pk),
        "web_url": absolute(request, "portal:indicator", plan.municipality.slug, indicator.code),
        "shared": item.shared,
        "error": str(item.error),
    }
    if result is None:
        return {
            **common, "status": str(engine.Status.NO_DATA), "score": None, "ratio": None, "actual": None,
            "expected": None, "baseline": None, "baseline_year": None, "period": None, "last_measured": None,
            "stale_after": None, "notes": [], "forecast": None, "override": None,
        }  # fmt: skip
    forecast, override = result.forecast, result.override
    return {
        **common,
        "status": str(result.status),
        "score": finite(result.score),
        "ratio": finite(result.ratio),
        "actual": finite(result.actual),
        "expected": finite(result.expected),
        "baseline": finite(result.baseline),
        "baseline_year": result.baseline_year,
        "period": period_out(result.period),
        "last_measured": period_out(result.last_measured),
        "stale_after": result.stale_after,
        "notes": [str(note) for note in result.notes],
        "forecast": {
            "outcome": str(forecast.outcome),
            "target_period": period_out(forecast.target_period),
            "target_value": finite(forecast.target_value),
            "projected_value": finite(forecast.projected_value),
            "slope_per_year": finite(forecast.slope_per_year),
            "points_used": forecast.points_used,
        },
        "override": None
        if override is None
        else {
            "status": str(override.status),
            "reason": override.reason,
            "decided": override.decided,
            "period": period_out(override.period),
        },
    }


def plan_evaluation_out(request: HttpRequest, plan: Plan, tree, evaluation) -> dict:
    """The evaluation as the plan page shows it: the plan's roll-up, then every element in reading
    order with its roll-up and its own (and shared) indicators."""
    elements = []
    for element, depth in plan_selectors.flatten(tree):
        elements.append(
            {
                **node_out(evaluation.elements.get(element.pk)),
                "element_id": element.pk,
                "code": element.code,
                "url": absolute(request, "api:element", element.pk),
                "parent_id": element.parent_id,
                "level": depth,
                "indicators": [
                    evaluated_out(request, plan, item) for item in evaluation.indicators.get(element.pk, [])
                ],
            }
        )
    return {
        "plan_id": plan.pk,
        "url": absolute(request, "api:plan_evaluation", plan.pk),
        "web_url": absolute(request, "portal:plan", plan.municipality.slug, plan.slug),
        "as_of": evaluation.as_of,
        "plan": node_out(evaluation.plan_result),
        "elements": elements,
    }


@router.get(
    "/{id}/evaluation",
    response={200: PlanEvaluationOut, **READ_ERRORS},
    url_name="plan_evaluation",
    openapi_extra=query_parameters(
        query_parameter(
            "as_of",
            {"type": "string", "format": "date"},
            "The date the plan is assessed on (YYYY-MM-DD); default: the plan's own evaluation date.",
        ),
        paged=False,
    ),
)
def plan_evaluation(request: HttpRequest, id: int):
    """The evaluation engine's assessment of the plan as of a date: for the plan and each element its
    status, score and coverage (the share with data), and for each indicator its status, actual and
    expected values and forecast, as the plan's page in the portal shows them."""
    strict_query(request, "as_of")
    found = plan_selectors.public_plan_by_pk(object_id(id))
    raw = given(request, "as_of")
    form, as_of = indicator_forms.chosen_as_of(request.GET)
    if form.errors:
        raise invalid_parameter("as_of", " ".join(str(message) for message in form.errors["as_of"]))
    if raw is not None and (as_of is None or as_of.isoformat() != raw):  # the portal's other spellings
        raise invalid_parameter("as_of", _("must be a date written YYYY-MM-DD."))
    tree, evaluation = indicator_selectors.evaluated_plan(found, as_of=as_of)
    return plan_evaluation_out(request, found, tree, evaluation)
