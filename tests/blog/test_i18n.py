from pathlib import Path

import polib

PO = (
    Path(__file__).resolve().parents[2]
    / "blog"
    / "locale"
    / "zh_Hans"
    / "LC_MESSAGES"
    / "django.po"
)


def test_every_blog_string_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    assert not po.metadata_is_fuzzy
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    empty = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]
    assert fuzzy == [] and empty == []
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1
