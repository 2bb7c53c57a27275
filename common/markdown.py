"""The site's one Markdown renderer.

Every piece of user or staff Markdown (posts, task descriptions, reports, reviews, statements)
goes through `render_markdown`, and callers store the result: nothing renders per request.
Python-Markdown passes raw HTML through, so the output is always sanitised with nh3 against an
explicit allow-list.
"""

import html
import re
import secrets
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

ALLOWED_TAGS = {
    "a", "abbr", "audio", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "source", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "video",
}  # fmt: skip
_HEADING_ATTRS = {"id"}
_CLASS = {"class"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id"},
    "abbr": {"title"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "video": {"src", "controls", "preload", "loop", "muted", "poster", "width", "height"},
    "source": {"src", "type"},
    "img": {"src", "alt", "title", "width", "height", "loading", "class"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "h1": _HEADING_ATTRS,
    "h2": _HEADING_ATTRS,
    "h3": _HEADING_ATTRS,
    "h4": _HEADING_ATTRS,
    "h5": _HEADING_ATTRS,
    "h6": _HEADING_ATTRS,
    "div": _CLASS,
    "span": _CLASS | {"title"},
    "code": _CLASS,
    "pre": _CLASS,
    "p": _CLASS,
    "figure": _CLASS,
    "li": _CLASS | {"id"},
    "sup": {"id"},
    "table": _CLASS,
}
URL_SCHEMES = {"http", "https", "mailto"}

# `$$…$$` blocks and `$…$` inline math are kept as text: Markdown must not turn `_` or `*`
# inside a formula into emphasis.
_MATH_RE = re.compile(
    r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?!\s)([^\n$]+?)(?<![\s\\])\$", re.S
)
TOC_MARKER = "[[toc]]"


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str  # the table of contents as a sanitised <ul>, "" when there are no headings


def _protect_math(text: str) -> tuple[str, dict[str, str]]:
    saved: dict[str, str] = {}

    def keep(match: re.Match) -> str:
        token = f"MATHTOKEN{secrets.token_hex(8)}X"
        block = match.group(1) is not None
        body = match.group(1) if block else match.group(2)
        css = "math math-display" if block else "math math-inline"
        delim = "$$" if block else "$"
        saved[token] = f'<span class="{css}">{html.escape(delim + body + delim)}</span>'
        return token

    return _MATH_RE.sub(keep, text), saved


def sanitize_html(raw: str) -> str:
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Rendered:
    """Markdown → sanitised HTML (tables, fenced code with Pygments classes, TOC, math as text)."""
    if not text:
        return Rendered(html="", toc="")
    text = text.replace("\r\n", "\n").replace("\x00", "")
    text, math = _protect_math(text)
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "codehilite", "toc", "sane_lists"],
        extension_configs={
            "codehilite": {"guess_lang": False, "css_class": "codehilite"},
            "toc": {"marker": TOC_MARKER, "slugify": slugify_unicode, "permalink": False},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    body = md.convert(text)
    for token, replacement in math.items():
        body = body.replace(token, replacement)
    toc = md.toc if getattr(md, "toc_tokens", None) else ""
    return Rendered(html=sanitize_html(body), toc=sanitize_html(toc))
