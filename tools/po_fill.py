"""Fill a gettext catalogue from a Python dict of translations (a maintainer's aid, not run by Civitas).

Usage: python tools/po_fill.py PO_FILE TRANSLATIONS.py
TRANSLATIONS.py defines T = {msgid: msgstr, (msgid, msgid_plural): (singular, plural),
"context\x04msgid": msgstr, ...}.
Entries already translated are kept unless the dict has them; prints the msgids still untranslated.
"""

import runpy
import sys

import polib


def main(po_path: str, table_path: str) -> int:
    table = runpy.run_path(table_path)["T"]
    po = polib.pofile(po_path)
    for entry in po:
        key = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
        if entry.msgctxt:
            key = f"{entry.msgctxt}\x04{entry.msgid}"
        if key in table:
            value = table[key]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    for msgid in missing:
        print("untranslated:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
