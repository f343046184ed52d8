"""A Document as a Word file (python-docx): Word's own heading and caption styles, a table of
contents that is both a TOC field (Word refreshes its page numbers) and written-out entries (so a
reader that updates no field, LibreOffice among them, shows it as it is), SEQ-numbered captions,
"Page N of M" in the footer, the municipality in the header, charts as PNG of their SVG."""

import datetime
import io
import re
from xml.sax.saxutils import escape as xml_escape

from cairosvg.parser import Tree
from cairosvg.surface import PNGSurface
from docx import Document as new_word_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from PIL import Image

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

FONT = "Arial"  # LibreOffice shows it in Liberation Sans, of the same metrics; both have Cyrillic
TEXT_WIDTH_CM = 16.0  # A4 less 2.5 cm margins
PNG_SCALE = 2  # the PNG at twice the SVG's size, sharp when printed
LINE_CHART_WIDTH = 720  # core.charts.render_svg's width
LANG_TAGS = {"bg": "bg-BG", "en": "en-GB"}
CELL_SIZE = 19  # half-points: 9.5 pt
RIGHT = '<w:jc w:val="right"/>'
NOTE_STYLE = "Civitas Note"
# Characters XML 1.0 cannot carry (python-docx refuses them): dropped, as a reader would not see them.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
WARNING_STYLE = "Civitas Warning"


def _t(text: str) -> str:
    return UNWRITABLE.sub("", text)


def write_docx(document: Document, numbered: list[Numbered], labels: dict[str, str]) -> bytes:
    word = new_word_document()
    _set_up_page(word)
    _set_up_styles(word, document.language)
    _header_and_footer(word, document, labels)
    _title_page(word, document)
    _contents(word, numbered, labels)
    for item in numbered:
        block = item.block
        if isinstance(block, Heading):
            word.add_heading(_t(heading_text(item.number, block.text)), level=block.level)
        elif isinstance(block, Paragraph):
            _paragraph(word, block)
        elif isinstance(block, Table):
            _caption(word, labels["table"], "Table", item.number, _t(block.caption), keep_with_next=True)
            _table(word, block)
        elif isinstance(block, Figure):
            _figure(word, block, item.number, labels)
    props = word.core_properties
    props.title, props.subject, props.author = (
        _t(document.title),
        _t(document.subtitle),
        _t(document.municipality),
    )
    props.language = LANG_TAGS[document.language]
    props.last_modified_by = "Civitas"
    props.created = props.modified = datetime.datetime.now(datetime.UTC)
    props.revision = 1
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# Page, styles, header and footer ----------------------------------------------------------------


def _set_up_page(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.different_first_page_header_footer = True  # the title page has neither


def _fonts(style, size: float | None = None, *, bold: bool | None = None, colour: str | None = None) -> None:
    """The style's font everywhere (Latin and Cyrillic alike), without the theme's fonts, which
    would take precedence in Word."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for which in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(which), FONT)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = RGBColor.from_string(colour)


def _set_up_styles(word, language: str) -> None:
    styles = word.styles
    normal = styles["Normal"]
    _fonts(normal, 11)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANG_TAGS[language])
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 26), ("Subtitle", 15), ("Heading 1", 16), ("Heading 2", 13)):
        _fonts(styles[name], size, colour="0B0C0C")
    _fonts(styles["Caption"], 10, bold=True, colour="0B0C0C")
    subtitle = styles["Subtitle"]
    subtitle.font.italic = False
    for spacing in subtitle.element.rPr.findall(qn("w:spacing")):  # the template's letter-spacing
        subtitle.element.rPr.remove(spacing)
    _fonts(styles["TOC Heading"], 16, colour="0B0C0C")
    for level in (1, 2):
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)  # Word's own TOC styles
        toc.base_style = normal
        toc.paragraph_format.left_indent = Cm(0.8 * (level - 1))
        toc.paragraph_format.space_after = Pt(3)
    note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    _fonts(note, 9.5, colour="505A5F")
    note.font.italic = True
    warning = styles.add_style(WARNING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    warning.base_style = normal
    _fonts(warning, 11, bold=True)
    _box(warning.element.get_or_add_pPr(), "D4351C")


def _box(ppr, colour: str) -> None:
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", colour)):
            edge.set(qn(f"w:{key}"), value)
        borders.append(edge)
    ppr.append(borders)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A field with its result already written (``shown``): readers that update no field show
    that, Word recomputes it."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = f" {instruction} "
            run._r.append(text)
        elif kind == "result":
            run.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _split(label: str, *names: str) -> list[str]:
    """A translated label cut at its placeholders: "Page %(page)s of %(pages)s" -> text, field,
    text, field, text (the placeholders' order kept as the translation has it)."""
    pieces, rest = [], label
    for name in names:
        before, _mark, rest = rest.partition(f"%({name})s")
        pieces += [before, name]
    return [*pieces, rest]


def _header_and_footer(word, document: Document, labels: dict[str, str]) -> None:
    section = word.sections[0]
    header = section.header.paragraphs[0]
    header.text = _t(document.municipality)
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.size = Pt(9)
    header.runs[0].font.color.rgb = RGBColor.from_string("505A5F")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in _split(labels["page_of"], "page", "pages"):
        if piece == "page":
            _field(footer, "PAGE", "1")
        elif piece == "pages":
            _field(footer, "NUMPAGES", "1")
        elif piece:
            footer.add_run(piece)
    for run in footer.runs:
        run.font.size = Pt(9)


# The title page and the contents ----------------------------------------------------------------


def _title_page(word, document: Document) -> None:
    municipality = word.add_paragraph(_t(document.municipality.upper()))
    municipality.runs[0].font.size = Pt(14)
    municipality.runs[0].bold = True
    municipality.paragraph_format.space_after = Pt(120)
    word.add_paragraph(_t(document.title), style="Title")
    if document.subtitle:
        word.add_paragraph(_t(document.subtitle), style="Subtitle")
    date_line = word.add_paragraph(_t(document.date_line))
    date_line.paragraph_format.space_before = Pt(24)
    if document.notice:
        notice = word.add_paragraph(_t(document.notice), style=WARNING_STYLE)
        notice.paragraph_format.space_before = Pt(36)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(word, numbered: list[Numbered], labels: dict[str, str]) -> None:
    word.add_paragraph(labels["contents"], style="TOC Heading")
    entries = [item for item in numbered if isinstance(item.block, Heading)]
    first = word.add_paragraph(style="toc 1")
    for kind in ("begin", "instr", "separate"):
        run = first.add_run()
        if kind == "instr":
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = ' TOC \\o "1-2" \\h \\z \\u '
            run._r.append(text)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    last = first
    for i, item in enumerate(entries):
        assert isinstance(item.block, Heading)
        paragraph = first if i == 0 else word.add_paragraph()
        paragraph.style = word.styles[f"toc {item.block.level}"]
        paragraph.add_run(_t(heading_text(item.number, item.block.text)))
        last = paragraph
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    last.add_run()._r.append(end)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# Blocks -----------------------------------------------------------------------------------------


def _paragraph(word, block: Paragraph) -> None:
    style = {"body": None, "note": NOTE_STYLE, "warning": WARNING_STYLE}[block.style]
    for lines in paragraphs(block.text):
        paragraph = word.add_paragraph(style=style)
        for i, line in enumerate(lines):
            run = paragraph.add_run(_t(line))
            if i < len(lines) - 1:
                run.add_break()


def _caption(word, label: str, sequence: str, number: str, caption: str, *, keep_with_next: bool) -> None:
    """ "Table 3. Caption" in Word's Caption style, the number a SEQ field (Word's captions, so that
    its lists of tables and figures find them)."""
    paragraph = word.add_paragraph(style="Caption")
    for piece in _split(label, "number"):
        if piece == "number":
            _field(paragraph, f"SEQ {sequence} \\* ARABIC", number)
        elif piece:
            paragraph.add_run(piece)
    paragraph.add_run(f". {caption}")
    paragraph.paragraph_format.keep_with_next = keep_with_next


def _table(word, block: Table) -> None:
    table = word.add_table(rows=1, cols=len(block.columns))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(TEXT_WIDTH_CM * share) for share in column_shares(block)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    _repeat_as_header(header._tr)
    for i, (cell, text) in enumerate(zip(header.cells, block.columns, strict=True)):
        _cell(cell, text, numeric=i in block.numeric, width=widths[i], bold=True)
        _shade(cell, "F3F2F1")
    # The body's rows written as XML at once: python-docx's cell by cell costs about a millisecond
    # a cell, seconds for a large plan's report.
    twips = [round(width.cm * 567) for width in widths]
    for row in block.rows:
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{twips[i]}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
            f'<w:spacing w:after="0"/>{RIGHT if i in block.numeric else ""}</w:pPr>'
            f'<w:r><w:rPr><w:sz w:val="{CELL_SIZE}"/></w:rPr><w:t xml:space="preserve">{xml_escape(_t(text))}</w:t>'
            "</w:r></w:p></w:tc>"
            for i, text in enumerate(row)
        )
        table._tbl.append(parse_xml(f"<w:tr {nsdecls('w')}><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>"))
    word.add_paragraph()  # room after the table; Word merges two adjacent tables otherwise


def _repeat_as_header(tr) -> None:
    properties = tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):  # the schema's order, which Word holds to
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def _cell(cell, text: str, *, numeric: bool, width: Cm, bold: bool = False) -> None:
    cell.width = width  # Word reads the cells' widths, LibreOffice the grid's: both are given
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(_t(text))
    run.font.size = Pt(CELL_SIZE / 2)
    if bold:
        run.bold = True
    paragraph.paragraph_format.space_after = Pt(0)
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", colour)):
        shading.set(qn(f"w:{key}"), value)
    cell._tc.get_or_add_tcPr().append(shading)


def chart_png(svg: str) -> tuple[bytes, float]:
    """The chart's SVG drawn by cairo at twice its size, as PNG, and its height over its width.
    Encoded by Pillow at low compression: cairo's own PNG costs twice as long for a file of the
    same order of size (the charts are flat colours)."""
    surface = PNGSurface(Tree(bytestring=svg.encode("utf-8")), None, 96, scale=PNG_SCALE).cairo
    surface.flush()
    width, height = surface.get_width(), surface.get_height()
    # cairo's pixels are premultiplied ("BGRa"); the charts without a background of their own
    # (share bars, columns) are laid on white, as on the page.
    image = Image.frombuffer(
        "RGBA", (width, height), bytes(surface.get_data()), "raw", "BGRa", surface.get_stride(), 1
    )
    image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", compress_level=1)
    return out.getvalue(), height / width


def _figure(word, block: Figure, number: str, labels: dict[str, str]) -> None:
    png, _ratio = chart_png(render_definition(block.chart, dom_id=f"figure-{number}"))
    # At one scale for every chart: a line chart's 720 units across the text's width, so that the
    # smaller charts (columns, share bars) keep the same size of lettering.
    svg_width = int.from_bytes(png[16:20], "big") / PNG_SCALE
    width = min(TEXT_WIDTH_CM, TEXT_WIDTH_CM * svg_width / LINE_CHART_WIDTH)
    picture = word.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    shape = picture.add_run().add_picture(io.BytesIO(png), width=Cm(width))
    legend = figure_legend(block)
    # The image's alternative text: the chart's title and its numbers in words.
    described = ". ".join(text for text in (block.chart.title, block.chart.description or legend) if text)
    shape._inline.docPr.set("descr", _t(described))
    _caption(word, labels["figure"], "Figure", number, _t(block.caption), keep_with_next=bool(legend))
    if legend:
        word.add_paragraph(_t(legend), style=NOTE_STYLE)
