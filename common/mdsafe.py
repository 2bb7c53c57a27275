"""Markdown exports that are safe to paste into GitHub (or any other renderer).

The exports (task boards, progress, weekly reports, period summaries) copy people's text as it
was written. GitHub sanitises what it renders, but an export must not carry executable markup
of its own: raw HTML tags that could run something (script, iframe, svg, form, …, or any tag
with an event handler, a style or a javascript: address) are escaped so that they show as
text, and links to javascript:, vbscript: or data: addresses point nowhere. Harmless HTML
(<br>, <details>, <img src="https://…">) is kept as written.
"""

import html
import re

DANGEROUS_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "option", "base", "meta", "link", "svg", "math",
    "body", "html", "head", "title", "template", "noscript", "xmp", "plaintext", "portal",
    "isindex", "marquee", "set", "animate", "handler", "listener", "import",
}  # fmt: skip
# A tag, a closing tag, a comment or a processing instruction (possibly unclosed).
TAG_RE = re.compile(r"<(?P<close>/?)\s*(?P<name>[A-Za-z][\w:.-]*)(?P<rest>[^>]*)>?|<[!?][^>]*>?")
BAD_SCHEME_RE = re.compile(r"^(?:javascript|vbscript|data|livescript):", re.I)
INVISIBLE_RE = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
EVENT_OR_STYLE_RE = re.compile(r"(?:^|[\s/\"'])(?:on[a-z]+|style|formaction|xmlns)\s*=", re.I)
ATTRIBUTE_VALUE_RE = re.compile(r"=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+)")
LINK_TARGET_RE = re.compile(r"(\]\(\s*<?)([^)>\s]*)")
REFERENCE_RE = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+)", re.M)


def _bad_url(value: str) -> bool:
    value = html.unescape(html.unescape(value))
    return bool(BAD_SCHEME_RE.match(INVISIBLE_RE.sub("", value).strip("\"'")))


def _tag(match: re.Match) -> str:
    text = match.group(0)
    name = (match.group("name") or "").lower()
    rest = html.unescape(match.group("rest") or "")
    dangerous = (
        not name  # comments, <!doctype>, <?xml>
        or name in DANGEROUS_TAGS
        or ":" in name  # <javascript:alert(1)> autolinks, namespaced tags
        or EVENT_OR_STYLE_RE.search(INVISIBLE_RE.sub(" ", rest))
        or any(_bad_url(value) for value in ATTRIBUTE_VALUE_RE.findall(rest))
        or not text.endswith(">")
    )
    return text.replace("<", "&lt;") if dangerous else text


def _link(match: re.Match) -> str:
    return match.group(1) + ("#" if _bad_url(match.group(2)) else match.group(2))


def safe_markdown(text: str) -> str:
    """The Markdown with executable HTML escaped and dangerous link targets removed."""
    text = (text or "").replace("\x00", "")
    text = TAG_RE.sub(_tag, text)
    text = LINK_TARGET_RE.sub(_link, text)
    return REFERENCE_RE.sub(_link, text)
