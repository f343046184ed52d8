"""Civitas at national scale on a production server: ``python -m bench.national``.

    .venv/bin/python -m bench.national [--municipalities 265] [--clients 20] [--seconds 5]
                                       [--repeats 3] [--workers 4] [--import-rows 100000]
                                       [--smoke] [--keep-db]

What it does, on this machine only (loopback):

1. (re)creates the database ``civitas_bench_national``, migrates it, loads the Sopot demo and
   generates the national dataset (``generate_national_dataset``: 265 municipalities with ~150 plan
   elements, 100 projects and 300 indicators each, values for 7 years, a million survey answers),
   timed; and a tenth of it (a tenth of the municipalities, and a tenth of everything in each) in
   ``civitas_bench_national_small``;
2. counts the queries of every public page type and every API list of a generated municipality
   (not Sopot), in-process, on both databases: they must be the same numbers (queries per page
   constant as the data grows tenfold);
3. starts gunicorn (production settings, DEBUG off) and, ``--repeats`` times, runs ``--clients``
   concurrent keep-alive clients for ``--seconds`` seconds on each page and list as an anonymous
   visitor (the public's view), beside the trivial view (``/healthz``) of the same repeat: the
   median over the repeats of each figure, and its spread (min–max);
4. re-evaluates every plan of every municipality (every cache emptied first), timed;
5. imports ``--import-rows`` measurement rows (default 100,000) through the real import service
   (``indicators.imports.import_measurements``), from CSV and then from XLSX, in files of the
   largest size a file may have (20,000 rows), each all or nothing, and counts the rows stored;
6. writes "## National scale" in BENCHMARKS.md and exits non-zero when a goal is missed.

``--smoke``: a tiny dataset, short runs and one repeat, for CI (a few minutes, most of them the
migrations and the demo); its figures are not the national ones and say so, and it fails only on
its proofs (query counts equal on both scales, no error, every imported row stored once), not on
the latency goals of a loaded CI machine.
"""

import argparse
import csv
import io
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.common import (
    OUTPUT,
    PYTHON,
    ROOT,
    clean_up,
    drop_database,
    measured_line,
    pg_port,
    prepare,
    recreate_database,
    server_env,
    server_version,
    start_redis,
    start_server,
    stop_server,
    write_section,
)
from bench.pages import load, query_counts

DB_NAME = "civitas_bench_national"
SMALL_DB_NAME = "civitas_bench_national_small"
TITLE = "## National scale"
GOAL_MEDIAN_MS, GOAL_P95_MS = 50, 150
GOAL_REEVALUATE_S = 60
GOAL_CSV_S, GOAL_XLSX_S = 20, 60
# The least of each at the smaller scale: two municipalities, so that the measured one is there.
MINIMUM = {"municipalities": 2, "survey_answers": 0}
FILE_ROWS = 20_000  # the most rows a measurements file may have (indicators.imports.MAX_ROWS)
IMPORT_FIRST_YEAR = 2001  # the import plan's years: monthly values, none generated there


# The dataset ------------------------------------------------------------------------------------


def scale_options(args, divisor: int = 1) -> list[str]:
    """generate_national_dataset's options at the benchmark's scale, or a ``divisor``-th of it."""
    if args.smoke:
        full = dict(municipalities=6, elements=40, projects=20, indicators=60, years=7, survey_answers=20_000)
    else:
        full = dict(municipalities=args.municipalities, elements=150, projects=100, indicators=300, years=7,
                    survey_answers=1_000_000)  # fmt: skip
    scaled = {
        name: value if name == "years" else max(MINIMUM.get(name, 1), round(value / divisor))
        for name, value in full.items()
    }
    return [f"--{name.replace('_', '-')}={value}" for name, value in scaled.items()]


def generate(env: dict, options: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(PYTHON), "manage.py", "generate_national_dataset", *options], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def municipality_slug() -> str:
    """The generated municipality the pages are measured on: the list's second (Айтос), not Sopot."""
    from civitas.demo.national import places

    return next(p.slug for p in places()[1:] if p.slug != "sopot")


def public_paths(slug: str) -> dict[str, str]:
    """Every public page type and every API list of the municipality (read from the database)."""
    from civitas.consultations.models import Consultation
    from civitas.council.models import Decision
    from civitas.forum.models import Topic
    from civitas.indicators.models import Indicator
    from civitas.plans.models import Plan
    from civitas.projects.models import Project
    from civitas.publicity.models import PublicityEvent
    from civitas.reports.models import AnnualReport
    from civitas.surveys.models import Survey

    def first(model, **filters):
        return model.objects.filter(**filters).order_by("pk").first()

    m = {"municipality__slug": slug}
    plan = first(Plan, **m, is_sample=True)
    goal = plan.elements.filter(parent__isnull=False).order_by("pk").first()
    decision = first(Decision, **m)
    paths = {
        "trivial view": "/healthz",
        "municipality home": f"/{slug}/",
        "plans": f"/{slug}/plans/",
        "plan (dashboard)": f"/{slug}/plans/{plan.slug}/",
        "plan element (goal)": f"/{slug}/plans/{plan.slug}/{goal.code}/",
        "plan versions": f"/{slug}/plans/{plan.slug}/versions/",
        "projects": f"/{slug}/projects/",
        "project": f"/{slug}/projects/{first(Project, **m).slug}/",
        "indicator": f"/{slug}/indicators/{first(Indicator, **m, element__isnull=False).code}/",
        "consultations": f"/{slug}/consultations/",
        "consultation": f"/{slug}/consultations/{first(Consultation, **m).slug}/",
        "surveys": f"/{slug}/surveys/",
        "survey results": f"/{slug}/surveys/{first(Survey, **m).slug}/results/",
        "forum": f"/{slug}/forum/",
        "forum topic": f"/{slug}/forum/{first(Topic, **m).pk}/",
        "decisions": f"/{slug}/decisions/",
        "decision": f"/{slug}/decisions/{decision.year}/{decision.number}/",
        "publicity calendar": f"/{slug}/publicity/",
        "publicity event": f"/{slug}/publicity/events/{first(PublicityEvent, **m).pk}/",
        "annual reports": f"/{slug}/reports/",
        "annual report": f"/{slug}/reports/{first(AnnualReport, **m).pk}/",
        "evaluations": f"/{slug}/evaluations/",
        "open data": f"/{slug}/open-data/",
        "API municipalities": "/api/v1/municipalities",
    }
    for name, endpoint in [
        ("plans", "plans"), ("elements", "elements"), ("projects", "projects"), ("indicators", "indicators"),
        ("consultations", "consultations"), ("surveys", "surveys"), ("forum topics", "forum/topics"),
        ("decisions", "decisions"), ("publicity events", "publicity/events"), ("evaluations", "evaluations"),
        ("annual reports", "reports"),
    ]:  # fmt: skip
        paths[f"API {name}"] = f"/api/v1/{endpoint}?municipality={slug}"
    return {name: urllib.parse.quote(path, safe="/?&=") for name, path in paths.items()}


def count_queries() -> dict[str, int]:
    """The queries of each page rendered, on the database of DATABASE_URL (run in a process of
    its own per database: ``python -m bench.national --count-queries``)."""
    import django

    django.setup()
    paths = public_paths(municipality_slug())
    counts = query_counts({k: v for k, v in paths.items() if k != "trivial view"})
    return {name: rendered for name, (rendered, _cached, _alone) in counts.items()}


def counts_on(env: dict) -> dict[str, int]:
    out = subprocess.run([str(PYTHON), "-m", "bench.national", "--count-queries"], cwd=ROOT, env=env, check=True,
                         stdout=subprocess.PIPE, text=True).stdout  # fmt: skip
    return {name: int(n) for name, n in (line.rsplit("\t", 1) for line in out.strip().splitlines())}


# Re-evaluation and imports ------------------------------------------------------------------------


def reevaluate() -> tuple[float, int]:
    """Every plan of every municipality evaluated as its page does, every cache emptied first.
    Uses the installation's own re-evaluation when there is one."""
    from django.core.cache import cache

    from civitas.core.cache import ProcessCache
    from civitas.indicators import selectors, services
    from civitas.plans.models import Plan

    cache.clear()
    ProcessCache.clear_all()
    started = time.perf_counter()
    whole = getattr(services, "reevaluate_installation", None)
    if whole is not None:
        whole()
        plans = Plan.objects.count()
    else:
        plans = 0
        for plan in Plan.objects.select_related("municipality").order_by("pk").iterator(chunk_size=100):
            selectors.evaluated_plan(plan)
            plans += 1
    return time.perf_counter() - started, plans


def import_setup(slug: str, rows: int, prefix: str):
    """A plan of monthly indicators in the municipality with ``rows`` empty periods, and an
    administrator to import them; returns (actor, municipality, [(code, period)])."""
    from django.contrib.auth import get_user_model

    from civitas.core.models import Municipality, Role
    from civitas.core.permissions import OPERATOR
    from civitas.core.services import membership_grant
    from civitas.indicators.models import Indicator
    from civitas.plans.models import Plan, PlanElement

    municipality = Municipality.objects.get(slug=slug)
    years = 10
    per_indicator = years * 12
    count = -(-rows // per_indicator)
    plan = Plan.objects.create(
        municipality=municipality, slug=f"import-{prefix.lower()}", kind="programme", status="implementation",
        title_bg=f"Програма за внос ({prefix})", period_start=IMPORT_FIRST_YEAR,
        period_end=IMPORT_FIRST_YEAR + years - 1, is_sample=True,
    )  # fmt: skip
    element = PlanElement.objects.create(plan=plan, code="1", title_bg="Мярка 1")
    Indicator.objects.bulk_create(
        [
            Indicator(municipality=municipality, element=element, code=f"{prefix}-{n:05d}", name_bg=f"Внос {n}",
                      type="output", frequency="monthly", accumulation="per_period", baseline_value=0,
                      baseline_year=IMPORT_FIRST_YEAR - 1, position=n, is_sample=True)
            for n in range(count)
        ],
        batch_size=2000,
    )  # fmt: skip
    user = get_user_model().objects.create_user(username=f"bench-import-{prefix.lower()}", password=None)
    membership_grant(actor=OPERATOR, user=user, municipality=municipality, role=Role.ADMINISTRATOR)
    periods = [
        (f"{prefix}-{n:05d}", f"{IMPORT_FIRST_YEAR + k // 12}-{k % 12 + 1:02d}")
        for n in range(count)
        for k in range(per_indicator)
    ][:rows]
    return user, municipality, periods


def import_files(periods: list, fmt: str) -> list[bytes]:
    """The rows as measurement files of at most FILE_ROWS rows each, in ``fmt`` (csv or xlsx)."""
    files = []
    for start in range(0, len(periods), FILE_ROWS):
        chunk = periods[start : start + FILE_ROWS]
        header = ["indicator_code", "period", "value", "collected_on"]
        body = [[code, period, f"{(i % 997) + 1}.5", f"{int(period[:4]) + 1}-01-31"] for i, (code, period) in
                enumerate(chunk)]  # fmt: skip
        if fmt == "csv":
            out = io.StringIO()
            csv.writer(out).writerows([header, *body])
            files.append(out.getvalue().encode())
        else:
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet("values")
            for row in [header, *body]:
                sheet.append(row)
            data = io.BytesIO()
            book.save(data)
            files.append(data.getvalue())
    return files


def import_run(slug: str, rows: int, fmt: str) -> dict:
    from civitas.indicators.imports import import_measurements
    from civitas.indicators.models import Measurement

    actor, municipality, periods = import_setup(slug, rows, fmt.upper())
    files = import_files(periods, fmt)
    started = time.perf_counter()
    saved, errors = 0, []
    for data in files:
        result = import_measurements(actor=actor, municipality=municipality, data=data)
        saved += result.saved
        errors += [str(e.message) for e in result.errors[:3]]
    seconds = time.perf_counter() - started
    stored = Measurement.objects.filter(indicator__code__startswith=f"{fmt.upper()}-").count()
    return {"seconds": seconds, "files": len(files), "saved": saved, "stored": stored, "errors": errors,
            "bytes": sum(len(f) for f in files)}  # fmt: skip


# Load ---------------------------------------------------------------------------------------------


def measure(http_port: int, paths: dict, args) -> dict[str, list[dict]]:
    """Each path ``--repeats`` times, the trivial view first in each repeat."""
    runs: dict[str, list[dict]] = {name: [] for name in paths}
    with multiprocessing.get_context("fork").Pool(args.load_processes) as pool:
        for path in paths.values():  # warm every worker: imports, templates, connections
            load(http_port, path, clients=args.workers * 2, seconds=0.5, cookie=None, pool=pool)
        for repeat in range(args.repeats):
            for name, path in paths.items():
                r = load(http_port, path, clients=args.clients, seconds=args.seconds, cookie=None, pool=pool)
                runs[name].append(r)
                print(f"[{repeat + 1}] {name:28} {r['per_second']:7.0f}/s median {r['median_ms']:6.1f} ms "
                      f"p95 {r['p95_ms']:6.1f} ms errors {r['errors']}", flush=True)  # fmt: skip
    return runs


# Report -------------------------------------------------------------------------------------------


def _spread(values: list[float], fmt: str = "{:.1f}") -> str:
    middle = fmt.format(statistics.median(values))
    if len(values) < 2:
        return middle
    return f"{middle} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def section(command: str, args, pg: str, facts: dict) -> tuple[str, bool]:
    runs, paths = facts["runs"], facts["paths"]
    trivial = runs["trivial view"]
    lines = [
        TITLE, "",
        measured_line(command, f"; PostgreSQL {pg}, Redis as the shared cache, gunicorn with {args.workers} sync workers, the production "
                      f"settings (DEBUG off), {args.clients} concurrent keep-alive clients for {args.seconds:g} s "
                      f"per row, {args.repeats} repeat(s); server, database and load generator on the same machine"),
        "",
    ]  # fmt: skip
    if args.smoke:
        lines += [
            "**Smoke run** (`--smoke`, for CI): a tiny dataset and short runs; not the national figures.",
            "",
        ]
    lines += [
        f"Dataset: `generate_national_dataset {' '.join(facts['options'])}` on PostgreSQL in "
        f"**{facts['generate_s']:.0f} s** ({facts['rows']:,} rows: {facts['summary']}); the tenth used for the "
        f"query counts in {facts['small_generate_s']:.0f} s. Pages of the generated municipality "
        f"`{facts['slug']}` (the machine's load average when the load began: {facts['load_average']:.1f} on "
        f"{os.cpu_count()} CPUs), as an anonymous visitor (the public's view: the pages that are page-cached "
        "and the API's anonymous answers come from Redis after their first request, the others are rendered on "
        "each request). Figures are the median over the repeats, with their "
        "spread (min–max); the ratio is requests/s against the trivial view (`/healthz`, no database) of the "
        "same repeat.",
        "",
        "| page | queries (data ×1 / ×10) | requests/s | ratio to trivial | median ms | p95 ms | errors | goal (median < 50 ms, p95 < 150 ms) |",
        "|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    ok = True  # every goal met
    proved = True  # what a smoke run checks: query counts equal, no error, every row stored once
    for name, path in paths.items():
        r = runs[name]
        medians = [x["median_ms"] for x in r]
        p95s = [x["p95_ms"] for x in r]
        ratios = [
            x["per_second"] / t["per_second"] for x, t in zip(r, trivial, strict=True) if t["per_second"]
        ]
        errors = sum(x["errors"] for x in r)
        small, large = facts["counts_small"].get(name), facts["counts"].get(name)
        same = small == large
        queries = "" if large is None else f"{small} / {large}" + ("" if same else " **differ**")
        met = (
            statistics.median(medians) < GOAL_MEDIAN_MS
            and statistics.median(p95s) < GOAL_P95_MS
            and not errors
        )
        proved = proved and same and not errors
        if name != "trivial view":
            ok = ok and met and same
        lines.append(
            f"| {name} (`{urllib.parse.unquote(path)}`) | {queries} | {_spread([x['per_second'] for x in r], '{:.0f}')} | "
            f"{_spread(ratios, '{:.2f}')} | {_spread(medians)} | {_spread(p95s)} | {errors} | "
            f"{'' if name == 'trivial view' else _verdict(met and same)} |"
        )
    reeval_ok = facts["reevaluate_s"] < GOAL_REEVALUATE_S
    lines += [
        "",
        "| measure | figure | goal |",
        "|---|---|---|",
        f"| generate the national dataset (PostgreSQL) | {facts['generate_s']:.0f} s | under 10 minutes: "
        f"{_verdict(facts['generate_s'] < 600)} |",
        f"| re-evaluate the whole installation: {facts['plans']} plans, every cache empty ({facts['reevaluate_how']}) "
        f"| {facts['reevaluate_s']:.1f} s | < {GOAL_REEVALUATE_S} s: {_verdict(reeval_ok)} |",
    ]
    ok = ok and reeval_ok
    for fmt, goal in (("csv", GOAL_CSV_S), ("xlsx", GOAL_XLSX_S)):
        r = facts["imports"][fmt]
        complete = r["stored"] == r["saved"] == args.import_rows and not r["errors"]
        met = r["seconds"] < goal and complete
        ok = ok and met
        proved = proved and complete
        lines.append(
            f"| import {args.import_rows:,} measurement rows from {fmt.upper()} through the import service "
            f"({r['files']} files of up to {FILE_ROWS:,} rows, {r['bytes'] / 1e6:.1f} MB; {r['stored']:,} rows stored"
            f"{'; errors: ' + '; '.join(r['errors']) if r['errors'] else ''}) | {r['seconds']:.1f} s | "
            f"< {goal} s, every row stored once: {_verdict(met)} |"
        )
    lines += [
        "",
        "Queries are counted in-process (Django's test client, every cache emptied) on the national dataset and "
        "on a tenth of it (a tenth of the municipalities, and a tenth of the elements, projects, indicators and "
        "answers of each): a page whose count differs reads more as the data grows.",
        "",
    ]
    if args.smoke:
        lines += ["A smoke run passes on its proofs alone (query counts equal, no error, every row stored once): "
                  f"{'passed' if proved else '**failed**'}.", ""]  # fmt: skip
        return "\n".join(lines), proved
    return "\n".join(lines), ok and proved


# Main ---------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=265)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--load-processes", type=int, default=2, help="processes of the load generator")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="a tiny dataset and short runs, for CI")
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.count_queries:
        for name, n in count_queries().items():
            print(f"{name}\t{n}")
        return 0
    if args.smoke:
        args.seconds, args.repeats = min(args.seconds, 1.0), 1
        args.import_rows = min(args.import_rows, 2_000)
    command = ("python -m bench.national " + " ".join(argv if argv is not None else sys.argv[1:])).strip()

    port = pg_port()
    var_dir = Path(tempfile.mkdtemp(prefix="civitas-bench-national-"))
    server = redis = None
    try:
        # Migrated once, with the demo: the large database starts as a copy of the small one.
        small_env = server_env(recreate_database(port, SMALL_DB_NAME), var_dir)
        prepare(
            small_env,
            ["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["load_demo"],
        )  # fmt: skip
        env = server_env(recreate_database(port, DB_NAME, template=SMALL_DB_NAME), var_dir)
        env["CIVITAS_API_ANONYMOUS_PER_MINUTE"] = str(10**9)  # counted on every request, never reached
        small_generate_s = generate(small_env, scale_options(args, divisor=10))
        counts_small = counts_on(small_env)
        if not args.keep_db:
            drop_database(port, SMALL_DB_NAME)
        print(f"small dataset in {small_generate_s:.0f} s; queries {counts_small}", flush=True)

        os.environ.update({k: v for k, v in env.items() if k != "LOG_LEVEL"})
        options = scale_options(args)
        generate_s = generate(env, options)
        print(f"national dataset in {generate_s:.0f} s", flush=True)
        counts = counts_on(env)

        import django

        django.setup()
        from django.apps import apps
        from django.db import connection

        from civitas.indicators import services as indicator_services

        sizes = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
        big = sorted(sizes.items(), key=lambda kv: -kv[1])[:6]
        slug = municipality_slug()
        paths = public_paths(slug)
        connection.close()

        # Redis as the cache every server process shares, as at national scale: cached pages and the
        # API's anonymous answers cost no database query (core.cache, opendata.middleware).
        redis, cache_url = start_redis(var_dir)
        server, http_port = start_server({**env, "CACHE_URL": cache_url}, args.workers)
        load_average = os.getloadavg()[0]  # other work on the machine weighs on every figure
        runs = measure(http_port, paths, args)
        stop_server(server)
        server = None

        reevaluate_s, plans = reevaluate()
        how = (
            "indicators.services.reevaluate_installation"
            if hasattr(indicator_services, "reevaluate_installation")
            else "indicators.selectors.evaluated_plan of each plan"
        )
        print(f"re-evaluation of {plans} plans: {reevaluate_s:.1f} s", flush=True)
        imports = {fmt: import_run(slug, args.import_rows, fmt) for fmt in ("csv", "xlsx")}
        print(f"imports: {imports}", flush=True)
        facts = {
            "runs": runs, "paths": paths, "counts": counts, "counts_small": counts_small, "slug": slug,
            "options": options, "generate_s": generate_s, "small_generate_s": small_generate_s,
            "rows": sum(sizes.values()), "summary": ", ".join(f"{label} {n:,}" for label, n in big),
            "load_average": load_average, "reevaluate_s": reevaluate_s, "plans": plans, "reevaluate_how": how, "imports": imports,
        }  # fmt: skip
        text, ok = section(command, args, server_version(), facts)
        write_section(Path(args.output), TITLE, text)
        print(text)
        return 0 if ok else 1
    finally:
        if redis is not None:
            stop_server(redis)
        clean_up(server, port, None if args.keep_db else DB_NAME, var_dir)


if __name__ == "__main__":
    sys.exit(main())
