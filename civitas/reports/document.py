"""A report as plain data: a title page's facts and a sequence of blocks (headings, paragraphs,
tables, figures). ``reports.render`` writes the same Document as DOCX, PDF and a portal page;
the numbering of sections, tables and figures is decided here, once, for all three."""

from dataclasses import dataclass

from civitas.core.charts import ChartDefinition, Columns, ShareBar, parts_text

LANGUAGES = ("bg", "en")
PARAGRAPH_STYLES = ("body", "note", "warning")


@dataclass(frozen=True)
class Heading:
    """A numbered section (level 1: "1. …") or subsection (level 2: "1.1 …")."""

    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if self.level not in (1, 2):
            raise ValueError(f"a heading's level is 1 or 2, not {self.level}")


@dataclass(frozen=True)
class Paragraph:
    """Plain text; "\\n\\n" separates paragraphs, "\\n" breaks a line. ``style``: "body", "note"
    (a remark in smaller type) or "warning" (set apart, in bold)."""

    text: str
    style: str = "body"

    def __post_init__(self) -> None:
        if self.style not in PARAGRAPH_STYLES:
            raise ValueError(f"a paragraph's style is one of {PARAGRAPH_STYLES}, not {self.style!r}")


@dataclass(frozen=True)
class Table:
    """A numbered table ("Table N. caption") of text cells; ``numeric``: the indexes of the
    columns aligned right (numbers and amounts)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        width = len(self.columns)
        if not width:
            raise ValueError(f"table {self.caption!r} has no columns")
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"table {self.caption!r}: a row of {len(row)} cells under {width} columns")
        if any(not 0 <= i < width for i in self.numeric):
            raise ValueError(f"table {self.caption!r}: a numeric column outside its {width} columns")


@dataclass(frozen=True)
class Figure:
    """A numbered figure ("Figure N. caption"): a chart definition of civitas.core.charts
    (Chart, ShareBar or Columns), drawn as SVG on the page and in the PDF and as PNG in the DOCX."""

    caption: str
    chart: ChartDefinition


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    municipality: str
    language: str  # "bg" | "en": the labels ("Table", "Contents", "Page") and the files' language
    date_line: str  # "Сопот, 31.03.2020"
    notice: str = ""  # shown prominently on the first page
    blocks: tuple[Block, ...] = ()

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"a document's language is one of {LANGUAGES}, not {self.language!r}")
        for block in self.blocks:
            if isinstance(block, Heading):
                if block.level == 2:
                    raise ValueError(f"subsection {block.text!r} comes before any section")
                break


@dataclass(frozen=True)
class Numbered:
    """A block with its number: "1" / "1.1" for headings, "3" for the third table or figure,
    "" for a paragraph; ``anchor``: its id, unique in the document ("section-1-1", "table-3")."""

    block: Block
    number: str
    anchor: str


def numbered_blocks(document: Document) -> list[Numbered]:
    """Every block with its number: sections and subsections as "1" and "1.1", tables and figures
    each counted through the whole document."""
    section = subsection = tables = figures = 0
    out = []
    for block in document.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                section, subsection = section + 1, 0
                number = str(section)
            else:
                subsection += 1
                number = f"{section}.{subsection}"
            out.append(Numbered(block, number, "section-" + number.replace(".", "-")))
        elif isinstance(block, Table):
            tables += 1
            out.append(Numbered(block, str(tables), f"table-{tables}"))
        elif isinstance(block, Figure):
            figures += 1
            out.append(Numbered(block, str(figures), f"figure-{figures}"))
        else:
            out.append(Numbered(block, "", ""))
    return out


def heading_text(number: str, text: str) -> str:
    """A heading as the documents write it: "1. Text" for a section, "1.1 Text" for a subsection."""
    return f"{number}. {text}" if "." not in number else f"{number} {text}"


def paragraphs(text: str) -> list[list[str]]:
    """A Paragraph's text as paragraphs, each a list of lines (blank paragraphs dropped)."""
    return [
        chunk.strip("\n").split("\n") for chunk in text.replace("\r\n", "\n").split("\n\n") if chunk.strip()
    ]


def figure_legend(block: Figure) -> str:
    """The words under a figure whose drawing has no legend of its own (a share bar, columns)."""
    chart = block.chart
    if isinstance(chart, ShareBar):
        return chart.description or parts_text(part for part in chart.parts if part.value > 0)
    if isinstance(chart, Columns):
        return chart.description
    return ""


def column_shares(table: Table) -> list[float]:
    """Each column's share of a table's width, the same in the DOCX and the PDF (whose tables
    are laid out fixed: measuring every cell's text costs WeasyPrint a third of a large report's
    time). Each column gets at least its longest word (bold in the header); the rest of the width
    is shared in proportion to how much more its longest text (counted up to 40 characters: it
    wraps) would want, so that a name column is wide and no code or number is cut."""
    text_width_cm, char_cm, padding_cm = 16.0, 0.2, 0.45  # A4's text, 9.5 pt Arial bold, a cell's margins
    least, wanted = [], []
    for i, heading in enumerate(table.columns):
        texts = (heading, *(row[i] for row in table.rows))
        longest_word = max((len(word) for text in texts for word in text.split()), default=1)
        least.append(longest_word * char_cm + padding_cm)
        wanted.append(max(least[-1], min(40, max(len(text) for text in texts)) * char_cm + padding_cm))
    if sum(wanted) <= text_width_cm:
        widths = wanted
    elif sum(least) >= text_width_cm:
        widths = least
    else:
        spare = text_width_cm - sum(least)
        more = sum(w - m for w, m in zip(wanted, least, strict=True))
        widths = [m + spare * (w - m) / more for w, m in zip(wanted, least, strict=True)]
    return [width / sum(widths) for width in widths]
