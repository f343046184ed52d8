"""Time the evaluation engine on a synthetic plan: ``python -m civitas.evaluation.bench``.

Builds a plan of N indicators (default 300) with Y years (default 7) of approved measurements,
mixing directions, accumulations, measures and frequencies, spread over a goal tree of 4 goals ×
5 measures, then times evaluating every indicator and rolling the tree up. Prints the best and
median of several runs. Used by ``make bench``; not a test. Pure Python, no Django.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date

from civitas.evaluation.engine import (
    Accumulation,
    Baseline,
    Direction,
    Frequency,
    IndicatorSpec,
    Measure,
    Measurement,
    Node,
    Period,
    evaluate_indicator,
    evaluate_tree,
)

FIRST_YEAR = 2014


def build_plan(
    n_indicators: int = 300, years: int = 7, seed: int = 1
) -> list[tuple[IndicatorSpec, list[Measurement]]]:
    rng = random.Random(seed)
    last_year = FIRST_YEAR + years - 1
    plan = []
    for i in range(n_indicators):
        kind = i % 6
        base = rng.uniform(50, 500)
        if kind == 0:  # increasing number per year
            spec = IndicatorSpec(
                f"I{i}",
                Direction.INCREASE,
                baseline=Baseline(base, FIRST_YEAR - 1),
                targets={Period(FIRST_YEAR + years // 2): base * 1.2, Period(last_year): base * 1.5},
            )
            ms = [
                Measurement(Period(y), base * rng.uniform(0.9, 1.6)) for y in range(FIRST_YEAR, last_year + 1)
            ]
        elif kind == 1:  # decreasing level, quarterly values
            spec = IndicatorSpec(
                f"I{i}",
                Direction.DECREASE,
                accumulation=Accumulation.LATEST,
                frequency=Frequency.QUARTERLY,
                baseline=Baseline(base, FIRST_YEAR - 1),
                targets={Period(last_year): base * 0.6},
            )
            ms = [
                Measurement(Period.quarter(y, q), base * rng.uniform(0.5, 1.1))
                for y in range(FIRST_YEAR, last_year + 1)
                for q in range(1, 5)
            ]
        elif kind == 2:  # cumulative count
            spec = IndicatorSpec(
                f"I{i}",
                Direction.INCREASE,
                accumulation=Accumulation.CUMULATIVE,
                baseline=Baseline(0, FIRST_YEAR - 1),
                targets={Period(last_year): base},
            )
            ms = [
                Measurement(Period(y), base / years * rng.uniform(0.5, 1.3))
                for y in range(FIRST_YEAR, last_year + 1)
            ]
        elif kind == 3:  # percentage, semi-annual counts
            spec = IndicatorSpec(
                f"I{i}",
                Direction.INCREASE,
                measure=Measure.PERCENTAGE,
                frequency=Frequency.SEMIANNUAL,
                baseline=Baseline(40, FIRST_YEAR - 1),
                targets={Period(last_year): 70},
            )
            ms = [
                Measurement(Period.half(y, h), numerator=rng.randint(30, 80), denominator=100)
                for y in range(FIRST_YEAR, last_year + 1)
                for h in (1, 2)
            ]
        elif kind == 4:  # maintain a level within a band
            spec = IndicatorSpec(
                f"I{i}",
                Direction.MAINTAIN,
                accumulation=Accumulation.LATEST,
                baseline=Baseline(12, FIRST_YEAR - 1),
                targets={Period(last_year): 12},
                tolerance=0.5,
            )
            ms = [Measurement(Period(y), rng.uniform(10.5, 13.5)) for y in range(FIRST_YEAR, last_year + 1)]
        else:  # qualitative score 1..5, with gaps
            spec = IndicatorSpec(
                f"I{i}",
                Direction.INCREASE,
                accumulation=Accumulation.LATEST,
                measure=Measure.SCORE,
                scale_min=1,
                scale_max=5,
                baseline=Baseline(2, FIRST_YEAR - 1),
                targets={Period(last_year): 4},
            )
            ms = [
                Measurement(Period(y), rng.randint(1, 5))
                for y in range(FIRST_YEAR, last_year + 1)
                if rng.random() < 0.7
            ]
        rng.shuffle(ms)
        plan.append((spec, ms))
    return plan


def evaluate_plan(plan, as_of: date, goals: int = 4, measures_per_goal: int = 5):
    results = [evaluate_indicator(spec, ms, as_of=as_of) for spec, ms in plan]
    n_measures = goals * measures_per_goal
    buckets: list[list] = [[] for _ in range(n_measures)]
    for i, result in enumerate(results):
        buckets[i % n_measures].append(result)
    root = Node(
        "plan",
        children=tuple(
            Node(
                f"G{g}",
                children=tuple(
                    Node(f"G{g}.M{m}", indicators=tuple(buckets[g * measures_per_goal + m]))
                    for m in range(measures_per_goal)
                ),
            )
            for g in range(goals)
        ),
    )
    return results, evaluate_tree(root)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    plan = build_plan(args.indicators, args.years)
    n_measurements = sum(len(ms) for _spec, ms in plan)
    as_of = date(FIRST_YEAR + args.years, 3, 1)
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        _results, tree = evaluate_plan(plan, as_of)
        timings.append(time.perf_counter() - start)
    root = tree["plan"]
    print(
        f"evaluate plan: {args.indicators} indicators, {args.years} years, {n_measurements} measurements: "
        f"best {min(timings) * 1000:.1f} ms, median {statistics.median(timings) * 1000:.1f} ms "
        f"over {args.runs} runs (goal < 200 ms); "
        f"plan score {root.score:.3f}, coverage {root.coverage:.2f}"
    )


if __name__ == "__main__":
    main()
