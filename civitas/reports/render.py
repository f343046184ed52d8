"""A report Document written out: as DOCX (``word``), as PDF (``pdf``, WeasyPrint) and as an HTML
fragment for its portal page. All three number the sections, tables and figures the same way
(``document.numbered_blocks``) and write their labels ("Table", "Contents", "Page") in the
document's language, whatever language the request or the task runs in."""

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from civitas.core.charts import ShareBar, chart_table, render_definition

from .document import (
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    figure_legend,
    heading_text,
    numbered_blocks,
)
from .document import paragraphs as split_paragraphs


def labels(language: str) -> dict[str, str]:
    """The words a document writes besides its own text, in its language."""
    with translation.override(language):
        return {
            "contents": _("Contents"),
            "table": _("Table %(number)s"),
            "figure": _("Figure %(number)s"),
            "page_of": _("Page %(page)s of %(pages)s"),
            "warning": _("Warning"),
            "figure_data": _("The figure's data"),
            "period": _("Period"),
            "category": _("Category"),
            "value": _("Value"),
            "total": _("Total"),
        }


def table_of_contents(document: Document) -> list[tuple[str, str, int]]:
    """The document's sections and subsections: (number, text, level), e.g. ("1", "…", 1),
    ("1.1", "…", 2); the documents write them "1. …" and "1.1 …"."""
    return [
        (item.number, item.block.text, item.block.level)
        for item in numbered_blocks(document)
        if isinstance(item.block, Heading)
    ]


def render_docx(document: Document) -> bytes:
    # Imported here: python-docx and cairo are loaded by the task that makes a file, not by every
    # web process that imports the pages (which need only render_html).
    from . import word

    return word.write_docx(document, numbered_blocks(document), labels(document.language))


def render_pdf(document: Document) -> bytes:
    # Imported here: WeasyPrint takes over a second to import and loads Pango; only the task that
    # makes a file needs it, not every web process that imports the pages.
    from . import pdf

    return pdf.write_pdf(document, numbered_blocks(document), labels(document.language))


# The portal page's fragment ---------------------------------------------------------------------


def render_html(document: Document, *, with_title: bool = True) -> SafeString:
    """The document as an HTML fragment in GOV.UK Frontend's classes, every text escaped: its title
    (``with_title``: as the page's h1), the notice, the contents linking to the sections, the
    sections (h2, h3), the tables and the figures (their SVG and, under it, their numbers in a
    table). Anchors start with "report-" so they do not meet the page's own."""
    words = labels(document.language)
    numbered = numbered_blocks(document)
    out = [f'<div class="civitas-report" lang="{escape(document.language)}">']
    if with_title:
        out.append(f'<span class="govuk-caption-l">{escape(document.municipality)}</span>')
        out.append(f'<h1 class="govuk-heading-xl">{escape(document.title)}</h1>')
        if document.subtitle:
            out.append(f'<p class="govuk-body-l">{escape(document.subtitle)}</p>')
        out.append(f'<p class="govuk-body">{escape(document.date_line)}</p>')
    if document.notice:
        out.append(
            '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>'
            f'<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">'
            f"{escape(words['warning'])}</span>{escape(document.notice)}</strong></div>"
        )
    headings = [item for item in numbered if isinstance(item.block, Heading)]
    if headings:
        out.append(
            '<nav class="civitas-report__contents" aria-labelledby="report-contents">'
            f'<h2 class="govuk-heading-m" id="report-contents">{escape(words["contents"])}</h2>'
            '<ul class="govuk-list">'
        )
        for item in headings:
            assert isinstance(item.block, Heading)
            level = " civitas-report__contents-sub" if item.block.level == 2 else ""
            out.append(
                f'<li class="civitas-report__contents-item{level}"><a class="govuk-link" '
                f'href="#report-{item.anchor}">{escape(heading_text(item.number, item.block.text))}</a></li>'
            )
        out.append("</ul></nav>")
    for item in numbered:
        block = item.block
        if isinstance(block, Heading):
            tag, size = ("h2", "l") if block.level == 1 else ("h3", "m")
            out.append(
                f'<{tag} class="govuk-heading-{size}" id="report-{item.anchor}">'
                f"{escape(heading_text(item.number, block.text))}</{tag}>"
            )
        elif isinstance(block, Paragraph):
            out.append(_html_paragraphs(block))
        elif isinstance(block, Table):
            caption = f"{words['table'] % {'number': item.number}}. {block.caption}"
            out.append(
                _html_table(caption, block.columns, block.rows, block.numeric, dom_id=f"report-{item.anchor}")
            )
        elif isinstance(block, Figure):
            out.append(_html_figure(block, item.number, item.anchor, words))
    out.append("</div>")
    return mark_safe("".join(out))


def _html_paragraphs(block: Paragraph) -> str:
    css = {"body": "govuk-body", "note": "govuk-body-s civitas-report__note", "warning": "govuk-body"}
    body = "".join(
        f'<p class="{css[block.style]}">{"<br>".join(escape(line) for line in lines)}</p>'
        for lines in split_paragraphs(block.text)
    )
    return f'<div class="govuk-inset-text">{body}</div>' if block.style == "warning" else body


def _html_table(caption: str, columns, rows, numeric, *, dom_id: str) -> str:
    numeric_class = " govuk-table__header--numeric"
    head = "".join(
        f'<th scope="col" class="govuk-table__header{numeric_class if i in numeric else ""}">{escape(text)}</th>'
        for i, text in enumerate(columns)
    )
    body = "".join(
        '<tr class="govuk-table__row">'
        + "".join(
            (
                f'<th scope="row" class="govuk-table__header">{escape(text)}</th>'
                if i == 0
                else f'<td class="govuk-table__cell{" govuk-table__cell--numeric" if i in numeric else ""}">'
                f"{escape(text)}</td>"
            )
            for i, text in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="civitas-table-scroll" role="region" aria-labelledby="{dom_id}-caption" tabindex="0">'
        f'<table class="govuk-table" id="{dom_id}">'
        f'<caption class="govuk-table__caption govuk-table__caption--s" id="{dom_id}-caption">'
        f"{escape(caption)}</caption>"
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{body}</tbody></table></div>'
    )


def figure_data(block: Figure, words: dict[str, str]):
    """The figure's numbers as (columns, rows) under translated headings."""
    x_heading = words["category"] if isinstance(block.chart, ShareBar) else words["period"]
    return chart_table(
        block.chart, x_heading=x_heading, value_heading=words["value"], total_heading=words["total"]
    )


def _html_figure(block: Figure, number: str, anchor: str, words: dict[str, str]) -> str:
    caption = f"{words['figure'] % {'number': number}}. {block.caption}"
    columns, rows = figure_data(block, words)
    legend = figure_legend(block)
    return (
        f'<figure class="civitas-report__figure" id="report-{anchor}">'
        f"{render_definition(block.chart, dom_id=f'report-{anchor}-chart')}"
        f'<figcaption class="govuk-body-s govuk-!-font-weight-bold">{escape(caption)}</figcaption>'
        + (f'<p class="govuk-body-s">{escape(legend)}</p>' if legend else "")
        + '<details class="govuk-details"><summary class="govuk-details__summary">'
        f'<span class="govuk-details__summary-text">{escape(words["figure_data"])}</span></summary>'
        f'<div class="govuk-details__text">'
        f"{_html_table(caption, columns, rows, frozenset(range(1, len(columns))), dom_id=f'report-{anchor}-data')}"
        "</div></details></figure>"
    )
