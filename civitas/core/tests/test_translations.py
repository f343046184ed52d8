"""Every interface string has its Bulgarian translation, and the compiled catalogues are current."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("**/locale/bg/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert any(path.parent.parent.parent.parent == ROOT for path in CATALOGUES), "civitas/locale is missing"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated(path):
    po = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches(path):
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    source = polib.pofile(str(path))
    expected = {e.msgid: e.msgstr or e.msgstr_plural.get(0, "") for e in source.translated_entries()}
    found = {e.msgid: e.msgstr or e.msgstr_plural.get(0, "") for e in compiled if e.msgid}
    assert found == expected, f"{path.with_suffix('.mo')} is out of date: run `make messages`"
