"""The report's documents opened as a reader would: the DOCX with python-docx (headings in Word's
styles, numbered; tables and their cells; the charts as images; captions; the contents; header
and footer), the PDF's text with pypdf (the same headings, cells, the notice, the contents' page
numbers, the running header), and the portal's HTML fragment (escaped, anchored, charts with
their numbers)."""

import dataclasses
import io
import os
import re
import subprocess
import sys

import docx
import pytest
from django.utils import translation
from django.utils.translation import gettext
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from civitas.core.charts import Chart, Columns, Part, Series, ShareBar, chart_table, render_definition
from civitas.reports.document import Document, Figure, Heading, Paragraph, Table
from civitas.reports.render import render_docx, render_html, render_pdf, table_of_contents
from civitas.reports.word import chart_png

from .samples import sopot_report

HEADINGS = [
    "1. Общи условия и социално-икономически промени",
    "2. Напредък по целите и приоритетите",
    "2.1 Приоритет 1: Устойчив туризъм",
    "3. Действия за осигуряване на ефективност и ефикасност",
    "4. Заключения и предложения",
]
NOTICE = "Стойностите на част от индикаторите все още очакват одобрение."


def english(document: Document) -> Document:
    return dataclasses.replace(document, language="en")


@pytest.fixture(scope="module")
def word_file():
    return docx.Document(io.BytesIO(render_docx(english(sopot_report()))))


@pytest.fixture(scope="module")
def pdf_pages():
    reader = PdfReader(io.BytesIO(render_pdf(english(sopot_report()))))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


# The document's numbering ---------------------------------------------------------------------


def test_table_of_contents_numbers_sections_and_subsections():
    assert table_of_contents(sopot_report()) == [
        ("1", "Общи условия и социално-икономически промени", 1),
        ("2", "Напредък по целите и приоритетите", 1),
        ("2.1", "Приоритет 1: Устойчив туризъм", 2),
        ("3", "Действия за осигуряване на ефективност и ефикасност", 1),
        ("4", "Заключения и предложения", 1),
    ]


def test_subsections_restart_in_each_section():
    document = Document(
        "T",
        "",
        "M",
        "en",
        "d",
        blocks=(Heading("A"), Heading("a", 2), Heading("b", 2), Heading("B"), Heading("c", 2)),
    )
    assert [n for n, _t, _l in table_of_contents(document)] == ["1", "1.1", "1.2", "2", "2.1"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Heading("x", level=3),
        lambda: Paragraph("x", style="shout"),
        lambda: Table("t", ("a", "b"), (("1",),)),
        lambda: Table("t", ("a",), (), numeric=frozenset({1})),
        lambda: Table("t", (), ()),
        lambda: Document("T", "", "M", "fr", "d"),
        lambda: Document("T", "", "M", "bg", "d", blocks=(Heading("a", 2),)),
    ],
)
def test_malformed_documents_are_refused(make):
    with pytest.raises(ValueError):
        make()


# DOCX -------------------------------------------------------------------------------------------


def test_docx_headings_are_words_heading_styles_numbered_in_order(word_file):
    headings = [(p.style.name, p.text) for p in word_file.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", HEADINGS[0]),
        ("Heading 1", HEADINGS[1]),
        ("Heading 2", HEADINGS[2]),
        ("Heading 1", HEADINGS[3]),
        ("Heading 1", HEADINGS[4]),
    ]


def test_docx_title_page_carries_municipality_title_date_and_notice(word_file):
    texts = [p.text for p in word_file.paragraphs[:6]]
    assert texts[0] == "ОБЩИНА СОПОТ"
    assert word_file.paragraphs[1].style.name == "Title"
    assert word_file.paragraphs[1].text.startswith("Годишен доклад за наблюдение на изпълнението")
    assert "Сопот, 31.03.2020" in texts
    notice = next(p for p in word_file.paragraphs if p.text == NOTICE)
    assert notice.style.name == "Civitas Warning"
    assert word_file.core_properties.title.startswith("Годишен доклад")


def test_docx_contents_are_a_toc_field_with_written_out_entries(word_file):
    body = word_file.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC ") for i in instructions)
    entries = [p.text for p in word_file.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert entries == HEADINGS
    contents = next(p for p in word_file.paragraphs if p.style.name == "TOC Heading")
    assert contents.text == "Contents"


def test_docx_tables_have_their_cells_numbered_captions_and_a_repeated_header_row(word_file):
    assert len(word_file.tables) == 3
    first = word_file.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["Индикатор", "Мярка", "2018", "2019"]
    assert [c.text for c in first.rows[2].cells] == ["Регистрирана безработица", "%", "4,6", "4,1"]
    assert first.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert first.rows[1]._tr.trPr is None or first.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert word_file.tables[1].rows[3].cells[4].text == "28"
    captions = [p.text for p in word_file.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Table 1. Контекстни индикатори",
        "Table 2. Индикатори за резултат към 31.12.2019 г.",
        "Figure 1. Нощувки в местата за настаняване, 2014–2020 г.",
        "Figure 2. Индикатори на плана по състояние към 31.12.2019 г.",
        "Table 3. Проекти по източник на финансиране",
        "Figure 3. Индикативна финансова таблица по години",
    ]
    instructions = [t.text.strip() for t in word_file.element.body.iter(qn("w:instrText"))]
    assert instructions.count("SEQ Table \\* ARABIC") == 3
    assert instructions.count("SEQ Figure \\* ARABIC") == 3


def test_numeric_columns_are_aligned_right(word_file):
    row = word_file.tables[0].rows[1]
    assert [c.paragraphs[0].alignment for c in row.cells][:1] == [None]
    assert str(row.cells[3].paragraphs[0].alignment) in ("RIGHT (2)", "RIGHT")


def test_docx_charts_are_images_and_share_bars_get_their_numbers_in_words(word_file):
    assert len(word_file.inline_shapes) == 3
    assert all(shape.width > 0 and shape.height > 0 for shape in word_file.inline_shapes)
    assert (
        word_file.inline_shapes[0]
        ._inline.docPr.get("descr")
        .startswith("Нощувки в местата за настаняване. 2014: 21")
    )
    assert "В срок: 9" in word_file.inline_shapes[1]._inline.docPr.get("descr")
    assert "В срок: 9; С риск: 3; Изоставащи: 2; Без данни: 1" in [p.text for p in word_file.paragraphs]


def test_docx_header_names_the_municipality_and_the_footer_numbers_pages(word_file):
    section = word_file.sections[0]
    assert section.header.paragraphs[0].text == "Община Сопот"
    assert section.different_first_page_header_footer
    footer = section.footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert re.fullmatch(r"Page 1 of 1", footer.text)


def test_docx_labels_are_in_the_documents_language_whatever_language_is_active():
    with translation.override("en"):
        word_file = docx.Document(io.BytesIO(render_docx(sopot_report())))
    with translation.override("bg"):
        table_label = gettext("Table %(number)s") % {"number": 1}
        contents = gettext("Contents")
    captions = [p.text for p in word_file.paragraphs if p.style.name == "Caption"]
    assert captions[0] == f"{table_label}. Контекстни индикатори"
    assert next(p for p in word_file.paragraphs if p.style.name == "TOC Heading").text == contents
    lang = word_file.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "bg-BG"


def test_docx_drops_characters_xml_cannot_carry():
    document = Document("Доклад\x0b", "", "М", "bg", "d", blocks=(Paragraph("ред\x01 текст"),))
    word_file = docx.Document(io.BytesIO(render_docx(document)))
    assert "ред текст" in [p.text for p in word_file.paragraphs]


# PDF --------------------------------------------------------------------------------------------


def test_pdf_title_page_has_the_notice_and_no_running_header(pdf_pages):
    first = pdf_pages[0]
    assert "ОБЩИНА СОПОТ" in first
    assert NOTICE in first
    assert "Сопот, 31.03.2020" in first
    assert "Page 1 of" not in first


def test_pdf_contents_give_each_heading_its_page(pdf_pages):
    contents = pdf_pages[1]
    assert contents.startswith("Община Сопот Contents") or "Contents" in contents
    for heading in HEADINGS:
        page = next(i + 1 for i, text in enumerate(pdf_pages[2:], start=2) if heading in text)
        assert re.search(re.escape(heading) + r" \.[. ]*" + str(page), contents), heading


def test_pdf_text_carries_headings_cells_captions_and_page_numbers(pdf_pages):
    text = " ".join(pdf_pages[2:])
    for heading in HEADINGS:
        assert heading in text
    for cell in ("Регистрирана безработица", "29 300", "Маркирани туристически маршрути, км", "1 250 000"):
        assert cell in text
    for caption in ("Table 1. Контекстни индикатори", "Figure 1. Нощувки в местата за настаняване"):
        assert caption in text
    total = len(pdf_pages)
    for number, page in enumerate(pdf_pages[1:], start=2):
        assert f"Page {number} of {total}" in page
        assert "Община Сопот" in page


def test_pdf_table_header_repeats_on_every_page_the_table_crosses():
    rows = tuple((f"Ред {i}", str(i)) for i in range(120))
    document = Document(
        "T", "", "М", "en", "d", blocks=(Heading("A"), Table("Дълга", ("Заглавие", "Число"), rows))
    )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(document))).pages[2:]]
    assert len(pages) >= 2
    assert all("Заглавие" in page for page in pages)
    assert "Ред 119" in pages[-1]


# HTML -------------------------------------------------------------------------------------------


def test_html_escapes_every_text():
    document = Document(
        "<script>alert(1)</script>",
        "a & b",
        "<b>М</b>",
        "en",
        "d",
        notice="<i>n</i>",
        blocks=(
            Heading("<h1>"),
            Paragraph("<img src=x onerror=alert(1)>"),
            Table("<t>", ("<c>",), (("<td>",),)),
            Figure("<f>", Chart("<svg>", "<d>", ("<x>",), (Series("<s>", (1.0,)),))),
        ),
    )
    html = render_html(document)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "<b>" not in html and "<i>" not in html and "<h1>" not in html
    assert "&lt;td&gt;" in html and "&lt;s&gt;" in html


def test_html_has_contents_linked_to_sections_tables_and_figures_with_their_numbers():
    html = render_html(sopot_report())
    for number, _text, _level in table_of_contents(sopot_report()):
        anchor = "report-section-" + number.replace(".", "-")
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert html.count('<figure class="civitas-report__figure"') == 3
    assert html.count("<svg") == 3
    assert 'class="govuk-warning-text"' in html and NOTICE in html
    assert html.count('<table class="govuk-table"') == 6  # three tables and each figure's numbers
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">31 050</td>' in html


def test_html_without_title_leaves_the_page_its_own_h1():
    html = render_html(sopot_report(), with_title=False)
    assert "<h1" not in html and 'id="report-section-1"' in html


# Charts: one definition drawn for the page, the PDF and (as PNG) the DOCX -------------------------


def test_chart_definitions_draw_svg_and_give_their_numbers():
    bar = ShareBar("Състояние", (Part("В срок", 2, "2"), Part("Изоставащи", 0, "0")))
    assert "<svg" in render_definition(bar, dom_id="b")
    assert chart_table(bar, x_heading="К", value_heading="С", total_heading="О") == (
        ("К", "С"),
        [("В срок", "2")],
    )
    columns = Columns(
        "Пари", "d", ("2018", "2019"), ((Part("ЕС", 5, "5 €"),), (Part("ЕС", 7, "7 €"),)), ("5 €", "7 €")
    )
    assert chart_table(columns, x_heading="Г", value_heading="С", total_heading="О") == (
        ("Г", "ЕС", "О"),
        [("2018", "5 €", "5 €"), ("2019", "7 €", "7 €")],
    )
    line = Chart("t", "d", ("2018", "2019"), (Series("s", (1.5, None)),))
    assert chart_table(line, x_heading="П", value_heading="", total_heading="") == (
        ("П", "s"),
        [("2018", "1.5"), ("2019", "")],
    )
    with pytest.raises(TypeError):
        render_definition("<svg/>", dom_id="x")  # type: ignore[arg-type]


def test_the_png_is_the_charts_svg_drawn_at_twice_its_size():
    png, ratio = chart_png(render_definition(Chart("t", "d", ("a",), (Series("s", (1.0,)),)), dom_id="c"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1440
    assert ratio == pytest.approx(340 / 720)


# The benchmark's unit ---------------------------------------------------------------------------


def test_the_benchmark_measures_a_document_as_docx_and_pdf():
    # Imported here: bench/ is a top-level package of the repository, not of civitas.
    from bench.reports import _peak, measure, section, synthetic_report

    document = synthetic_report(5, figures=1)
    m = measure("small", document, trace=False)  # WeasyPrint under tracemalloc takes seconds
    assert (m.tables, m.rows, m.figures) == (1, 5, 1)
    assert m.docx_seconds > 0 and m.pdf_seconds > 0 and m.pdf_pages >= 3 and m.docx_bytes > 0
    assert m.within_goals
    assert _peak(render_docx, document) > 0
    text = section([m], "python -m bench.reports", 0.5)
    assert text.startswith("## Reports\n") and "| small | 1 (5) | 1 |" in text


def test_the_pages_do_not_load_weasyprint_or_python_docx():
    # A fresh interpreter: in this one the other tests have loaded both.
    code = (
        "import django, sys; django.setup(); import civitas.reports.render; "
        "print('weasyprint' in sys.modules, 'docx' in sys.modules, 'cairosvg' in sys.modules)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "civitas.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    assert result.stdout.split() == ["False", "False", "False"]


def test_charts_without_a_background_are_laid_on_white_in_the_png():
    columns = Columns("Пари", "d", ("2018",), ((Part("ЕС", 5, "5 €"),),), ("5 €",))
    png, _ratio = chart_png(render_definition(columns, dom_id="c"))
    image = Image.open(io.BytesIO(png))
    assert image.getpixel((2, 2)) == (255, 255, 255)
