"""The annual report's documents, rendered in this process: ``python -m bench.reports``.

    .venv/bin/python -m bench.reports [--indicators 300] [--figures 50] [--output BENCHMARKS.md]

What it does:

1. builds the report Documents to measure (``documents``): a synthetic annual report of
   ``--indicators`` indicators (default 300: a table row each, in tables of 25 under their
   priorities, and a line chart for every sixth, ``--figures`` charts at most, default 50) in
   Bulgarian;
2. renders each as DOCX and as PDF (``measure``, the unit measured: one Document in, its times
   and memory out), first untraced for the time, then again under tracemalloc for the peak of
   Python's memory (WeasyPrint's and cairo's own C allocations are not in it: the process's
   resident high-water mark is given beside);
3. writes "## Reports" in BENCHMARKS.md (only that section) and exits non-zero when a goal is
   missed: DOCX under 10 s, PDF under 30 s.

Nothing here needs a database or a server.
"""

import argparse
import io
import os
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from bench.common import OUTPUT, measured_line, write_section

SECTION_TITLE = "## Reports"
GOAL_DOCX_SECONDS = 10.0
GOAL_PDF_SECONDS = 30.0


@dataclass(frozen=True)
class Measurement:
    label: str
    blocks: int
    tables: int
    rows: int
    figures: int
    docx_seconds: float
    docx_cpu_seconds: float
    docx_peak_bytes: int
    docx_bytes: int
    pdf_seconds: float
    pdf_cpu_seconds: float
    pdf_peak_bytes: int
    pdf_bytes: int
    pdf_pages: int

    @property
    def within_goals(self) -> bool:
        return self.docx_seconds < GOAL_DOCX_SECONDS and self.pdf_seconds < GOAL_PDF_SECONDS


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


def documents(args) -> list:
    """(label, Document) of every report measured. The data assembly's benchmark adds the Sopot
    demo's report and the largest benchmark plan's here, built from a database."""
    return [
        (
            f"synthetic: {args.indicators} indicators, {args.figures} charts",
            synthetic_report(args.indicators, figures=args.figures),
        )
    ]


def _timed(render, document) -> tuple[float, float, bytes]:
    """Wall-clock and CPU seconds of one rendering, and the file."""
    start, cpu = time.perf_counter(), time.process_time()
    result = render(document)
    return time.perf_counter() - start, time.process_time() - cpu, result


def _peak(render, document) -> int:
    tracemalloc.start()
    try:
        render(document)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(label: str, document, *, trace: bool = True) -> Measurement:
    """Render one Document as DOCX and PDF: the time of each (untraced), the peak of Python's
    memory of each (a second run under tracemalloc; 0 without ``trace``), the files' sizes and
    the PDF's pages."""
    from pypdf import PdfReader

    from civitas.reports.document import Figure, Table
    from civitas.reports.render import render_docx, render_pdf

    docx_seconds, docx_cpu_seconds, docx = _timed(render_docx, document)
    pdf_seconds, pdf_cpu_seconds, pdf = _timed(render_pdf, document)
    tables = [block for block in document.blocks if isinstance(block, Table)]
    return Measurement(
        label=label,
        blocks=len(document.blocks),
        tables=len(tables),
        rows=sum(len(table.rows) for table in tables),
        figures=sum(isinstance(block, Figure) for block in document.blocks),
        docx_seconds=docx_seconds,
        docx_cpu_seconds=docx_cpu_seconds,
        docx_peak_bytes=_peak(render_docx, document) if trace else 0,
        docx_bytes=len(docx),
        pdf_seconds=pdf_seconds,
        pdf_cpu_seconds=pdf_cpu_seconds,
        pdf_peak_bytes=_peak(render_pdf, document) if trace else 0,
        pdf_bytes=len(pdf),
        pdf_pages=len(PdfReader(io.BytesIO(pdf)).pages),
    )


def section(measurements: list[Measurement], command: str, load: float) -> str:
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        SECTION_TITLE,
        "",
        measured_line(command, f"; load average {load:.1f} at the start (the machine is shared)"),
        "",
        f"Goals: DOCX under {GOAL_DOCX_SECONDS:.0f} s, PDF under {GOAL_PDF_SECONDS:.0f} s "
        "(`civitas.reports.render`, in one process, no database). Peak: Python's memory under "
        "tracemalloc in a second run; WeasyPrint's and cairo's C allocations are not in it. "
        "Time: wall clock (the goals), with the process's CPU time in brackets, which depends "
        "less on what else the shared machine runs.",
        "",
        "| document | tables (rows) | figures | DOCX | DOCX peak | DOCX size | PDF | PDF peak | PDF pages (size) | goals |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in measurements:
        lines.append(
            f"| {m.label} | {m.tables} ({m.rows}) | {m.figures} | {m.docx_seconds:.2f} s ({m.docx_cpu_seconds:.2f} s) | "
            f"{m.docx_peak_bytes / 1e6:.0f} MB | {m.docx_bytes / 1e6:.1f} MB | {m.pdf_seconds:.2f} s ({m.pdf_cpu_seconds:.2f} s) | "
            f"{m.pdf_peak_bytes / 1e6:.0f} MB | {m.pdf_pages} ({m.pdf_bytes / 1e6:.1f} MB) | "
            f"{'met' if m.within_goals else '**missed**'} |"
        )
    lines += ["", f"The process's resident high-water mark after all of them: {rss_mb:.0f} MB.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--figures", type=int, default=50)
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civitas.settings")
    os.environ.setdefault("CIVITAS_LOCAL_KEY", "1")
    import django

    django.setup()
    load = os.getloadavg()[0]
    measurements = []
    for label, document in documents(args):
        m = measure(label, document)
        print(
            f"{label}: DOCX {m.docx_seconds:.2f} s, CPU {m.docx_cpu_seconds:.2f} s (peak "
            f"{m.docx_peak_bytes / 1e6:.0f} MB), PDF {m.pdf_seconds:.2f} s, CPU {m.pdf_cpu_seconds:.2f} s "
            f"(peak {m.pdf_peak_bytes / 1e6:.0f} MB, {m.pdf_pages} pages)",
            flush=True,
        )
        measurements.append(m)
    command = "python -m bench.reports " + " ".join(argv if argv is not None else sys.argv[1:])
    write_section(Path(args.output), SECTION_TITLE, section(measurements, command.strip(), load))
    missed = [m.label for m in measurements if not m.within_goals]
    if missed:
        print(f"Goals missed: {missed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
