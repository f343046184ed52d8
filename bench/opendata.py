"""The whole installation's open-data export, in this process: ``python -m bench.opendata``.

    .venv/bin/python -m bench.opendata [--indicators 2000] [--years 7] [--output BENCHMARKS.md]
                                       [--keep-db]

What it does, on this machine only:

1. starts the machine's PostgreSQL 15 cluster if it is down (as ``bench.pages`` does, with a role
   of its own) and (re)creates the database ``civitas_bench_opendata``; migrates it and loads the
   Sopot demo (``civitas.demo.services.demo_load``);
2. exports every dataset of ``civitas.opendata.datasets`` for the whole installation in every
   format (CSV and JSON Lines as the downloads stream them, XLSX as they write it), each file to
   a temporary folder, and measures the whole: wall-clock and CPU time, the process's resident
   high-water mark (reset before the run, /proc/self/clear_refs), and in a second run the peak
   of Python's memory under tracemalloc; the rows, the files' sizes and the queries;
3. adds ``bench.pages``'s benchmark plan of ``--indicators`` indicators × ``--years`` years
   (``bench.pages.create_plan``: its published values) and measures again, so that the two
   sizes show whether time and memory grow with the data;
4. writes "## Open-data export" in BENCHMARKS.md (only that section), drops the database (unless
   ``--keep-db``) and exits non-zero when a goal is missed: the larger export under 60 s, and
   its Python peak under 100 MB (memory must not follow the rows: the section gives both ratios).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    OUTPUT,
    clean_up,
    measured_line,
    pg_port,
    recreate_database,
    server_env,
    server_version,
    write_section,
)

SECTION_TITLE = "## Open-data export"
DB_NAME = "civitas_bench_opendata"
DB_USER = "civitas_bench_opendata"  # a role of its own: it may run while another benchmark does
GOAL_SECONDS = 60.0
GOAL_PEAK_BYTES = 100 * 1024 * 1024
CLEAR_REFS, STATUS = Path("/proc/self/clear_refs"), Path("/proc/self/status")


@dataclass(frozen=True)
class Export:
    label: str
    rows: int  # over every dataset (each written in three formats)
    files: int
    bytes: dict[str, int]  # by format
    seconds: float
    cpu_seconds: float
    queries: int
    rss_before: int
    rss_peak: int  # bytes; the process's resident high-water mark during the run
    python_peak: int  # bytes; tracemalloc's peak in a second run


def _status_bytes(name: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> bool:
    try:
        CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def export_all(folder: Path) -> tuple[int, int, dict[str, int]]:
    """Every dataset of the installation in every format into ``folder``: (rows, files, bytes by
    format). The downloads' own writers, as the views call them."""
    # Imported here because Django is set up only once the benchmark's database exists.
    from civitas.opendata import exports
    from civitas.opendata.datasets import DATASETS

    rows, files, sizes = 0, 0, dict.fromkeys(exports.FORMATS, 0)
    for dataset in DATASETS:
        for fmt in exports.FORMATS.values():
            path = folder / f"{dataset.slug}.{fmt.slug}"
            if fmt is exports.XLSX:
                with path.open("wb") as out:
                    exports.xlsx_file([dataset], None, stream=out)
            else:
                stream = exports.csv_stream if fmt is exports.CSV else exports.jsonl_stream
                with path.open("w", encoding="utf-8") as out:
                    for line in stream(dataset, None):
                        out.write(line)
                        if fmt is exports.JSONL:
                            rows += 1
            sizes[fmt.slug] += path.stat().st_size
            files += 1
            path.unlink()
    return rows, files, sizes


def measure(label: str) -> Export:
    # Imported here because Django is set up only once the benchmark's database exists.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with tempfile.TemporaryDirectory(prefix="civitas-bench-opendata-") as name:
        folder = Path(name)
        reset = _reset_peak()
        rss_before = _status_bytes("VmRSS")
        start, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            rows, files, sizes = export_all(folder)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        rss_peak = (
            _status_bytes("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        )
        tracemalloc.start()
        try:
            export_all(folder)
            python_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return Export(
        label, rows, files, sizes, seconds, cpu_seconds, len(queries), rss_before, rss_peak, python_peak
    )


def _mb(value: int) -> str:
    return f"{value / 1e6:.1f} MB"


def section(exports: list[Export], command: str, database: str, load: float) -> str:
    lines = [
        SECTION_TITLE,
        "",
        measured_line(
            command, f", PostgreSQL {database} on this machine, load average {load:.1f} at the start"
        ),
        "",
        "Every open dataset of the whole installation (`civitas/opendata/datasets.py`) in CSV, XLSX and "
        "JSON Lines, written by the downloads' own writers to files, in one process (no server). CSV "
        "and JSON Lines are what the downloads stream; XLSX is written row by row (openpyxl write-only) "
        "to a file. The resident peak is the process's high-water mark during the export (Django and "
        'the libraries loaded before it: see "before"); the Python peak is tracemalloc\'s in a second '
        "run.",
        "",
        "| data | rows (each in 3 formats) | files | CSV | XLSX | JSON Lines | time | CPU | queries "
        "| resident peak | Python peak |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in exports:
        lines.append(
            f"| {e.label} | {e.rows:,} | {e.files} | {_mb(e.bytes['csv'])} | {_mb(e.bytes['xlsx'])} "
            f"| {_mb(e.bytes['jsonl'])} | **{e.seconds:.2f} s** | {e.cpu_seconds:.2f} s | {e.queries} "
            f"| {_mb(e.rss_peak)} (before {_mb(e.rss_before)}) | **{_mb(e.python_peak)}** |"
        )
    small, large = exports[0], exports[-1]
    lines += [
        "",
        f"Goals: the larger export under {GOAL_SECONDS:.0f} s ({'met' if large.seconds < GOAL_SECONDS else '**missed**'}); "
        f"its Python peak under {GOAL_PEAK_BYTES / 1024 / 1024:.0f} MB "
        f"({'met' if _memory_met(small, large) else '**missed**'}): {large.rows / max(small.rows, 1):.1f} times the rows, "
        f"{large.python_peak / max(small.python_peak, 1):.2f} times the Python peak.",
    ]
    if large.seconds > 1.3 * large.cpu_seconds:
        lines.append(
            f"The larger export waited for the machine: {large.cpu_seconds:.1f} s of CPU in {large.seconds:.1f} s "
            "(the rest: PostgreSQL and the other processes on the machine; see the load average)."
        )
    return "\n".join(lines) + "\n"


def _memory_met(small: Export, large: Export) -> bool:
    return large.python_peak < GOAL_PEAK_BYTES


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=2000)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    command = ("python -m bench.opendata " + " ".join(argv if argv is not None else sys.argv[1:])).strip()
    load = os.getloadavg()[0]  # other work on the machine slows the wall-clock time, not the CPU time

    port = pg_port()
    database_url = recreate_database(port, DB_NAME, DB_USER)
    var_dir = Path(tempfile.mkdtemp(prefix="civitas-bench-opendata-"))
    env = server_env(database_url, var_dir)  # the production settings: DEBUG off
    os.environ.update({k: v for k, v in env.items() if k != "LOG_LEVEL"})
    exports: list[Export] = []
    try:
        import django

        django.setup()
        # Imported here because Django is set up only now, on the benchmark's database.
        from django.core.management import call_command

        from bench.pages import create_plan
        from civitas.demo.services import demo_load

        call_command("migrate", interactive=False, verbosity=0)
        demo_load()
        exports.append(measure("the Sopot demo"))
        print(exports[-1], flush=True)
        create_plan(args.indicators, args.years)
        exports.append(measure(f"the demo and a plan of {args.indicators} indicators × {args.years} years"))
        print(exports[-1], flush=True)
        write_section(Path(args.output), SECTION_TITLE, section(exports, command, server_version(), load))
    finally:
        clean_up(None, port, None if args.keep_db else DB_NAME, var_dir)
    small, large = exports[0], exports[-1]
    if large.seconds >= GOAL_SECONDS or not _memory_met(small, large):
        print("Goals missed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
