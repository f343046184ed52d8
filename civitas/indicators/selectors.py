"""Every read of indicators a page, report or export needs, in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404

from civitas.evaluation import engine
from civitas.plans.models import PUBLIC_PLAN_STATUSES, Plan
from civitas.plans.selectors import ElementNode

from .evaluation import evaluate, evaluation_date, thresholds_for
from .models import COUNTED_STATES, Indicator, IndicatorChange, Measurement, Target


@dataclass
class EvaluatedIndicator:
    indicator: Indicator
    result: engine.IndicatorResult | None
    error: str = ""  # a passport the engine cannot evaluate (shown, never hidden)


@dataclass
class PlanEvaluation:
    as_of: datetime.date
    plan_result: engine.NodeResult
    elements: dict[int, engine.NodeResult]  # by element id
    indicators: dict[int, list[EvaluatedIndicator]] = field(default_factory=dict)  # by element id


def _evaluate_all(indicators, targets, measurements, *, as_of, thresholds, years) -> list[EvaluatedIndicator]:
    targets_by = defaultdict(list)
    for target in targets:
        targets_by[target.indicator_id].append(target)
    measurements_by = defaultdict(list)
    for m in measurements:
        measurements_by[m.indicator_id].append(m)
    evaluated = []
    for indicator in indicators:
        try:
            result = evaluate(
                indicator, targets_by[indicator.pk], measurements_by[indicator.pk],
                as_of=as_of, thresholds=thresholds, years=years,
            )  # fmt: skip
            evaluated.append(EvaluatedIndicator(indicator, result))
        except ValueError as exc:
            evaluated.append(EvaluatedIndicator(indicator, None, str(exc)))
    return evaluated


def plan_evaluation(
    plan: Plan, tree: list[ElementNode], *, today: datetime.date | None = None
) -> PlanEvaluation:
    """Evaluate every indicator of the plan and roll the scores up its goal tree: three queries.

    Each node of ``tree`` also gets its ``result`` and its own ``indicators``, for the plan page.
    """
    as_of = evaluation_date(plan.period_end, today)
    thresholds = thresholds_for(plan.municipality)
    indicators = list(Indicator.objects.filter(element__plan=plan).order_by("position", "code", "pk"))
    targets = Target.objects.filter(indicator__element__plan=plan)
    measurements = Measurement.objects.filter(indicator__element__plan=plan, state__in=COUNTED_STATES)
    evaluated = _evaluate_all(
        indicators, targets, measurements, as_of=as_of, thresholds=thresholds,
        years=(plan.period_start, plan.period_end),
    )  # fmt: skip
    by_element = defaultdict(list)
    for item in evaluated:
        by_element[item.indicator.element_id].append(item)

    def node(n: ElementNode) -> engine.Node:
        return engine.Node(
            key=str(n.element.pk),
            children=tuple(node(child) for child in n.children),
            indicators=tuple(i.result for i in by_element[n.element.pk] if i.result is not None),
        )

    root = engine.Node(key="plan", children=tuple(node(n) for n in tree))
    results = engine.evaluate_tree(root, thresholds)
    plan_result = results.pop("plan")

    def attach(nodes: list[ElementNode]) -> None:
        for n in nodes:
            n.result = results.get(str(n.element.pk))
            n.indicators = by_element.get(n.element.pk, [])
            attach(n.children)

    attach(tree)
    return PlanEvaluation(
        as_of=as_of,
        plan_result=plan_result,
        elements={int(key): value for key, value in results.items()},
        indicators=dict(by_element),
    )


def indicator_get(*, municipality, code: str, include_unpublished: bool = False) -> Indicator:
    """One indicator of a public plan (or of a project) with its element, plan and project."""
    qs = Indicator.objects.filter(municipality=municipality, code=code).select_related(
        "element__plan", "project", "owner"
    )
    indicator = qs.first()
    if indicator is None:
        raise Http404("No such indicator")
    if (
        indicator.element_id
        and indicator.element.plan.status not in PUBLIC_PLAN_STATUSES
        and not include_unpublished
    ):
        raise Http404("No such indicator")
    return indicator


@dataclass
class IndicatorDetail:
    indicator: Indicator
    evaluated: EvaluatedIndicator
    targets: list[Target]
    measurements: list[Measurement]  # the published ones, for the public table
    history: list[IndicatorChange]
    years: tuple[int, int] | None


def indicator_detail(
    indicator: Indicator, *, public: bool = True, today: datetime.date | None = None
) -> IndicatorDetail:
    """Everything the indicator page shows: three queries besides the indicator itself."""
    from .services import indicator_period

    years = indicator_period(indicator)
    as_of = evaluation_date(years[1] if years else None, today)
    targets = list(indicator.targets.all())
    measurements = list(indicator.measurements.filter(state__in=COUNTED_STATES))
    history = indicator.changes.all()
    if public:
        history = history.filter(is_public=True)
    evaluated = _evaluate_all(
        [indicator], targets, measurements, as_of=as_of, thresholds=thresholds_for(indicator.municipality),
        years=years,
    )[0]  # fmt: skip
    return IndicatorDetail(
        indicator=indicator, evaluated=evaluated, targets=targets, measurements=measurements,
        history=list(history.select_related("changed_by")), years=years,
    )  # fmt: skip


def project_indicators(project, *, today: datetime.date | None = None) -> list[EvaluatedIndicator]:
    """A project's own indicators, evaluated: three queries."""
    from .services import indicator_period

    indicators = list(Indicator.objects.filter(project=project).order_by("position", "code", "pk"))
    if not indicators:
        return []
    for indicator in indicators:
        indicator.project = project  # already loaded: no query per indicator
    years = indicator_period(indicators[0])
    return _evaluate_all(
        indicators,
        Target.objects.filter(indicator__project=project),
        Measurement.objects.filter(indicator__project=project, state__in=COUNTED_STATES),
        as_of=evaluation_date(years[1] if years else None, today),
        thresholds=thresholds_for(project.municipality),
        years=years,
    )


def indicators_evaluation(indicators, *, today: datetime.date | None = None) -> list[EvaluatedIndicator]:
    """Evaluate any set of indicators (of one municipality), each over its own plan's or
    project's years: two queries besides the indicators themselves."""
    from .services import indicator_period

    indicators = list(indicators)
    if not indicators:
        return []
    ids = [indicator.pk for indicator in indicators]
    targets = defaultdict(list)
    for target in Target.objects.filter(indicator_id__in=ids):
        targets[target.indicator_id].append(target)
    measurements = defaultdict(list)
    for m in Measurement.objects.filter(indicator_id__in=ids, state__in=COUNTED_STATES):
        measurements[m.indicator_id].append(m)
    thresholds = thresholds_for(indicators[0].municipality)
    evaluated = []
    for indicator in indicators:
        years = indicator_period(indicator)
        evaluated.extend(
            _evaluate_all(
                [indicator],
                targets[indicator.pk],
                measurements[indicator.pk],
                as_of=evaluation_date(years[1] if years else None, today),
                thresholds=thresholds,
                years=years,
            )  # fmt: skip
        )
    return evaluated
