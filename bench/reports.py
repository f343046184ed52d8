"""The annual report's files, generated in this process: ``python -m bench.reports``.

    .venv/bin/python -m bench.reports [--runs 3] [--indicators 300] [--years 7] [--figures 50]
                                      [--output BENCHMARKS.md] [--keep-db]

What it does, on this machine only:

1. starts the machine's PostgreSQL 15 cluster if it is down (as ``bench.pages`` does, with a role
   of its own) and (re)creates the database ``civitas_bench_reports``; migrates it, loads the Sopot
   demo (``civitas.demo.services.demo_load``) and adds ``bench.pages``'s benchmark plan of
   ``--indicators`` indicators (default 300) × ``--years`` years (``bench.pages.create_plan``),
   with an annual report of its own for the plan's last year (every year's values read, the
   final targets due: the largest report it has);
2. measures (``measure``, the unit: one report in, its times and memory out), as DOCX and as PDF
   in Bulgarian, ``--runs`` times each:
   - a synthetic Document of ``--indicators`` indicators and ``--figures`` charts
     (``synthetic_report``): rendering alone, no database;
   - the Sopot demo's annual report (the development plan 2014–2020, the demo's year) and the
     benchmark plan's: the whole generation as the background task runs it
     (``civitas.reports.tasks.report_bytes``: the data read from the database, the document
     composed, the file rendered), timed phase by phase through its progress callback;
   each report and format in a fresh process (``measure_apart``, as a task worker starts), each run
   with the caches emptied, for its wall-clock and CPU time and the process's resident high-water
   mark (reset before each run, /proc/self/clear_refs); then once more under
   tracemalloc for the peak of Python's memory (WeasyPrint's and cairo's C allocations are not
   in it: the resident peak is);
3. writes "## Reports" in BENCHMARKS.md (only that section), drops the database (unless
   ``--keep-db``) and exits non-zero when a goal is missed: the median of the runs under 10 s
   as DOCX, under 30 s as PDF.
"""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bench.common import (
    OUTPUT,
    ROOT,
    clean_up,
    measured_line,
    pg_port,
    recreate_database,
    server_env,
    server_version,
    write_section,
)

SECTION_TITLE = "## Reports"
GOAL_DOCX_SECONDS = 10.0
GOAL_PDF_SECONDS = 30.0
DB_NAME = "civitas_bench_reports"
DB_USER = "civitas_bench_reports"  # not bench.pages' role: either may run while the other does
LANGUAGE = "bg"
FORMATS = ("docx", "pdf")
GOALS = {"docx": GOAL_DOCX_SECONDS, "pdf": GOAL_PDF_SECONDS}
CLEAR_REFS, STATUS = Path("/proc/self/clear_refs"), Path("/proc/self/status")


@dataclass(frozen=True)
class Run:
    """One generation of one file."""

    seconds: float
    cpu_seconds: float
    # Data read, composition and rendering (seconds), from the task's progress callback; None
    # for a Document rendered alone.
    phases: tuple[float, float, float] | None
    rss_before: int  # bytes resident when it started
    rss_peak: int  # the process's resident high-water mark during the run (bytes)


@dataclass(frozen=True)
class Measurement:
    label: str
    blocks: int
    tables: int
    rows: int
    figures: int
    docx_seconds: float  # the median of the runs, as every time below
    docx_cpu_seconds: float
    docx_peak_bytes: int  # Python's peak under tracemalloc (0: not traced)
    docx_bytes: int
    pdf_seconds: float
    pdf_cpu_seconds: float
    pdf_peak_bytes: int
    pdf_bytes: int
    pdf_pages: int
    runs: dict[str, tuple[Run, ...]] = field(default_factory=dict)

    def seconds(self, fmt: str) -> float:
        return self.docx_seconds if fmt == "docx" else self.pdf_seconds

    def within(self, fmt: str) -> bool:
        return self.seconds(fmt) < GOALS[fmt]

    @property
    def within_goals(self) -> bool:
        return all(self.within(fmt) for fmt in FORMATS)


def synthetic_report(indicators: int = 300, *, figures: int = 50):
    """A Document the size of a large plan's annual report (see the module's docstring)."""
    from civitas.core.charts import Chart, Series
    from civitas.reports.document import Document, Figure, Heading, Paragraph, Table

    years = tuple(str(year) for year in range(2014, 2021))
    blocks: list = [
        Heading("Общи условия и социално-икономически промени"),
        Paragraph("Текст на общината за промените в годината. " * 40),
        Heading("Напредък по целите и приоритетите"),
    ]
    drawn = 0
    for start in range(0, indicators, 25):
        group = range(start, min(start + 25, indicators))
        blocks.append(Heading(f"Приоритет {start // 25 + 1}", level=2))
        blocks.append(Paragraph("Описание на напредъка по приоритета. " * 12))
        rows = tuple(
            (
                f"И{i + 1}",
                f"Индикатор № {i + 1} с дълго наименование",
                str(100 + i),
                str(200 + i),
                str(150 + i),
                "В срок",
            )
            for i in group
        )
        blocks.append(
            Table(
                f"Индикатори на приоритет {start // 25 + 1}",
                ("Код", "Индикатор", "Базова стойност", "Целева стойност", "Стойност 2019", "Състояние"),
                rows,
                frozenset({2, 3, 4}),
            )
        )
        for i in group[::6]:
            if drawn >= figures:
                break
            drawn += 1
            actual = tuple(float(100 + i + 10 * k) for k in range(6)) + (None,)
            target = (None,) * 6 + (200.0 + i,)
            chart = Chart(
                f"Индикатор № {i + 1}",
                "",
                years,
                (
                    Series("Отчетена стойност", actual),
                    Series("Целева стойност", target, "target", connect=False),
                ),
            )
            blocks.append(Figure(f"Индикатор № {i + 1}: стойности по години", chart))
    blocks += [
        Heading("Действия за осигуряване на ефективност и ефикасност"),
        Paragraph("Проектите на плана. " * 30),
        Heading("Заключения и предложения"),
        Paragraph("Изводи и предложения. " * 30),
    ]
    return Document(
        title="Годишен доклад за наблюдение на изпълнението на синтетичен план",
        subtitle="за 2019 година",
        municipality="Община Синтетична",
        language="bg",
        date_line="31.03.2020",
        notice="Стойностите на част от индикаторите все още очакват одобрение.",
        blocks=tuple(blocks),
    )


# What is measured -------------------------------------------------------------------------------


class Rendering:
    """A Document rendered alone: no data read, no composition."""

    def __init__(self, document):
        self._document = document

    def document(self):
        return self._document

    def generate(self, fmt: str, progress=None) -> bytes:
        from civitas.reports.render import render_docx, render_pdf

        return render_pdf(self._document) if fmt == "pdf" else render_docx(self._document)


class Generation:
    """An annual report generated from the database as the background task does it
    (``report_bytes``: data, composition, rendering)."""

    def __init__(self, report, language: str = LANGUAGE):
        self.report, self.language = report, language

    def document(self):
        from django.utils import translation

        from civitas.reports.compose import annual_report_document
        from civitas.reports.selectors import annual_report_data

        with translation.override(self.language):
            return annual_report_document(annual_report_data(self.report, self.language))

    def generate(self, fmt: str, progress=None) -> bytes:
        from civitas.reports.tasks import report_bytes

        return report_bytes(self.report, fmt=fmt, language=self.language, progress=progress)


def documents(args) -> list[tuple[str, str]]:
    """(label, what to measure: ``measure_one``'s spec) of every report measured: the synthetic
    Document (no database) and, once ``prepare_database`` has run, the Sopot demo's report and the
    benchmark plan's."""
    out = [
        (
            f"synthetic Document: {args.indicators} indicators, {args.figures} charts (rendering only)",
            "synthetic",
        )
    ]
    for report in getattr(args, "reports", ()):
        out.append((f"{report.plan.title_bg} — {report.year} (`{report.plan.slug}`)", f"report:{report.pk}"))
    return out


# The database -----------------------------------------------------------------------------------


def prepare_database(args) -> list:
    """Migrate, load the demo and the benchmark plan; their annual reports, loaded as the task
    loads them (with plan, municipality and decision)."""
    from django.core.management import call_command

    from bench.pages import MUNICIPALITY, create_plan
    from civitas.core.permissions import OPERATOR
    from civitas.demo.reports import NARRATIVE, PLAN_SLUG
    from civitas.demo.services import demo_load
    from civitas.reports import services as report_services
    from civitas.reports.models import AnnualReport

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    demo_load()
    plan, n_values = create_plan(args.indicators, args.years)
    big = report_services.report_create(
        actor=OPERATOR, plan=plan, year=plan.period_end, as_of=None, is_sample=True, **NARRATIVE
    )
    demo = AnnualReport.objects.get(plan__municipality__slug=MUNICIPALITY, plan__slug=PLAN_SLUG)
    print(
        f"database ready in {time.perf_counter() - started:.0f} s: the demo and the benchmark plan "
        f"({args.indicators} indicators, {n_values} published values)",
        flush=True,
    )
    loaded = AnnualReport.objects.select_related("plan", "municipality", "decision")
    return [loaded.get(pk=demo.pk), loaded.get(pk=big.pk)]


# Measuring --------------------------------------------------------------------------------------


def _status_bytes(name: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> bool:
    """Reset the process's resident high-water mark (VmHWM; Linux): False where it cannot be."""
    try:
        CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def _clear_caches() -> None:
    from django.core.cache import cache

    from civitas.core.cache import ProcessCache

    cache.clear()
    ProcessCache.clear_all()


def _run(subject, fmt: str) -> tuple[Run, bytes]:
    """One generation, caches emptied: its time, phases and resident peak, and the file."""
    _clear_caches()
    reset = _reset_peak()
    rss_before = _status_bytes("VmRSS")
    marks: dict[int, float] = {}
    start, cpu = time.perf_counter(), time.process_time()
    result = subject.generate(fmt, lambda percent, _message: marks.setdefault(percent, time.perf_counter()))
    end = time.perf_counter()
    cpu_seconds = time.process_time() - cpu
    rss_peak = _status_bytes("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    phases = None
    if {10, 50, 70} <= marks.keys():
        phases = (marks[50] - start, marks[70] - marks[50], end - marks[70])
    return Run(end - start, cpu_seconds, phases, rss_before, rss_peak), result


def _peak(render, document) -> int:
    """Python's peak memory (tracemalloc) while ``render(document)`` runs."""
    _clear_caches()
    tracemalloc.start()
    try:
        render(document)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(
    label: str, subject, *, trace: bool = True, runs: int = 1, formats: tuple[str, ...] = FORMATS
) -> Measurement:
    """Generate one report (a Generation, or a Document rendered alone) in each of ``formats``
    ``runs`` times: the median time of each, its runs, the peak of Python's memory (one more run
    under tracemalloc; 0 without ``trace``), the files' sizes and the PDF's pages (0 for a format
    not measured)."""
    from pypdf import PdfReader

    from civitas.reports.document import Figure, Table

    if not isinstance(subject, Rendering | Generation):
        subject = Rendering(subject)
    document = subject.document()
    measured: dict[str, tuple[Run, ...]] = {}
    files: dict[str, bytes] = {}
    peaks: dict[str, int] = {}
    for fmt in formats:
        done = [_run(subject, fmt) for _ in range(max(1, runs))]
        measured[fmt] = tuple(run for run, _file in done)
        files[fmt] = done[-1][1]
        peaks[fmt] = _peak(subject.generate, fmt) if trace else 0

    def median(fmt: str, name: str) -> float:
        return statistics.median(getattr(run, name) for run in measured[fmt]) if fmt in measured else 0.0

    tables = [block for block in document.blocks if isinstance(block, Table)]
    return Measurement(
        label=label,
        blocks=len(document.blocks),
        tables=len(tables),
        rows=sum(len(table.rows) for table in tables),
        figures=sum(isinstance(block, Figure) for block in document.blocks),
        docx_seconds=median("docx", "seconds"),
        docx_cpu_seconds=median("docx", "cpu_seconds"),
        docx_peak_bytes=peaks.get("docx", 0),
        docx_bytes=len(files.get("docx", b"")),
        pdf_seconds=median("pdf", "seconds"),
        pdf_cpu_seconds=median("pdf", "cpu_seconds"),
        pdf_peak_bytes=peaks.get("pdf", 0),
        pdf_bytes=len(files.get("pdf", b"")),
        pdf_pages=len(PdfReader(io.BytesIO(files["pdf"])).pages) if "pdf" in files else 0,
        runs=measured,
    )


RESULT = "bench.reports result: "


def _from_json(data: dict) -> Measurement:
    runs = {
        fmt: tuple(Run(**{**run, "phases": tuple(run["phases"]) if run["phases"] else None}) for run in rs)
        for fmt, rs in data["runs"].items()
    }
    return Measurement(**{**data, "runs": runs})


def measure_apart(label: str, spec: str, args) -> Measurement:
    """``measure`` each format in a fresh process (``--one``), so that each resident peak is that of
    a process that generated only that file, as a task worker would, and not the high-water mark
    left by the reports measured before it."""
    parts = {}
    for fmt in FORMATS:
        command = [
            sys.executable, "-m", "bench.reports", "--one", f"{spec}:{fmt}", "--runs", str(args.runs),
            "--indicators", str(args.indicators), "--figures", str(args.figures),
        ]  # fmt: skip
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        lines = [line for line in out.stdout.splitlines() if line.startswith(RESULT)]
        if out.returncode != 0 or not lines:
            raise SystemExit(f"{' '.join(command)} failed:\n{out.stdout}{out.stderr}")
        parts[fmt] = _from_json(json.loads(lines[-1][len(RESULT) :]))
    docx, pdf = parts["docx"], parts["pdf"]
    return replace(
        pdf,
        label=label,
        docx_seconds=docx.docx_seconds,
        docx_cpu_seconds=docx.docx_cpu_seconds,
        docx_peak_bytes=docx.docx_peak_bytes,
        docx_bytes=docx.docx_bytes,
        runs={"docx": docx.runs["docx"], "pdf": pdf.runs["pdf"]},
    )


def measure_one(args) -> int:
    """The child of ``measure_apart``: ``--one synthetic:<format>`` or ``report:<pk>:<format>``."""
    import django

    django.setup()
    from civitas.reports.models import AnnualReport

    *spec, fmt = args.one.split(":")
    if spec == ["synthetic"]:
        subject: Rendering | Generation = Rendering(synthetic_report(args.indicators, figures=args.figures))
    else:
        loaded = AnnualReport.objects.select_related("plan", "municipality", "decision")
        subject = Generation(loaded.get(pk=int(spec[1])))
    m = measure(args.one, subject, runs=args.runs, formats=(fmt,))
    print(RESULT + json.dumps(asdict(m)), flush=True)
    return 0


# The report -------------------------------------------------------------------------------------


def _phases(runs: tuple[Run, ...]) -> tuple[float, float, float] | None:
    if not runs or any(run.phases is None for run in runs):
        return None
    return tuple(statistics.median(run.phases[i] for run in runs if run.phases) for i in range(3))  # type: ignore[return-value]


def limits(m: Measurement, fmt: str) -> str:
    """What most of the median run's time went to, and whether it waited for the CPU."""
    runs = m.runs.get(fmt, ())
    seconds, cpu = m.seconds(fmt), (m.docx_cpu_seconds if fmt == "docx" else m.pdf_cpu_seconds)
    phases = _phases(runs)
    if phases is None:
        text = f"rendering {seconds:.1f} s"
    else:
        name, value = max(zip(("data", "composition", "rendering"), phases, strict=True), key=lambda p: p[1])
        text = f"{name} {value:.1f} s of {seconds:.1f} s"
    if cpu and seconds > 1.3 * cpu:
        text += f"; waited for a CPU: {cpu:.1f} s of CPU"
    return text


def _row_cells(m: Measurement, fmt: str) -> list[str]:
    runs = m.runs.get(fmt, ())
    seconds = [run.seconds for run in runs] or [m.seconds(fmt)]
    cpu = m.docx_cpu_seconds if fmt == "docx" else m.pdf_cpu_seconds
    spread = f" ({min(seconds):.2f}–{max(seconds):.2f})" if len(seconds) > 1 else ""
    phases = _phases(runs)
    split = " / ".join(f"{value:.2f}" for value in phases) + " s" if phases else "— / — / all"
    peak = m.docx_peak_bytes if fmt == "docx" else m.pdf_peak_bytes
    rss = (
        f"{max(run.rss_peak for run in runs) / 1e6:.0f} MB (from {min(run.rss_before for run in runs) / 1e6:.0f})"
        if runs
        else "–"
    )
    size = m.docx_bytes if fmt == "docx" else m.pdf_bytes
    file = f"{size / 1e6:.1f} MB" if fmt == "docx" else f"{m.pdf_pages} pages, {size / 1e6:.1f} MB"
    goal = f"< {GOALS[fmt]:.0f} s: " + ("met" if m.within(fmt) else f"**missed** ({limits(m, fmt)})")
    return [
        fmt.upper(),
        f"**{m.seconds(fmt):.2f} s**{spread}",
        f"{cpu:.2f} s",
        split,
        f"{peak / 1e6:.0f} MB" if peak else "–",
        rss,
        file,
        goal,
    ]


def section(measurements: list[Measurement], command: str, load: float, *, database: str = "") -> str:
    runs = max((len(r) for m in measurements for r in m.runs.values()), default=1)
    where = f"PostgreSQL {database} on this machine" if database else "no database"
    lines = [
        SECTION_TITLE,
        "",
        measured_line(
            command,
            f"; {where}; load average {load:.1f} at the start (the machine is shared: the wall-clock times "
            "depend on what else runs, the CPU times much less)",
        ),
        "",
        f"Goals: the annual report generated as DOCX in under {GOAL_DOCX_SECONDS:.0f} s, as PDF in under "
        f"{GOAL_PDF_SECONDS:.0f} s: the median wall-clock time of {runs} run(s), each with the caches emptied (the "
        "first run of a process also imports the renderer and loads its fonts: it is usually the maximum). The demo's and the benchmark plan's reports are generated as the background task "
        "does it (`civitas.reports.tasks.report_bytes`, in Bulgarian): the data read from the database "
        "(`annual_report_data`), the document composed, the file rendered, each phase timed through the "
        "task's progress callback. The synthetic Document is rendered alone. Python peak: tracemalloc in "
        "one more run (WeasyPrint's, cairo's and the database driver's C allocations are not in it). "
        "Resident peak: each report and format is measured in a fresh process (Django set up, nothing "
        "rendered yet, as a task worker starts): its high-water mark during the runs (reset before each), "
        "and what was resident before the first (Django and the libraries loaded by then).",
        "",
        "| report | tables (rows) | figures | format | time: median (min–max) | CPU | data / composition / "
        "rendering | Python peak | resident peak | file | goal |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in measurements:
        for fmt in FORMATS:
            head = [m.label, f"{m.tables} ({m.rows})", str(m.figures)] if fmt == "docx" else ["", "", ""]
            lines.append("| " + " | ".join(head + _row_cells(m, fmt)) + " |")
    lines += [
        "",
        "What the time goes to (the median run's largest part): "
        + "; ".join(f"{m.label}, {fmt.upper()}: {limits(m, fmt)}" for m in measurements for fmt in FORMATS)
        + ". The benchmark plan (`bench.pages.create_plan`) has result indicators only, no context "
        "indicators and no projects: its report draws the status bars of the plan and its goals, not a chart "
        "per indicator; the synthetic Document's line charts are the bound for a report with many charts.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each report and format")
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--figures", type=int, default=50, help="charts of the synthetic Document")
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # measure_apart's child
    args = parser.parse_args(argv)
    if args.one:
        return measure_one(args)
    command = ("python -m bench.reports " + " ".join(argv if argv is not None else sys.argv[1:])).strip()
    load = os.getloadavg()[0]

    port = pg_port()
    database_url = recreate_database(port, DB_NAME, DB_USER)
    var_dir = Path(tempfile.mkdtemp(prefix="civitas-bench-reports-"))
    env = server_env(database_url, var_dir)  # the production settings: DEBUG off
    os.environ.update({k: v for k, v in env.items() if k != "LOG_LEVEL"})
    try:
        import django

        django.setup()
        from django.db import connections

        args.reports = prepare_database(args)
        database = server_version()
        connections.close_all()
        measurements = []
        for label, spec in documents(args):
            m = measure_apart(label, spec, args)
            for fmt in FORMATS:
                cells = _row_cells(m, fmt)
                print(f"{label}: {' | '.join(cells)}", flush=True)
            measurements.append(m)
        write_section(
            Path(args.output), SECTION_TITLE, section(measurements, command, load, database=database)
        )
    finally:
        clean_up(None, port, None if args.keep_db else DB_NAME, var_dir)
    missed = [f"{m.label} {fmt}" for m in measurements for fmt in FORMATS if not m.within(fmt)]
    if missed:
        print(f"Goals missed: {missed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
