"""How imported posts read compared with a plain markdown-it rendering of their source files.

The reference is markdown-it (as VitePress configures it: raw HTML and bare links on) applied to
the post's original file, front matter removed. Both renderings are reduced to what a reader
sees: the text of each block (headings, paragraphs and bare text, list items, quotes, code,
table cells), in order, with the block kinds; formulas count as one "[math]" each (MathJax in
the old blog, MathML here), images by their alternative text. What the blog adds around
components (the speaker's name over a chat bubble, a player's title) and what the old blog's
HTML hid (`<script>`, `<style>`) are left out. A post "shows a difference" when the two reductions
are not equal.

`manage.py compare_blog_rendering <checkout>` prints the number and each post's first difference.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .importer import parse_front_matter
from .models import Post

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "p"}
HIDDEN = {"script", "style", "template", "audio", "video"}  # a player's fallback text is not shown
COMPONENT_LABELS = {
    "chat-name",
    "chat-avatar",
    "media-title",
    "media-subtitle",
    "media-note",
    "toc",
}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self.stack: list[str] = []
        self.hidden = 0
        self.math = 0
        self.text: list[str] = []

    def _flush(self):
        text = " ".join("".join(self.text).split())
        if text:
            kind = next((tag for tag in reversed(self.stack) if tag in BLOCKS - {"p"}), "text")
            self.items.append((kind, text))
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        void = tag in {"img", "br", "hr", "input", "source", "mspace", "none", "mprescripts"}
        if self.hidden or tag in HIDDEN or classes & COMPONENT_LABELS:
            if not void:
                self.hidden += 1
                self.stack.append(tag)
            return
        if self.math or tag == "math" or classes & {"math"}:
            if not self.math:
                self.text.append(" [math] ")
            if not void:
                self.math += 1
                self.stack.append(tag)
            return
        # The old blog's <Message> components are bubbles of their own (blocks).
        if tag in BLOCKS or tag in {"br", "div", "figure", "tr", "ul", "ol", "table", "hr"} | {
            "message",
            "messagebox",
        }:
            self._flush()
        if tag == "img" and not self.math:
            self.text.append(f" [image {attrs.get('alt') or ''}] ")
        if not void:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if self.hidden:
                self.hidden -= 1
            elif self.math:
                self.math -= 1
            elif open_tag in BLOCKS or open_tag in {"div", "figure", "tr", "table", "message"}:
                self._flush()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.hidden and not self.math:
            self.text.append(data)

    def close(self):
        super().close()
        self._flush()


def reading(html: str) -> list[tuple[str, str]]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.items


def reference_parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": True, "linkify": True, "typographer": False})
    md.use(dollarmath_plugin, double_inline=True, allow_space=False, allow_digits=False)
    return md


@dataclass
class Difference:
    slug: str
    ours: tuple[str, str] | None
    reference: tuple[str, str] | None


def compare_post(post: Post, source: str, md: MarkdownIt) -> Difference | None:
    _meta, body = parse_front_matter(source.replace("\r\n", "\n"))
    body = re.sub(r"<!--\s*more\s*-->", "", body, flags=re.I)
    body = re.sub(r"^\[\[toc\]\]\s*$", "", body, flags=re.M | re.I)  # VitePress's own
    reference = reading(md.render(body))
    ours = reading(post.body_html)
    if ours == reference:
        return None
    for index in range(max(len(ours), len(reference))):
        mine = ours[index] if index < len(ours) else None
        theirs = reference[index] if index < len(reference) else None
        if mine != theirs:
            return Difference(post.slug, mine, theirs)
    return None


def compare_checkout(checkout) -> tuple[int, list[Difference]]:
    """(posts compared, the posts that differ)."""
    root = Path(checkout)
    md = reference_parser()
    differences, compared = [], 0
    for post in Post.objects.exclude(source_path="").order_by("slug"):
        path = root / post.source_path
        if not path.is_file():
            continue
        compared += 1
        difference = compare_post(post, path.read_text(encoding="utf-8-sig"), md)
        if difference:
            differences.append(difference)
    return compared, differences
