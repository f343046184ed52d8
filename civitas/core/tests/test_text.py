"""``one_line``: whatever is typed or pasted, the result is a single line without control
characters, so it can go into an e-mail header."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from civitas.core.text import one_line


def test_line_breaks_become_spaces_and_controls_are_dropped():
    assert one_line(" Тема\r\nBcc: x@example.org\t\x00\x07 ") == "Тема Bcc: x@example.org"
    assert one_line("ред\u2028ред\x0bред\x85ред") == "ред ред ред ред"
    assert one_line("\u202eобърнат\u202c текст") == "обърнат текст"
    assert one_line(None) == "" and one_line("\r\n") == ""


@given(st.text())
def test_any_text_becomes_one_clean_line(value):
    line = one_line(value)
    assert line.splitlines() in ([], [line])
    assert not any(unicodedata.category(char) == "Cc" for char in line)
    assert line == line.strip() and "  " not in line
    assert one_line(line) == line
