"""Plain text as people meant it, and text that documents and spreadsheets can hold safely.

Used wherever text typed by citizens or staff goes into storage (``plain``, or ``one_line`` for
titles and other one-line text) or into a download
(``csv_cell``, ``sheet_cell``): control characters pasted from word processors would break XLSX
and DOCX files, and a cell starting with "=" (or "+", "-", "@") would run as a formula in the
spreadsheet of whoever opens the export (CSV injection).
"""

import re

from django.utils.text import slugify
from openpyxl.cell import WriteOnlyCell

_LINE_BREAKS = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(text: str) -> str:
    """Line breaks that word processors paste (vertical tab, form feed, line and paragraph
    separators) become new lines; other invisible control characters are dropped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


# Bidirectional overrides and isolates: in a title they can make text read in another order
# than it is stored (the "Trojan Source" trick); titles never need them.
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """Text that must stay on one line, such as a title that becomes an e-mail subject: line
    breaks and tabs become spaces (a line break in a mail header would start a new header),
    other control characters are dropped, runs of spaces become one, and the ends are trimmed."""
    return " ".join(_BIDI_CONTROLS.sub("", plain(text)).split())


def clean(value):
    """A cell value with its text made plain; numbers and dates unchanged."""
    return plain(value) if isinstance(value, str) else value


def csv_cell(value):
    """A CSV cell that a spreadsheet shows as typed and never runs as a formula."""
    value = clean(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def sheet_cell(sheet, value):
    """An openpyxl write-only cell holding ``value``; text stays text even when it starts with "="."""
    cell = WriteOnlyCell(sheet, value=clean(value))
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


# The official Bulgarian transliteration (Закон за транслитерацията, 2009, art. 3): one Latin
# spelling per letter, except "ия" at the end of a word, which is written "ia" (София → Sofia).
_BG_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_IA_AT_WORD_END = re.compile(r"([иИ])([яЯ])\b")


def transliterate(text: str) -> str:
    """Bulgarian Cyrillic in Latin letters by the official transliteration (Щ → Sht, ъ → a,
    ю → yu, ия at the end of a word → ia); every other character is kept. A capital becomes a
    capital ("Жеравна" → "Zheravna"), all capitals stay so ("ЖК" → "ZHK")."""
    text = _IA_AT_WORD_END.sub(lambda m: ("I" if m[1].isupper() else "i") + ("A" if m[2].isupper() else "a"),
                               text or "")  # fmt: skip
    out = []
    for i, char in enumerate(text):
        latin = _BG_LATIN.get(char.lower())
        if latin is None:
            out.append(char)
        elif not char.isupper():
            out.append(latin)
        else:
            neighbours = text[max(i - 1, 0) : i] + text[i + 1 : i + 2]
            shouting = any(other.isalpha() and other.isupper() for other in neighbours)
            out.append(latin.upper() if shouting else latin.capitalize())
    return "".join(out)


_SEPARATORS = re.compile(r"[^\w\s-]+")


def slug_from(text: str, *, max_length: int = 80) -> str:
    """An address name from text in any script: Bulgarian transliterated, then Django's slugify
    (lower case, hyphens); "ПР-1" → "pr-1", and a dot, slash or other sign separates like a space:
    "ОПР-1.1" → "opr-1-1". Empty when nothing Latin or numeric remains."""
    return slugify(_SEPARATORS.sub(" ", transliterate(text)))[:max_length].strip("-")
