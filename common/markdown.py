"""The site's one Markdown renderer.

Every piece of user or staff Markdown (posts, task descriptions, reports, reviews, statements,
e-mails) goes through `render_markdown`, and callers store the result: nothing renders per
request.

The parser is markdown-it-py, the Python port of the parser VitePress (the old blog) uses, so
posts render as they did there, and it follows CommonMark, so reports written for GitHub render
as on GitHub. On top of CommonMark, what GitHub and VitePress add:

- tables, ~~strikethrough~~ (two tildes: `1~2 周` is a range in Chinese, not a strike), task
  lists (`- [x]`), footnotes (`[^1]`), alerts (`> [!NOTE]`);
- bare `https://…` and `www.…` addresses become links, decided as GitHub decides (no bare
  `example.com`);
- heading ids made as VitePress makes them (Chinese kept: `## 一、背景` → `#一、背景`), so the
  old posts' `#…` links still land; `[[toc]]` places a table of contents;
- fenced code highlighted by Pygments into classes (static/css/pygments.css);
- `$…$` and `$$…$$` math turned into MathML on the server (latex2mathml): browsers draw it
  without a script.

Raw HTML is allowed in the source (the posts use it) and the output is always sanitised with nh3
against an explicit allow-list: the tags and attributes of Markdown output plus MathML.
The parser runs in linear time on every input (no backtracking over unmatched brackets), so a
pathological text costs what ordinary text of its size costs (tests/pfcc/test_markdown_budget.py).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import latex2mathml.converter
import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

TOC_MARKER = "[[toc]]"
TOC_LEVELS = (2, 3)  # as VitePress's [[toc]]
TOC_MAX_ENTRIES = 300  # a real post has a few dozen; thousands would only double the page

# MathML as latex2mathml writes it (Presentation MathML Core and a few classic elements).
MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "mfrac", "msqrt", "mroot",
    "msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts", "mprescripts",
    "none", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror",
    "semantics", "annotation",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "accent", "accentunder", "columnalign", "columnlines", "columnspacing", "depth",
    "displaystyle", "fence", "form", "frame", "height", "largeop", "linethickness", "lspace",
    "mathcolor", "mathbackground", "mathsize", "mathvariant", "maxsize", "minsize",
    "movablelimits", "notation", "rowalign", "rowlines", "rowspacing", "rspace", "scriptlevel",
    "separator", "stretchy", "symmetric", "voffset", "width",
}  # fmt: skip

ALLOWED_TAGS = {
    "a", "abbr", "audio", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "source", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "video",
} | MATHML_TAGS  # fmt: skip
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
    "ul": _CLASS,
    "sup": {"id"},
    "table": _CLASS,
    "math": {"display"},
    **dict.fromkeys(MATHML_TAGS - {"math"}, MATHML_ATTRIBUTES),
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str  # the table of contents as a sanitised <div class="toc"><ul>…, "" without headings


# --- Headings --------------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\u0000-\u001f]")
_SPECIAL_RE = re.compile(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'“”‘’<>,.?/]+""")
_COMBINING_RE = re.compile(r"[\u0300-\u036f]")


def slugify(text: str) -> str:
    """A heading's id as VitePress makes it: punctuation and spaces become one `-`, CJK
    characters and their punctuation stay, a leading digit gets a `_`."""
    slug = unicodedata.normalize("NFKD", text)
    slug = _COMBINING_RE.sub("", slug)
    slug = _CONTROL_RE.sub("", slug)
    slug = _SPECIAL_RE.sub("-", slug)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    slug = re.sub(r"^(\d)", r"_\1", slug)
    return slug.lower()


def _inline_text(token: Token) -> str:
    return "".join(
        child.content for child in token.children or () if child.type in {"text", "code_inline"}
    )


def _heading_ids(state) -> None:
    """Every heading gets an id from its text (as VitePress's markdown-it-anchor: a repeated
    title gets -1, -2, …), counting per title so that many equal headings stay linear."""
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.attrGet("id"):
            continue
        base = slugify(_inline_text(tokens[index + 1]))
        slug = base
        if slug in used:
            suffix = next_suffix.get(base, 1)
            while f"{base}-{suffix}" in used:
                suffix += 1
            slug = f"{base}-{suffix}"
            next_suffix[base] = suffix + 1
        used.add(slug)
        token.attrSet("id", slug)


def _toc(tokens: list[Token]) -> str:
    """Nested lists of the level 2–3 headings, linking to their ids."""
    entries = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and int(token.tag[1]) in TOC_LEVELS:
            entries.append(
                (int(token.tag[1]), token.attrGet("id"), _inline_text(tokens[index + 1]))
            )
    if not entries:
        return ""
    entries = entries[:TOC_MAX_ENTRIES]
    parts = ['<div class="toc">']
    depth = 0
    base = min(level for level, _id, _text in entries)
    for level, anchor, text in entries:
        level = level - base + 1
        if level > depth:
            parts.append("<ul>" * (level - depth))
        else:
            parts.append("</li>" + "</ul></li>" * (depth - level))
        depth = level
        parts.append(f'<li><a href="#{html.escape(str(anchor))}">{html.escape(text)}</a>')
    parts.append("</li></ul>" * depth)
    parts.append("</div>")
    return "".join(parts)


def _is_toc_marker(tokens: list[Token], index: int) -> bool:
    return (
        tokens[index].type == "paragraph_open"
        and index + 2 < len(tokens)
        and tokens[index + 1].type == "inline"
        and tokens[index + 1].content.strip().lower() == TOC_MARKER
    )


def _place_toc(tokens: list[Token], toc: str) -> list[Token]:
    placed = []
    index = 0
    while index < len(tokens):
        if _is_toc_marker(tokens, index):
            block = Token("html_block", "", 0)
            block.content = toc
            placed.append(block)
            index += 3
            continue
        placed.append(tokens[index])
        index += 1
    return placed


# --- Code and math ---------------------------------------------------------------------------

_FORMATTER = HtmlFormatter(nowrap=True)
_LANGUAGE_RE = re.compile(r"^[\w+#.-]{1,40}$")


@lru_cache(maxsize=256)
def _lexer(language: str):
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return None


def _highlight(code: str, language: str, _attrs) -> str:
    """Fenced code with a known language, highlighted into Pygments classes. The whole `<pre>`
    is returned (markdown-it wraps anything else once more)."""
    if not language or not _LANGUAGE_RE.match(language):
        return ""
    lexer = _lexer(language.lower())
    if lexer is None:
        return ""
    body = pygments_highlight(code, lexer, _FORMATTER)
    css = html.escape(f"language-{language}")
    return f'<pre class="codehilite"><code class="{css}">{body}</code></pre>'


MAX_TEX = 4_000  # characters of one formula; longer is not a formula but an attack, shown as text


def _math(tex: str, options: dict) -> str:
    return _mathml(tex, "block" if options.get("display_mode") else "inline")


@lru_cache(maxsize=2048)
def _mathml(tex: str, display: str) -> str:
    if len(tex) > MAX_TEX:
        return f'<code class="math-error">{html.escape(tex)}</code>'
    try:
        return latex2mathml.converter.convert(tex, display=display)
    except Exception:  # noqa: BLE001 - any TeX latex2mathml cannot read is shown as written
        return f'<code class="math-error">{html.escape(tex)}</code>'


# --- Output of GitHub's extensions within the allow-list ---------------------------------------


def _task_item_open(self, tokens, index, options, env):
    """A task item's box as a character, not a form control (`<input>` is not allowed)."""
    token = tokens[index]
    result = self.renderToken(tokens, index, options, env)
    if token.meta and "checked" in token.meta:
        box = "☑" if token.meta["checked"] else "☐"
        state = "done" if token.meta["checked"] else "open"
        result += f'<span class="task-box task-{state}">{box}</span> '
    return result


def _strike_open(self, tokens, index, options, env):
    return "<del>"


def _strike_close(self, tokens, index, options, env):
    return "</del>"


def _math_inline_double(self, tokens, index, options, env):
    """`$$…$$` inside a paragraph: displayed, but phrasing content (a `<div>` would break the
    paragraph apart)."""
    return (
        f'<span class="math display">{_math(tokens[index].content, {"display_mode": True})}</span>'
    )


_ALIGN_RE = re.compile(r"text-align:\s*(left|right|center)")


def _table_alignment(state) -> None:
    """Column alignment as the `align` attribute: inline styles are stripped (and the CSP
    forbids them)."""
    for token in state.tokens:
        if token.type == "inline":
            continue
        if token.type in {"th_open", "td_open"} and token.attrs.get("style"):
            match = _ALIGN_RE.search(str(token.attrs.pop("style")))
            if match:
                token.attrSet("align", match.group(1))


def _brackets_that_cannot_link(src: str, has_references: bool) -> set[int] | None:
    """Positions of the `[` that cannot start a link, an image or a footnote, found in one pass;
    None when none can (no `](`, `][` or `[^` in the text and no reference definitions).

    A `[` that no `]` closes cannot; nor, when the text has no raw HTML or autolinks (whose
    attributes could hold a `]`) and no reference definitions, can one whose `]` is not followed
    by `(` or `[`. Brackets nest; escaped ones and those inside code spans do not count."""
    if not has_references and "](" not in src and "][" not in src and "[^" not in src:
        return None
    open_at: list[int] = []
    closing: dict[int, int] = {}
    pos, end = 0, len(src)
    while pos < end:
        char = src[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "`":
            run = pos
            while run < end and src[run] == "`":
                run += 1
            fence = src[pos:run]
            close = src.find(fence, run)
            while close != -1 and src.startswith("`", close + len(fence)):
                close = src.find(fence, close + len(fence) + 1)
            pos = close + len(fence) if close != -1 else run
            continue
        if char == "[":
            open_at.append(pos)
        elif char == "]" and open_at:
            closing[open_at.pop()] = pos
        pos += 1
    cannot = set(open_at)
    if not has_references and "<" not in src:
        cannot.update(
            start
            for start, close in closing.items()
            if src[close + 1 : close + 2] not in {"(", "["} and src[start + 1 : start + 2] != "^"
        )
    return cannot


def _unclosed_bracket(state, silent: bool) -> bool:
    """A `[` (or `![`) that cannot start a link, an image or a footnote is text, taken here in
    one step instead of the link rules scanning ahead from it (runs of unmatched or nested `[`
    would otherwise cost several times what ordinary text of their size costs)."""
    pos = state.pos
    char = state.src[pos]
    if char == "!" and state.src.startswith("[", pos + 1):
        pos += 1
    elif char != "[":
        return False
    if not hasattr(state, "_no_link_at"):
        state._no_link_at = _brackets_that_cannot_link(state.src, bool(state.env.get("references")))
    cannot = state._no_link_at
    if cannot is not None and pos not in cannot:
        return False
    if not silent:
        state.pending += state.src[state.pos : pos + 1]
    state.pos = pos + 1
    return True


# Full-width punctuation ends a bare address: "见 https://github.com/…/pull/1，谢谢" links the PR,
# not "1，谢谢" (GitHub would include it and link a page that does not exist).
_CJK_STOP_RE = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def _trim_bare_links(state) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        index = 0
        while index + 2 < len(children):
            link, text = children[index], children[index + 1]
            stop = (
                _CJK_STOP_RE.search(text.content)
                if link.type == "link_open"
                and link.markup in {"linkify", "autolink"}
                and link.info == "auto"
                and text.type == "text"
                else None
            )
            if stop and stop.start() > 0:
                rest = Token("text", "", 0)
                rest.content = text.content[stop.start() :]
                text.content = text.content[: stop.start()]
                href = str(link.attrGet("href") or "")
                prefix = next(
                    (
                        scheme
                        for scheme in ("http://", "mailto:")
                        if href.startswith(scheme) and not text.content.lower().startswith(scheme)
                    ),
                    "",
                )
                link.attrSet("href", state.md.normalizeLink(prefix + text.content))
                children.insert(index + 3, rest)
            index += 1


def _footnote_block_open(self, tokens, index, options, env):
    return '<div class="footnotes"><hr><ol>\n'


def _footnote_block_close(self, tokens, index, options, env):
    return "</ol></div>\n"


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The site's markdown-it set-up (one instance: it is stateless between renders)."""
    md = MarkdownIt(
        "commonmark",
        {"html": True, "linkify": True, "typographer": False, "highlight": _highlight},
    )
    md.enable(["table", "strikethrough", "linkify"])
    # Bare addresses as GitHub links them: `https://…` wherever it starts (also right after a
    # Chinese colon, "：https://…", which GitHub links too), `www.…` and e-mail addresses after
    # a space or a delimiter (GFM's rules), never a bare domain (`example.com`, `README.md`).
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    md.use(gfm_autolink_plugin)
    md.disable("gfm_autolink_protocol")
    md.options["tasklists"] = True
    md.options["tasklists_editable"] = False
    md.options["alerts"] = True
    md.use(footnote_plugin, inline=False)
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        double_inline=True,
        allow_blank_lines=True,
        renderer=_math,
    )
    md.core.ruler.push("heading_ids", _heading_ids)
    md.inline.ruler.before("link", "unclosed_bracket", _unclosed_bracket)
    md.core.ruler.push("table_alignment", _table_alignment)
    md.core.ruler.push("trim_bare_links", _trim_bare_links)
    md.add_render_rule("list_item_open", _task_item_open)
    md.add_render_rule("s_open", _strike_open)
    md.add_render_rule("s_close", _strike_close)
    md.add_render_rule("math_inline_double", _math_inline_double)
    md.add_render_rule("footnote_block_open", _footnote_block_open)
    md.add_render_rule("footnote_block_close", _footnote_block_close)
    return md


def sanitize_html(raw: str) -> str:
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_unsafe(text: str) -> tuple[str, str]:
    """The parser's HTML and table of contents before sanitising (for the conformance test and
    callers that sanitise once more themselves)."""
    md = parser()
    env: dict = {}
    tokens = md.parse(text, env)
    toc = _toc(tokens)
    tokens = _place_toc(tokens, toc)
    return md.renderer.render(tokens, md.options, env), toc


def render_markdown(text: str | None) -> Rendered:
    """Markdown → sanitised HTML and its table of contents."""
    if not text:
        return Rendered(html="", toc="")
    text = text.replace("\r\n", "\n").replace("\x00", "")
    body, toc = render_unsafe(text)
    return Rendered(html=sanitize_html(body), toc=sanitize_html(toc) if toc else "")


# Build the parser and let linkify-it compile its patterns now, at start-up, rather than in the
# first request that renders something (about 0.2 s).
parser().render("https://example.org www.example.org a@example.org $x$")
