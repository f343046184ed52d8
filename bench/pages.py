"""Pages and the evaluation engine on a production server: ``python -m bench.pages``.

    .venv/bin/python -m bench.pages [--indicators 300] [--years 7] [--clients 20] [--seconds 5]
                                    [--repeats 3] [--workers 4] [--smoke] [--keep-db]

What it does, on this machine only (loopback):

1. starts the machine's PostgreSQL 15 cluster if it is down and (re)creates the database
   ``civitas_bench_pages``; starts a private Redis (in memory only) as the cache every server
   process shares, as an installation at scale runs (``CACHE_URL``: cached public pages are then
   found without a database query); migrates the database and loads the Sopot demo (``load_demo``);
2. adds to Sopot a plan of ``--indicators`` indicators (default 300) over a goal tree of 4 goals
   × 5 measures, each with a baseline, a milestone and a final target and ``--years`` years
   (default 7, 2014–2020) of published values — numbers, levels, cumulative counts, percentages
   and quarterly series, increasing and decreasing — as the plan dashboard's worst case;
3. times the evaluation of that plan: the engine alone (pure Python, the figures of
   ``python -m civitas.evaluation.bench``) and the whole selector the plan page uses (three
   queries on PostgreSQL plus the engine and the roll-up), best and median of several runs;
4. signs in, through Django's test client, the demo citizen (password) and a demo member of staff
   (password, then the second factor's code step with a recovery code of their own); their
   session cookies are what the load generator sends;
5. counts the queries of each page in each mode: rendered and from the page cache for an
   anonymous visitor (a cache hit must cost no query), rendered for the signed-in citizen and for
   staff, and times one rendering of each alone, in-process;
6. starts gunicorn (``civitas.wsgi``, DEBUG off, production settings) and measures each row — a
   page in one mode — with ``--clients`` concurrent keep-alive clients for ``--seconds`` seconds,
   ``--repeats`` times (rounds over every row, so that a busy moment of the machine weighs on
   every row alike). Modes: *cached* (anonymous: the page from the rendering cache, renewed by
   every change), *citizen* (signed in: every request rendered from the database), *staff*
   (signed in with the second factor passed; the plan dashboard and the back office's pages staff
   use all day) and *API* (anonymous JSON clients, the anonymous rate limit counted but set out
   of reach). ``/healthz``, a Django view that touches no database, is the trivial view: the
   speed of this server for nothing, measured in every round, the baseline of every ratio;
7. writes "## Evaluation engine" and "## Pages" in BENCHMARKS.md (only those sections) with the
   median and the spread (min–max) over the repeats and every figure beside its goal, and exits
   non-zero when a goal is missed. Goals, as ratios to the trivial view so that the verdict does
   not depend on the machine: cached public pages ≥ 0.8 of its requests/s with no query per hit;
   signed-in and staff pages ≥ 0.1; every cached public page and the API list a median under
   50 ms and a 95th percentile under 150 ms; the plan dashboard's first rendering after a change,
   alone, under 50 ms; the plan's evaluation under 0.2 s; no request failed.

``--smoke`` is the small run for continuous integration (a plan of 30 indicators, 1 s per row,
one repeat, nothing written to BENCHMARKS.md unless ``--output`` is given): the speed goals are
reported but do not fail it; a failed request, a cached page that queries the database or a
session that is not signed in does.
"""

import argparse
import datetime
import http.client
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import (
    HOST,
    OUTPUT,
    clean_up,
    measured_line,
    percentile,
    pg_port,
    prepare,
    recreate_database,
    remove_section,
    server_env,
    server_version,
    spread,
    start_redis,
    start_server,
    stop_server,
    verdict,
    with_spread,
    write_section,
)

DB_NAME = "civitas_bench_pages"
# The benchmark's own role: another benchmark running beside it renews its own role's password.
DB_USER = "civitas_bench_pages"
MUNICIPALITY = "sopot"
PLAN_SLUG = "bench-300"
FIRST_YEAR = 2014
GOAL_EVALUATION_S = 0.2
GOAL_MEDIAN_MS, GOAL_P95_MS = 50, 150
GOAL_ALONE_MS = 50  # the plan dashboard's first rendering after a change, alone
GOAL_CACHED_RATIO = 0.8  # cached public pages, of the trivial view's requests/s
GOAL_RENDERED_RATIO = 0.1  # pages rendered for signed-in citizens and for staff
ENGINE_TITLE = "## Evaluation engine"
PAGES_TITLE = "## Pages"
OLD_PAGES_TITLE = "## Public pages"  # the section's name before staff pages were measured
# The API's endpoints timed beside the pages: a list (a page of the default size) and a detail.
# The API's rows: a list and a detail of the busiest kind of object (the project's id is filled in
# once the demo is there).
API_PATHS = {
    "API list": f"/api/v1/projects?municipality={MUNICIPALITY}&limit=100",
    "API detail": "/api/v1/projects/{project_id}",
}
# The demo's accounts the signed-in rows use (civitas/demo: one password for all of them).
CITIZEN = "grazhdanin.sopot@example.org"
STAFF = "sopot-planner"
# The back office's pages staff use all day: their home and the lists they work from.
STAFF_PATHS = {
    "staff home": f"/{MUNICIPALITY}/manage/",
    "staff: projects": f"/{MUNICIPALITY}/manage/projects/",
    "staff: indicators": f"/{MUNICIPALITY}/manage/indicators/",
}
# Modes: what the load generator is, and whether the row is a public page (for the goals).
TRIVIAL, CACHED, CITIZEN_MODE, STAFF_MODE, API_MODE = "trivial", "cached", "citizen", "staff", "API"


# Data -------------------------------------------------------------------------------------------


def create_plan(n_indicators: int, years: int, seed: int = 1):
    """The benchmark plan in Sopot: goals and measures through the plan services, indicators,
    targets and published values written in bulk (the services' checks are not what is timed)."""
    from django.utils import timezone

    from civitas.core import content
    from civitas.core.models import Municipality
    from civitas.core.permissions import OPERATOR
    from civitas.indicators.models import Indicator, Measurement, MeasurementState, Target
    from civitas.plans import services as plan_services

    rng = random.Random(seed)
    municipality = Municipality.objects.get(slug=MUNICIPALITY)
    last_year = FIRST_YEAR + years - 1
    plan = plan_services.plan_create(
        actor=OPERATOR, municipality=municipality, slug=PLAN_SLUG, kind="programme",
        title_bg=f"Програма за бенчмарк ({n_indicators} индикатора)", title_en=f"Benchmark programme ({n_indicators} indicators)",
        period_start=FIRST_YEAR, period_end=last_year, status="implementation",
        level_names=[{"bg": "Цел", "en": "Goal"}, {"bg": "Мярка", "en": "Measure"}],
    )  # fmt: skip
    measures = []
    for g in range(1, 5):
        goal = plan_services.element_create(
            actor=OPERATOR, plan=plan, code=f"Ц{g}", title_bg=f"Цел {g}", title_en=f"Goal {g}"
        )
        for m in range(1, 6):
            measures.append(
                plan_services.element_create(
                    actor=OPERATOR,
                    plan=plan,
                    parent=goal,
                    code=f"{g}.{m}",
                    title_bg=f"Мярка {g}.{m}",
                    title_en=f"Measure {g}.{m}",
                )  # fmt: skip
            )
    kinds: list[dict[str, Any]] = [
        dict(direction="increase", accumulation="per_period", measure="number", frequency="annual"),
        dict(direction="decrease", accumulation="latest", measure="number", frequency="quarterly"),
        dict(direction="increase", accumulation="cumulative", measure="number", frequency="annual"),
        dict(direction="increase", accumulation="per_period", measure="percentage", frequency="semiannual"),
        dict(direction="maintain", accumulation="latest", measure="number", frequency="annual", tolerance=Decimal(10)),
        dict(direction="decrease", accumulation="per_period", measure="number", frequency="annual"),
    ]  # fmt: skip
    indicators = [
        Indicator(
            municipality=municipality,
            element=measures[i % len(measures)],
            code=f"B-{i + 1:03d}",
            name_bg=f"Индикатор {i + 1}",
            name_en=f"Indicator {i + 1}",
            type="result",
            unit_bg="бр.",
            unit_en="no.",
            baseline_value=Decimal(rng.randint(50, 500)),
            baseline_year=FIRST_YEAR - 1,
            position=i,
            is_sample=True,
            **kinds[i % len(kinds)],
        )  # fmt: skip
        for i in range(n_indicators)
    ]
    Indicator.objects.bulk_create(indicators)
    targets, values = [], []
    now = timezone.now()
    for i, indicator in enumerate(indicators):
        kind = kinds[i % len(kinds)]
        base = float(indicator.baseline_value or 0)
        factor = {"increase": 1.5, "decrease": 0.6, "maintain": 1.0}[kind["direction"]]
        if kind["measure"] == "percentage":
            indicator.baseline_value = Decimal(40)
            base, factor = 40.0, 1.5
        middle = FIRST_YEAR + years // 2
        for year, value, final in (
            (middle, base * (1 + (factor - 1) / 2), False),
            (last_year, base * factor, True),
        ):
            targets.append(
                Target(indicator=indicator, year=year, value=Decimal(f"{value:.2f}"), is_final=final)
            )
        subs = {"annual": [0], "quarterly": [1, 2, 3, 4], "semiannual": [1, 2]}[kind["frequency"]]
        for year in range(FIRST_YEAR, last_year + 1):
            if rng.random() < 0.05:
                continue  # a missing year here and there
            progress = (year - FIRST_YEAR + 1) / years
            for sub in subs:
                expected = base + (base * factor - base) * progress
                if kind["accumulation"] == "cumulative":
                    expected = base * factor / years
                measured = Decimal(f"{expected * rng.uniform(0.75, 1.2):.2f}")
                fields: dict[str, Decimal] = dict(value=measured)
                if kind["measure"] == "percentage":
                    denominator = Decimal(rng.randint(200, 400))
                    fields = dict(numerator=(measured * denominator / 100).quantize(Decimal("0.01")),
                                  denominator=denominator, value=measured)  # fmt: skip
                values.append(
                    Measurement(
                        indicator=indicator,
                        year=year,
                        sub=sub,
                        state=MeasurementState.PUBLISHED,
                        collected_on=datetime.date(year + 1, 1, 31),
                        approved_at=now,
                        submitted_at=now,
                        **fields,
                    )  # fmt: skip
                )
    Indicator.objects.bulk_update([i for i in indicators if i.measure == "percentage"], ["baseline_value"])
    Target.objects.bulk_create(targets)
    Measurement.objects.bulk_create(values, batch_size=1000)
    content.changed(municipality, content.Content.PLANNING)
    return plan, len(values)


# Evaluation timing --------------------------------------------------------------------------------


def time_evaluation(plan, runs: int = 7) -> dict:
    from civitas.evaluation import bench as engine_bench
    from civitas.indicators import selectors as indicator_selectors
    from civitas.plans import selectors as plan_selectors

    def timed(fn) -> list[float]:
        out = []
        for _ in range(runs):
            started = time.perf_counter()
            fn()
            out.append(time.perf_counter() - started)
        return out

    synthetic = engine_bench.build_plan(300, 7)
    as_of = datetime.date(engine_bench.FIRST_YEAR + 7, 3, 1)
    engine_runs = timed(lambda: engine_bench.evaluate_plan(synthetic, as_of))
    selector_runs = timed(lambda: indicator_selectors.plan_evaluation(plan, plan_selectors.plan_tree(plan)))
    evaluation = indicator_selectors.plan_evaluation(plan, plan_selectors.plan_tree(plan))
    return {
        "engine": engine_runs, "selector": selector_runs, "result": evaluation.plan_result,
    }  # fmt: skip


# Query counts -----------------------------------------------------------------------------------


def query_counts(paths: dict[str, str]) -> dict[str, tuple[int, int, float]]:
    """Queries of each page rendered (cache cleared) and then from the page cache, and the time
    of one rendering in this process (no concurrency)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from civitas.core.cache import ProcessCache

    client = Client(HTTP_HOST=HOST)
    counts = {}
    for name, path in paths.items():
        out, renders = [], []
        for clear in (True, True, True, False):
            if clear:
                cache.clear()
                ProcessCache.clear_all()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if clear:
                renders.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
            out.append(len(captured))
        counts[name] = (out[0], out[-1], min(renders))
    return counts


# Signed-in visitors -------------------------------------------------------------------------------


def signed_in_cookie(username: str, password: str, *, second_factor: bool = False) -> str:
    """A real session of ``username``, signed in with the password through Django's test client
    and, for staff, through the second factor's code step with a recovery code made for the
    benchmark; returns the ``sessionid`` cookie the load generator sends."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from civitas.core import second_factor as factor

    client = Client(HTTP_HOST=HOST)
    if not client.login(username=username, password=password):
        raise SystemExit(f"{username} could not sign in with the demo password")
    if second_factor:
        user = get_user_model().objects.get(username=username)
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="benchmark recovery codes", defaults={"confirmed": True}
        )
        token = StaticToken.random_token()
        device.token_set.create(token=token)
        response = client.post(reverse("accounts:second_factor"), {"code": token})
        if response.status_code != 302 or client.session.get(factor.SESSION_KEY) != user.pk:
            raise SystemExit(f"{username}: the second factor's code step refused the recovery code")
    return client.cookies["sessionid"].value


def signed_in_counts(paths: dict[str, str], session: str) -> dict[str, tuple[int, float]]:
    """Queries of each page rendered for the signed-in session ``session`` in a warm process (the
    page cache does not serve signed-in visitors) and the time of one rendering alone (the best
    of three); a page that does not answer 200 to a signed-in person stops the benchmark."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    client.cookies["sessionid"] = session
    counts = {}
    for name, path in paths.items():
        queries, times = [], []
        for _ in range(3):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{path}, signed in: {response.status_code}")
            if not response.wsgi_request.user.is_authenticated:
                raise SystemExit(f"{path}: the session cookie did not sign the visitor in")
            queries.append(len(captured))
        counts[name] = (queries[-1], min(times))
    return counts


# Load -------------------------------------------------------------------------------------------


def _client_loop(
    port: int, path: str, cookie: str | None, stop_at: float, start_at: float, out: list
) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Host": f"{HOST}:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    errors = 0
    while time.monotonic() < start_at:
        time.sleep(0.001)
    try:
        errors = _requests(conn, path, headers, stop_at, out)
    except Exception:  # noqa: BLE001 - counted as an error, the run goes on
        errors += 1
    out.append(-float(errors) - 1)  # the sentinel: errors + 1, negative


def _requests(conn, path: str, headers: dict, stop_at: float, out: list) -> int:
    """Requests until ``stop_at``, their latencies in ``out``; returns the number of failures."""
    errors = 0
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (ConnectionError, http.client.HTTPException, TimeoutError):
            conn.close()
            errors += 1
            continue
        if status != 200:
            errors += 1
            continue
        out.append(time.perf_counter() - started)
    return errors


def _process(args) -> tuple[list[float], int]:
    port, path, cookie, threads, stop_at, start_at = args
    results: list[list[float]] = [[] for _ in range(threads)]
    workers = [
        threading.Thread(target=_client_loop, args=(port, path, cookie, stop_at, start_at, results[i]))
        for i in range(threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    latencies, errors = [], 0
    for r in results:
        errors += int(-r.pop() - 1)
        latencies += r
    return latencies, errors


def load(port: int, path: str, *, clients: int, seconds: float, cookie: str | None, pool) -> dict:
    """``clients`` concurrent keep-alive clients, spread over the pool's processes."""
    processes = pool._processes
    shares = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    start_at = time.monotonic() + 0.5
    stop_at = start_at + seconds
    parts = pool.map(_process, [(port, path, cookie, n, stop_at, start_at) for n in shares if n])
    latencies = sorted(x for part, _ in parts for x in part)
    errors = sum(e for _, e in parts)
    return {
        "requests": len(latencies), "errors": errors, "per_second": len(latencies) / seconds,
        "median_ms": percentile(latencies, 0.5) * 1000, "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }  # fmt: skip


# Report -----------------------------------------------------------------------------------------


def engine_section(command: str, timing: dict, n: int, years: int, pg: str) -> tuple[str, bool]:
    engine_best = min(timing["engine"])
    selector_best, selector_median = min(timing["selector"]), statistics.median(timing["selector"])
    ok = selector_median < GOAL_EVALUATION_S
    result = timing["result"]
    return "\n".join([
        ENGINE_TITLE, "",
        measured_line(command, f"; PostgreSQL {pg}"), "",
        "| measure | best | median | goal |", "|---|---|---|---|",
        f"| engine alone: 300 synthetic indicators × 7 years, evaluated and rolled up (pure Python) | "
        f"{engine_best * 1000:.1f} ms | {statistics.median(timing['engine']) * 1000:.1f} ms | |",
        f"| **plan of {n} indicators × {years} years from PostgreSQL**: the plan page's selector "
        f"(3 queries, evaluation, roll-up over 4 goals × 5 measures) | {selector_best * 1000:.1f} ms | "
        f"**{selector_median * 1000:.1f} ms** | < {GOAL_EVALUATION_S * 1000:.0f} ms "
        f"({verdict(ok)}) |",
        "",
        f"The plan's result: {result.indicators_total} indicators, {result.indicators_with_data} with data "
        f"(coverage {result.coverage:.0%}), score {result.score:.3f}; "
        + ", ".join(f"{status.value} {n}" for status, n in result.counts.items()) + ".", "",
    ]), ok  # fmt: skip


def summarise(runs: list[dict], trivial_per_second: float | None) -> dict:
    """One row's figures over its repeated runs: the median and the range of requests/s and of the
    median latency, the median of the 95th and 99th percentiles, every failed request, and the
    ratio of the median requests/s to the trivial view's median."""
    per_second = [r["per_second"] for r in runs]
    return {
        "per_second": per_second,
        "median_ms": [r["median_ms"] for r in runs],
        "p95_ms": statistics.median(r["p95_ms"] for r in runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "ratio": spread(per_second)["median"] / trivial_per_second if trivial_per_second else None,
    }


def row_goals(
    name: str, mode: str, figures: dict, cached_queries: int | None
) -> list[tuple[str, bool, bool]]:
    """The goals of one row, each as (what, met, a speed goal). Speed goals are ratios and
    latencies, which the smoke run reports without failing; the others — no failed request, no
    query for a cached page — are proofs that fail every run."""
    goals: list[tuple[str, bool, bool]] = [("no failed request", figures["errors"] == 0, False)]
    ratio = figures["ratio"]
    median_ms = spread(figures["median_ms"])["median"]
    latency = (
        f"median < {GOAL_MEDIAN_MS} ms, p95 < {GOAL_P95_MS} ms",
        median_ms < GOAL_MEDIAN_MS and figures["p95_ms"] < GOAL_P95_MS,
        True,
    )
    if mode == CACHED:
        goals.append(("0 queries per hit", cached_queries == 0, False))
        goals.append(
            (
                f"≥ {GOAL_CACHED_RATIO:g} of the trivial view",
                ratio is not None and ratio >= GOAL_CACHED_RATIO,
                True,
            )
        )
        goals.append(latency)
    elif mode in (CITIZEN_MODE, STAFF_MODE):
        goals.append(
            (
                f"≥ {GOAL_RENDERED_RATIO:g} of the trivial view",
                ratio is not None and ratio >= GOAL_RENDERED_RATIO,
                True,
            )
        )
    elif mode == API_MODE and name == "API list":
        goals.append(latency)
    return goals


def _goal_cell(goals: list[tuple[str, bool, bool]]) -> str:
    shown = [f"{what}: {verdict(ok)}" for what, ok, _speed in goals if what != "no failed request" or not ok]
    return "; ".join(shown)


def pages_section(
    command: str,
    args,
    pg: str,
    rows: list[tuple[str, str, str]],
    runs: dict,
    cached_counts: dict,
    signed_counts: dict,
) -> tuple[str, bool, bool]:
    """The "## Pages" section; returns it, whether every speed goal was met and whether every
    proof held (no failed request, no query for a cached page)."""
    trivial = spread([r["per_second"] for r in runs[("trivial view", TRIVIAL)]])["median"]
    repeats = len(runs[("trivial view", TRIVIAL)])
    lines = [
        PAGES_TITLE, "",
        measured_line(command, f"; PostgreSQL {pg}, Redis as the cache every server process shares "
                      f"(CACHE_URL), gunicorn with {args.workers} sync workers, the production settings (DEBUG "
                      f"off), {args.clients} concurrent keep-alive clients for {args.seconds:g} s per row, each row "
                      f"measured {repeats} time(s) in rounds over every row; server, database, Redis and load "
                      "generator on the same machine"), "",
        "Modes: *cached* — an anonymous visitor, the page from the rendering cache in Redis (keyed by content "
        "tokens every change renews, so a change is visible on the next request); *citizen* — the demo citizen "
        "signed in, every request rendered from the database; *staff* — a demo member of staff "
        f"(`{STAFF}`) signed in with the second factor passed; *API* — anonymous JSON clients. The trivial view "
        "(`/healthz`, no database) is the baseline of every ratio, measured in every round. Figures over the "
        "repeats: median (min–max) of requests/s and of the median latency, the median of the 95th and 99th "
        "percentiles. Queries: rendered / from the cache for an anonymous visitor, rendered for a signed-in "
        "one. \"One rendering, alone\": in-process without concurrency — for cached rows the first request "
        "after a change with every cache empty, for signed-in rows the best of three in a warm process.", "",
        "| page | mode | queries | one rendering, alone | requests/s | of the trivial view | median | p95 | p99 "
        "| errors | goals |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    speed_ok = proof_ok = True
    missed = []
    for name, path, mode in rows:
        figures = summarise(runs[(name, mode)], None if mode == TRIVIAL else trivial)
        queries, alone, cached_queries = "", "", None
        if mode in (TRIVIAL, CACHED, API_MODE):
            rendered, cached_queries, seconds = cached_counts[name]
            queries = f"{rendered} / {cached_queries}" if mode == CACHED else str(rendered)
            alone = f"{seconds * 1000:.0f} ms"
        elif mode in (CITIZEN_MODE, STAFF_MODE):
            count, seconds = signed_counts[(name, mode)]
            queries, alone = str(count), f"{seconds * 1000:.0f} ms"
        goals = row_goals(name, mode, figures, cached_queries)
        for what, ok, speed in goals:
            if not ok:
                missed.append(f"{name} ({mode}): {what}")
                if speed:
                    speed_ok = False
                else:
                    proof_ok = False
        ratio = "" if figures["ratio"] is None else f"{figures['ratio']:.2f}"
        lines.append(
            f"| {name} (`{path}`) | {mode} | {queries} | {alone} | {with_spread(figures['per_second'])} | {ratio} | "
            f"{with_spread(figures['median_ms'], '{:.1f}', ' ms')} | {figures['p95_ms']:.1f} ms | "
            f"{figures['p99_ms']:.1f} ms | {figures['errors']} | {_goal_cell(goals)} |"
        )
    alone_ms = cached_counts["plan dashboard"][2] * 1000
    alone_ok = alone_ms < GOAL_ALONE_MS
    if not alone_ok:
        speed_ok = False
        missed.append(f"plan dashboard: one rendering alone < {GOAL_ALONE_MS} ms")
    dash = summarise(runs[("plan dashboard", CACHED)], trivial)
    staff = summarise(runs[("plan dashboard", STAFF_MODE)], trivial)
    lines += [
        "",
        f"Plan dashboard ({args.indicators} indicators): the first rendering after a change, every cache empty, "
        f"alone: **{alone_ms:.0f} ms** (goal < {GOAL_ALONE_MS} ms: {verdict(alone_ok)}); with {args.clients} "
        f"concurrent clients, cached: median **{spread(dash['median_ms'])['median']:.1f} ms**, p95 "
        f"**{dash['p95_ms']:.1f} ms** (goal < {GOAL_MEDIAN_MS} ms and < {GOAL_P95_MS} ms); staff, every request "
        f"rendered: median {spread(staff['median_ms'])['median']:.0f} ms, p95 {staff['p95_ms']:.0f} ms, "
        f"{staff['ratio']:.2f} of the trivial view.",
        "",
        f"The trivial view: {with_spread([r['per_second'] for r in runs[('trivial view', TRIVIAL)]])} requests/s "
        "(median, min–max over the rounds).",
        "",
    ]
    if missed:
        lines += [
            "Goals missed: " + "; ".join(missed) + ". The load generator, gunicorn's workers, PostgreSQL and "
            "Redis share this machine's CPUs: a rendered page costs its CPU time in Python (templates, the "
            "evaluation) and in PostgreSQL, which is what limits a ratio to the trivial view.",
            "",
        ]
    else:
        lines += ["Every goal met.", ""]
    return "\n".join(lines), speed_ok, proof_ok


# Main -------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5, help="per row and repeat")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each row, in rounds over every row")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--load-processes", type=int, default=2, help="processes of the load generator")
    parser.add_argument("--output", default=None, help=f"default {OUTPUT.name}; none with --smoke")
    parser.add_argument("--smoke", action="store_true", help="the small run for continuous integration")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.seconds <= 0:
        parser.error("--repeats must be at least 1 and --seconds more than 0")
    if args.smoke:
        args.indicators, args.seconds, args.repeats = 30, 1.0, 1
    output = Path(args.output) if args.output else (None if args.smoke else OUTPUT)
    command = ("python -m bench.pages " + " ".join(argv if argv is not None else sys.argv[1:])).strip()

    port = pg_port()
    database_url = recreate_database(port, DB_NAME, DB_USER)
    var_dir = Path(tempfile.mkdtemp(prefix="civitas-bench-pages-"))
    server = redis = None
    try:
        redis, cache_url = start_redis(var_dir)
        env = server_env(database_url, var_dir, cache_url)
        env["CIVITAS_API_ANONYMOUS_PER_MINUTE"] = str(10**9)  # counted on every request, never reached
        os.environ.update({k: v for k, v in env.items() if k != "LOG_LEVEL"})
        prepare(
            env, ["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["load_demo"]
        )
        import django

        django.setup()
        from django.db import connection

        from civitas.demo.sopot import DEMO_PASSWORD
        from civitas.indicators.models import Indicator
        from civitas.projects.models import Project

        plan, n_values = create_plan(args.indicators, args.years)
        print(f"benchmark plan: {args.indicators} indicators, {n_values} published values", flush=True)
        pg = server_version()
        timing = time_evaluation(plan)
        print(f"evaluation: selector best {min(timing['selector']) * 1000:.1f} ms", flush=True)

        project = Project.objects.filter(municipality__slug=MUNICIPALITY).order_by("pk").first()
        indicator = (
            Indicator.objects.filter(municipality__slug=MUNICIPALITY, measurements__isnull=False)
            .exclude(code__startswith="B-")
            .order_by("pk")
            .first()
        )
        other_plan = (
            plan.__class__.objects.filter(municipality=plan.municipality)
            .exclude(pk=plan.pk)
            .order_by("position", "pk")
            .first()
        )
        if project is None or indicator is None or other_plan is None:
            raise SystemExit("The Sopot demo is missing: run `manage.py load_demo` first.")
        public = {
            "home": f"/{MUNICIPALITY}/",
            "plan dashboard": f"/{MUNICIPALITY}/plans/{PLAN_SLUG}/",
            "Sopot development plan": f"/{MUNICIPALITY}/plans/{other_plan.slug}/",
            "project": f"/{MUNICIPALITY}/projects/{project.slug}/",
            "projects list": f"/{MUNICIPALITY}/projects/",
            "indicator": f"/{MUNICIPALITY}/indicators/{indicator.code}/",
            "indicator (English)": f"/en/{MUNICIPALITY}/indicators/{indicator.code}/",
        }
        api = {name: path.format(project_id=project.pk) for name, path in API_PATHS.items()}

        def quoted(paths: dict[str, str]) -> dict[str, str]:
            return {name: urllib.parse.quote(path, safe="/?&=") for name, path in paths.items()}

        public, api, staff_pages = quoted(public), quoted(api), quoted(STAFF_PATHS)
        rows: list[tuple[str, str, str]] = [("trivial view", "/healthz", TRIVIAL)]
        for name, path in public.items():
            rows += [(name, path, CACHED), (name, path, CITIZEN_MODE)]
            if name == "plan dashboard":
                rows.append((name, path, STAFF_MODE))
        rows += [(name, path, STAFF_MODE) for name, path in staff_pages.items()]
        rows += [(name, path, API_MODE) for name, path in api.items()]

        sessions = {
            CITIZEN_MODE: signed_in_cookie(CITIZEN, DEMO_PASSWORD),
            STAFF_MODE: signed_in_cookie(STAFF, DEMO_PASSWORD, second_factor=True),
        }
        cached_counts = query_counts({"trivial view": "/healthz"} | public | api)
        signed_counts: dict[tuple[str, str], tuple[int, float]] = {}
        for mode, session in sessions.items():
            paths = {name: path for name, path, m in rows if m == mode}
            signed_counts |= {(name, mode): c for name, c in signed_in_counts(paths, session).items()}
        for (name, mode), (queries, seconds) in signed_counts.items():
            print(f"{name:28} {mode:9} {queries:3} queries, {seconds * 1000:6.1f} ms alone", flush=True)
        connection.close()

        server, http_port = start_server(env, args.workers)
        cookies = {mode: f"sessionid={session}" for mode, session in sessions.items()}
        runs: dict[tuple[str, str], list[dict]] = {(name, mode): [] for name, _path, mode in rows}
        with multiprocessing.get_context("fork").Pool(args.load_processes) as pool:
            if not args.smoke:  # warm every worker: imports, templates, connections
                for _name, path, mode in rows:
                    load(
                        http_port,
                        path,
                        clients=args.workers * 2,
                        seconds=1,
                        cookie=cookies.get(mode),
                        pool=pool,
                    )
            for round_ in range(1, args.repeats + 1):
                for name, path, mode in rows:
                    r = load(
                        http_port, path, clients=args.clients, seconds=args.seconds, cookie=cookies.get(mode),
                        pool=pool,
                    )  # fmt: skip
                    runs[(name, mode)].append(r)
                    print(f"{round_} {name:28} {mode:8} {r['per_second']:7.0f}/s median {r['median_ms']:6.1f} ms "
                          f"p95 {r['p95_ms']:6.1f} ms errors {r['errors']}", flush=True)  # fmt: skip

        engine, engine_ok = engine_section(command, timing, args.indicators, args.years, pg)
        pages, speed_ok, proof_ok = pages_section(command, args, pg, rows, runs, cached_counts, signed_counts)
        print(engine)
        print(pages)
        if output is not None:
            write_section(output, ENGINE_TITLE, engine)
            remove_section(output, OLD_PAGES_TITLE)
            write_section(output, PAGES_TITLE, pages)
        if not proof_ok:
            return 1
        return 0 if args.smoke or (engine_ok and speed_ok) else 1
    finally:
        try:
            clean_up(server, port, None if args.keep_db else DB_NAME, var_dir)
        finally:
            stop_server(redis)


if __name__ == "__main__":
    sys.exit(main())
