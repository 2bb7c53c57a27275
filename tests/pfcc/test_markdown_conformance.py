"""The site's renderer against the CommonMark spec and GitHub's extensions.

Every example of CommonMark 0.31.2 (652) and every example GFM 0.29 adds (tables, strikethrough,
task lists, autolinks, tag filter: 24) is rendered by the site's parser (before the sanitiser,
which is tested in test_markdown.py) and compared with the spec's HTML. Two of the site's
additions are normalised away because they only add markup: heading `id`s (anchors) and the
Pygments classes of highlighted code (the text must still be the same). Every other difference
is an exception listed below with its reason; the test fails when an exception disappears too,
so the list stays true.
"""

import json
import re
from pathlib import Path

import pytest

from common.markdown import render_unsafe

DATA = Path(__file__).parent / "markdown_spec"
COMMONMARK = json.loads((DATA / "commonmark-0.31.2.json").read_text(encoding="utf-8"))
GFM = json.loads((DATA / "gfm-0.29-extensions.json").read_text(encoding="utf-8"))

GFM_AUTOLINKS = (
    "GitHub's autolink extension is on: a bare URL or e-mail address is a link on GitHub, and "
    "so here; CommonMark alone leaves it as text."
)
COMMONMARK_EXCEPTIONS = {
    218: "markdown-it writes an empty block quote as <blockquote></blockquote>, without the "
    "newline inside (whitespace only, the same as markdown-it-py's own spec test allows).",
    239: "Same as 218: an empty block quote without the newline inside.",
    240: "Same as 218: an empty block quote without the newline inside.",
    602: GFM_AUTOLINKS,
    608: GFM_AUTOLINKS,
    611: GFM_AUTOLINKS,
    612: GFM_AUTOLINKS,
}
GFM_EXCEPTIONS = {
    279: "Task boxes are drawn as ☐/☑ characters, not <input> elements: form controls are "
    "not in the sanitiser's allow-list (the boxes cannot be ticked on GitHub either).",
    280: "Same as 279: task boxes as characters.",
    631: "An e-mail address with '_' in its local part is linked from after the '_' "
    "(mdit-py-plugins scans back only over text, and '_' is emphasis markup).",
    653: "The tag filter's job (<title>, <style>, <xmp>, … made harmless) is done by the "
    "sanitiser, which removes these elements instead of escaping them.",
}

HEADING_ID_RE = re.compile(r"(<h[1-6]) id=\"[^\"]*\"")
HIGHLIGHTED_RE = re.compile(r"<pre class=\"codehilite\">(.*?)</pre>", re.S)
SPAN_RE = re.compile(r"</?span[^>]*>")


def normalise(html: str) -> str:
    html = HEADING_ID_RE.sub(r"\1", html)
    return HIGHLIGHTED_RE.sub(lambda match: "<pre>" + SPAN_RE.sub("", match[1]) + "</pre>", html)


def rendered(example) -> str:
    return normalise(render_unsafe(example["markdown"])[0])


def test_the_spec_data_is_complete():
    assert len(COMMONMARK) == 652
    sections = {example["section"] for example in COMMONMARK}
    assert len(sections) == 26  # every block and inline rule of the spec
    assert {example["extension"] for example in GFM} == {
        "table",
        "tasklist",
        "strikethrough",
        "autolink",
        "tagfilter",
    }


@pytest.mark.parametrize("example", COMMONMARK, ids=lambda example: str(example["example"]))
def test_commonmark_example(example):
    number = example["example"]
    if number in COMMONMARK_EXCEPTIONS:
        assert rendered(example) != example["html"], f"{number} passes now: drop its exception"
    else:
        assert rendered(example) == example["html"]


@pytest.mark.parametrize("example", GFM, ids=lambda example: f"gfm-{example['example']}")
def test_github_extension_example(example):
    number = example["example"]
    if number in GFM_EXCEPTIONS:
        assert rendered(example) != example["html"], f"{number} passes now: drop its exception"
    else:
        assert rendered(example) == example["html"]


def test_exceptions_differ_only_as_explained():
    """The listed differences are the ones explained, not something else as well."""

    def by_number(examples, number):
        return next(example for example in examples if example["example"] == number)

    for number in (218, 239, 240):
        example = by_number(COMMONMARK, number)
        assert rendered(example) == example["html"].replace(
            "<blockquote>\n</blockquote>", "<blockquote></blockquote>"
        )
    for number in (602, 608, 611, 612):
        example = by_number(COMMONMARK, number)
        assert re.sub(r"</?a[^>]*>", "", rendered(example)) == example["html"]
    for number in (279, 280):
        example = by_number(GFM, number)
        plain = example["html"].replace('<input checked="" disabled="" type="checkbox">', "☑")
        plain = plain.replace('<input disabled="" type="checkbox">', "☐")
        assert re.sub(r"</?span[^>]*>|\sclass=\"[^\"]*\"", "", rendered(example)) == plain
    example = by_number(GFM, 653)
    assert "<title>" in rendered(example)  # left to the sanitiser (test_markdown.py)
