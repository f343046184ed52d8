"""Public pages and the evaluation engine on a production server: ``python -m bench.pages``.

    .venv/bin/python -m bench.pages [--indicators 300] [--years 7] [--clients 20] [--seconds 10]
                                    [--workers 4] [--keep-db]

What it does, on this machine only (loopback):

1. starts the machine's PostgreSQL 15 cluster if it is down and (re)creates the database
   ``civitas_bench_pages``; migrates it and loads the Sopot demo (``load_demo``);
2. adds to Sopot a plan of ``--indicators`` indicators (default 300) over a goal tree of 4 goals
   × 5 measures, each with a baseline, a milestone and a final target and ``--years`` years
   (default 7, 2014–2020) of published values — numbers, levels, cumulative counts, percentages
   and quarterly series, increasing and decreasing — as the plan dashboard's worst case;
3. times the evaluation of that plan: the engine alone (pure Python, the figures of
   ``python -m civitas.evaluation.bench``) and the whole selector the plan page uses (three
   queries on PostgreSQL plus the engine and the roll-up), best and median of several runs;
4. counts the queries of each public page, rendered and from the page cache;
5. starts gunicorn (``civitas.wsgi``, DEBUG off, production settings) and, for each page, runs
   ``--clients`` concurrent clients with keep-alive connections for ``--seconds`` seconds, in two
   modes: as an anonymous visitor (the page comes from the rendering cache, which every change
   invalidates) and with the cache bypassed (a session cookie: every request renders the page
   from the database, the cost right after a change). ``/healthz`` (a Django view that touches
   no database) is the floor: the speed of a trivial view on this server. The API's list and
   detail endpoints run beside them in one mode, as anonymous clients (JSON rendered on every
   request, the anonymous rate limit counted but set out of reach), with their ratio to the
   trivial view;
6. writes "## Evaluation engine" and "## Public pages" in BENCHMARKS.md (only those sections)
   and exits non-zero when a goal is missed: evaluation under 0.2 s, the plan dashboard's
   median under 50 ms and 95th percentile under 150 ms with 20 concurrent clients.
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
    server_env,
    server_version,
    start_server,
    write_section,
)

DB_NAME = "civitas_bench_pages"
MUNICIPALITY = "sopot"
PLAN_SLUG = "bench-300"
FIRST_YEAR = 2014
GOAL_EVALUATION_S = 0.2
GOAL_MEDIAN_MS, GOAL_P95_MS = 50, 150
ENGINE_TITLE = "## Evaluation engine"
PAGES_TITLE = "## Public pages"
# The API's endpoints timed beside the pages: a list (a page of the default size) and a detail.
# The API's rows: a list and a detail of the busiest kind of object (the project's id is filled in
# once the demo is there).
API_PATHS = {
    "API list": f"/api/v1/projects?municipality={MUNICIPALITY}&limit=100",
    "API detail": "/api/v1/projects/{project_id}",
}


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
        f"({'met' if ok else 'NOT met'}) |",
        "",
        f"The plan's result: {result.indicators_total} indicators, {result.indicators_with_data} with data "
        f"(coverage {result.coverage:.0%}), score {result.score:.3f}; "
        + ", ".join(f"{status.value} {n}" for status, n in result.counts.items()) + ".", "",
    ]), ok  # fmt: skip


def pages_section(command, args, pg, counts, results, paths) -> tuple[str, bool]:
    lines = [
        PAGES_TITLE, "",
        measured_line(command, f"; PostgreSQL {pg}, gunicorn with {args.workers} sync workers, the production "
                      f"settings (DEBUG off), {args.clients} concurrent keep-alive clients for {args.seconds:g} s "
                      "per row, server, database and load generator on the same machine"), "",
        "Cached: an anonymous visitor, the page from the rendering cache (keyed by the municipality's content "
        "version, so a change is visible on the next request). Rendered: as a signed-in visitor (the page cache "
        "bypassed by a session cookie), every request rendered and read from the database; a plan's "
        "evaluation is reused in each server process until the next change. \"One rendering, alone\": the "
        "first request after a change, every cache empty, timed in-process without concurrency.", "",
        "| page | queries rendered / cached | one rendering, alone | mode | requests/s | median | p95 | p99 | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    ok = True
    for name, path in paths.items():
        for mode in ("cached", "rendered", "anonymous"):
            r = results.get((name, mode))
            if r is None:
                continue
            q = counts.get(name)
            queries = f"{q[0]} / {q[1]}" if q else "0"
            alone = f"{q[2] * 1000:.0f} ms" if q else ""
            label = f"{name} (`{path}`)" if mode != "rendered" else ""
            if name == "plan dashboard":
                ok = ok and r["errors"] == 0
                if mode == "cached":
                    ok = ok and r["median_ms"] < GOAL_MEDIAN_MS and r["p95_ms"] < GOAL_P95_MS
            lines.append(
                f"| {label} | {queries if mode != 'rendered' else ''} | {alone if mode != 'rendered' else ''} | {mode} | "
                f"{r['per_second']:.0f} | "
                f"{r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['errors']} |"
            )
    dash = results[("plan dashboard", "cached")]
    dash_r = results[("plan dashboard", "rendered")]
    lines += [
        "",
        f"Plan dashboard ({args.indicators} indicators), {args.clients} concurrent clients: median "
        f"**{dash['median_ms']:.1f} ms**, p95 **{dash['p95_ms']:.1f} ms** (goal < {GOAL_MEDIAN_MS} ms and "
        f"< {GOAL_P95_MS} ms: {'met' if ok else 'NOT met'}); the first request after a change, every cache "
        f"empty: {counts['plan dashboard'][2] * 1000:.0f} ms alone; signed-in visitors under the same load: "
        f"median {dash_r['median_ms']:.0f} ms, p95 {dash_r['p95_ms']:.0f} ms.",
        "",
    ]
    trivial = results[("trivial view", "cached")]["per_second"]
    api = [f"{name} {results[(name, 'anonymous')]['per_second']:.0f} requests/s "
           f"({results[(name, 'anonymous')]['per_second'] / trivial:.0%} of the trivial view's {trivial:.0f})"
           for name in API_PATHS if (name, "anonymous") in results]  # fmt: skip
    if api:
        lines += ["The API, anonymous clients under the same load: " + "; ".join(api) + ".", ""]
    return "\n".join(lines), ok


# Main -------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--load-processes", type=int, default=2, help="processes of the load generator")
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    command = ("python -m bench.pages " + " ".join(argv if argv is not None else sys.argv[1:])).strip()

    port = pg_port()
    database_url = recreate_database(port, DB_NAME)
    var_dir = Path(tempfile.mkdtemp(prefix="civitas-bench-pages-"))
    env = server_env(database_url, var_dir)
    env["CIVITAS_API_ANONYMOUS_PER_MINUTE"] = str(10**9)  # counted on every request, never reached
    os.environ.update({k: v for k, v in env.items() if k != "LOG_LEVEL"})
    server = None
    try:
        prepare(
            env, ["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["load_demo"]
        )
        import django

        django.setup()
        from django.db import connection

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
        paths = {
            "trivial view": "/healthz",
            "home": f"/{MUNICIPALITY}/",
            "plan dashboard": f"/{MUNICIPALITY}/plans/{PLAN_SLUG}/",
            "Sopot development plan": f"/{MUNICIPALITY}/plans/{other_plan.slug}/",
            "project": f"/{MUNICIPALITY}/projects/{project.slug}/",
            "projects list": f"/{MUNICIPALITY}/projects/",
            "indicator": f"/{MUNICIPALITY}/indicators/{indicator.code}/",
            "indicator (English)": f"/en/{MUNICIPALITY}/indicators/{indicator.code}/",
            **{name: path.format(project_id=project.pk) for name, path in API_PATHS.items()},
        }
        paths = {name: urllib.parse.quote(path, safe="/?&=") for name, path in paths.items()}
        counts = query_counts({k: v for k, v in paths.items() if k != "trivial view"})
        connection.close()

        server, http_port = start_server(env, args.workers)
        results = {}
        with multiprocessing.get_context("fork").Pool(args.load_processes) as pool:
            for path in paths.values():  # warm every worker: imports, templates, connections
                load(http_port, path, clients=args.workers * 2, seconds=1, cookie=None, pool=pool)
            for name, path in paths.items():
                modes = ("cached",) if name == "trivial view" else ("cached", "rendered")
                modes = ("anonymous",) if name in API_PATHS else modes
                for mode in modes:
                    cookie = "sessionid=bench-no-session" if mode == "rendered" else None
                    r = load(
                        http_port, path, clients=args.clients, seconds=args.seconds, cookie=cookie, pool=pool
                    )
                    results[(name, mode)] = r
                    print(f"{name:28} {mode:9} {r['per_second']:7.0f}/s median {r['median_ms']:6.1f} ms "
                          f"p95 {r['p95_ms']:6.1f} ms errors {r['errors']}", flush=True)  # fmt: skip

        section, engine_ok = engine_section(command, timing, args.indicators, args.years, pg)
        write_section(Path(args.output), ENGINE_TITLE, section)
        print(section)
        section, pages_ok = pages_section(command, args, pg, counts, results, paths)
        write_section(Path(args.output), PAGES_TITLE, section)
        print(section)
        return 0 if engine_ok and pages_ok else 1
    finally:
        clean_up(server, port, None if args.keep_db else DB_NAME, var_dir)


if __name__ == "__main__":
    sys.exit(main())
