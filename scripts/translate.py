"""Fill zh_Hans translations: `python scripts/translate.py PO_FILE TRANSLATIONS.json`.

TRANSLATIONS.json maps each English msgid to its Chinese text (for plurals, a list of forms).
Prints the msgids that are still untranslated, so nothing is left behind unnoticed.
"""

import json
import sys

import polib


def main(po_path: str, translations_path: str) -> int:
    po = polib.pofile(po_path)
    with open(translations_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    for entry in po:
        value = translations.get(entry.msgid)
        if value is None:
            continue
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(po_path)
    missing = [entry.msgid for entry in po if not entry.translated() and not entry.obsolete]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
