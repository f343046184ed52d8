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
    # Keyed by context and message: the same message may be translated apart in two contexts.
    expected = {
        (e.msgctxt or "", e.msgid): e.msgstr or e.msgstr_plural.get(0, "")
        for e in source.translated_entries()
    }
    found = {(e.msgctxt or "", e.msgid): e.msgstr or e.msgstr_plural.get(0, "") for e in compiled if e.msgid}
    assert found == expected, f"{path.with_suffix('.mo')} is out of date: run `make messages`"


def test_one_message_has_one_translation_across_apps():
    """Django merges every app's catalogue into one, and the first app listed wins: a message
    translated differently in two apps would change wording on the other app's pages. A message
    that must differ gets a context (pgettext)."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            key = (entry.msgctxt or "", entry.msgid)
            seen.setdefault(key, {})[str(path.relative_to(ROOT))] = entry.msgstr or entry.msgstr_plural.get(
                0, ""
            )
    conflicts = {key: found for key, found in seen.items() if len(set(found.values())) > 1}
    assert not conflicts, "translated differently in different catalogues: " + "; ".join(
        f"{key[1]!r}{' (' + key[0] + ')' if key[0] else ''}: {found}" for key, found in conflicts.items()
    )


def test_dates_and_times_read_as_bulgarian():
    import datetime

    from django.utils import formats, translation

    moment = datetime.datetime(2026, 12, 26, 20, 56)
    with translation.override("bg"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "26 декември 2026 г., 20:56 ч."
        assert formats.date_format(moment.date()) == "26 декември 2026 г."
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "26.12.2026 20:56"
    with translation.override("en"):
        # English too writes the day first (civitas/formats/en), as GOV.UK does.
        assert formats.date_format(moment, "DATETIME_FORMAT") == "26 December 2026, 20:56"
