"""A Document as PDF: print HTML and CSS laid out by WeasyPrint. A4 pages, "Page N of M" at the
foot, the municipality at the head of every page but the title page, the contents with their page
numbers (target-counter), tables whose header row repeats on every page they cross, charts as
their SVG. The fonts are the system's DejaVu or Liberation (Debian's fonts-dejavu-core and
fonts-liberation), which have Cyrillic."""

from django.utils.html import escape
from weasyprint import HTML

from civitas.core.charts import render_definition

from .document import (
    Document,
    Figure,
    Heading,
    Numbered,
    Paragraph,
    Table,
    column_shares,
    figure_legend,
    heading_text,
    paragraphs,
)

CSS = """
@page {
  size: A4;
  margin: 24mm 20mm 22mm 25mm;
  @top-right { content: string(municipality); font-size: 8.5pt; color: #505a5f; }
  @bottom-center { content: PAGE_OF; font-size: 8.5pt; color: #505a5f; }
}
@page :first {
  @top-right { content: none; }
  @bottom-center { content: none; }
}
html { font-family: "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.4;
       color: #0b0c0c; }
body { margin: 0; }
.title-page { break-after: page; padding-top: 10mm; }
.municipality { string-set: municipality content(text); text-transform: uppercase; font-weight: bold;
                font-size: 13pt; letter-spacing: 0.04em; margin: 0 0 55mm; }
.title { font-size: 24pt; line-height: 1.2; margin: 0 0 8mm; bookmark-level: none; }
.subtitle { font-size: 14pt; color: #383f43; margin: 0 0 14mm; }
.date-line { font-size: 11pt; margin: 0; }
.notice { margin-top: 18mm; border: 2pt solid #d4351c; padding: 8pt 10pt; font-weight: bold; }
.contents { break-after: page; }
.contents h2 { font-size: 16pt; margin: 0 0 8mm; bookmark-level: none; }
.contents ul { list-style: none; margin: 0; padding: 0; }
.contents li { margin: 0 0 3pt; }
.contents .toc-2 { margin-left: 8mm; }
.contents a { color: inherit; text-decoration: none; }
.contents a::after { content: leader('.') target-counter(attr(href), page); }
h1, h2 { break-after: avoid; line-height: 1.25; }
h1.section { font-size: 16pt; margin: 18pt 0 8pt; }
h2.subsection { font-size: 13pt; margin: 14pt 0 6pt; }
p { margin: 0 0 6pt; orphans: 2; widows: 2; }
p.note { font-size: 9pt; font-style: italic; color: #505a5f; }
.warning { border: 1.5pt solid #d4351c; padding: 6pt 8pt; margin: 0 0 8pt; font-weight: bold; }
.warning p:last-child { margin-bottom: 0; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 8.5pt; margin: 0 0 12pt; }
caption { caption-side: top; text-align: left; font-weight: bold; font-size: 9.5pt; padding: 0 0 4pt; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #b1b4b6; padding: 2.5pt 4pt; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
thead th { background: #f3f2f1; }
tr { break-inside: avoid; }
.number { text-align: right; }
figure { break-inside: avoid; margin: 10pt 0 12pt; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figure svg.civitas-chart, figure svg.civitas-share-bar { width: 100%; }
figcaption { font-weight: bold; font-size: 9.5pt; margin-top: 4pt; }
figure p.note { margin-top: 2pt; }
"""


def css_string(text: str) -> str:
    """Text as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def _page_of(label: str) -> str:
    """ "Page %(page)s of %(pages)s" as CSS content: "Page " counter(page) " of " counter(pages)."""
    before, _mark, rest = label.partition("%(page)s")
    middle, _mark, after = rest.partition("%(pages)s")
    pieces = [css_string(before), "counter(page)", css_string(middle), "counter(pages)", css_string(after)]
    return " ".join(piece for piece in pieces if piece != '""')


def print_html(document: Document, numbered: list[Numbered], labels: dict[str, str]) -> str:
    out = [
        f'<!DOCTYPE html><html lang="{escape(document.language)}"><head><meta charset="utf-8">'
        f'<meta name="author" content="{escape(document.municipality)}">'
        f"<title>{escape(document.title)}</title><style>{CSS.replace('PAGE_OF', _page_of(labels['page_of']))}</style>"
        '</head><body><section class="title-page">'
        f'<p class="municipality">{escape(document.municipality)}</p>'
        f'<h1 class="title">{escape(document.title)}</h1>'
    ]
    if document.subtitle:
        out.append(f'<p class="subtitle">{escape(document.subtitle)}</p>')
    out.append(f'<p class="date-line">{escape(document.date_line)}</p>')
    if document.notice:
        out.append(f'<p class="notice">{escape(document.notice)}</p>')
    out.append(f'</section><nav class="contents"><h2>{escape(labels["contents"])}</h2><ul>')
    for item in numbered:
        if isinstance(item.block, Heading):
            out.append(
                f'<li class="toc-{item.block.level}"><a href="#{item.anchor}">'
                f"{escape(heading_text(item.number, item.block.text))}</a></li>"
            )
    out.append("</ul></nav><main>")
    for item in numbered:
        block = item.block
        if isinstance(block, Heading):
            tag, css = ("h1", "section") if block.level == 1 else ("h2", "subsection")
            out.append(
                f'<{tag} class="{css}" id="{item.anchor}">{escape(heading_text(item.number, block.text))}</{tag}>'
            )
        elif isinstance(block, Paragraph):
            css = {"body": "", "note": ' class="note"', "warning": ""}[block.style]
            body = "".join(
                f"<p{css}>{'<br>'.join(escape(line) for line in lines)}</p>"
                for lines in paragraphs(block.text)
            )
            out.append(f'<div class="warning">{body}</div>' if block.style == "warning" else body)
        elif isinstance(block, Table):
            out.append(_table(block, item, labels))
        elif isinstance(block, Figure):
            legend = figure_legend(block)
            out.append(
                f'<figure id="{item.anchor}">{render_definition(block.chart, dom_id=item.anchor + "-chart")}'
                f"<figcaption>{escape(labels['figure'] % {'number': item.number})}. {escape(block.caption)}"
                "</figcaption>" + (f'<p class="note">{escape(legend)}</p>' if legend else "") + "</figure>"
            )
    out.append("</main></body></html>")
    return "".join(out)


def _table(block: Table, item: Numbered, labels: dict[str, str]) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        return (
            f'<{tag} class="number">{escape(text)}</{tag}>'
            if i in block.numeric
            else f"<{tag}>{escape(text)}</{tag}>"
        )

    head = "".join(cell("th", i, text) for i, text in enumerate(block.columns))
    body = "".join(
        "<tr>" + "".join(cell("td", i, text) for i, text in enumerate(row)) + "</tr>" for row in block.rows
    )
    columns = "".join(f'<col style="width: {share * 100:.2f}%">' for share in column_shares(block))
    return (
        f'<table id="{item.anchor}"><caption>{escape(labels["table"] % {"number": item.number})}. '
        f"{escape(block.caption)}</caption><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def write_pdf(document: Document, numbered: list[Numbered], labels: dict[str, str]) -> bytes:
    return HTML(string=print_html(document, numbered, labels)).write_pdf()
