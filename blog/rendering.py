"""The blog's Markdown: the site renderer plus the old blog's components and styles.

The old blog (VitePress) used Vue components inside posts; each becomes plain HTML with classes
(styled in blog/static/blog/blog.css), so the sanitiser keeps it and no script is needed:

- `<MessageBox>` with `<Message name="…" github="…" [type="right"]>…</Message>` inside: a
  dialogue of chat bubbles. Each message's text is Markdown, indented however the author liked.
- `<PodcastPlayer title="…" subtitle="…" src="…" duration="…" note="…"/>` and any other
  component with a sound or video `src`: an `<audio>`/`<video>` with controls, under its title.

Inline styles are stripped by the sanitiser (and the CSP forbids them), so the sizes and layouts
authors gave figures and images (`style="width: 40%"`, `max-width: 450px`, a centred flex row)
become classes from a fixed scale (`w-40`, `mw-450`, `figure-row center`) before sanitising.
"""

import html
import re
import secrets
from collections.abc import Callable
from pathlib import PurePosixPath

from common.markdown import TOC_MARKER, Rendered, render_unsafe, sanitize_html

__all__ = ["TOC_MARKER", "render_post_markdown", "split_excerpt"]

MESSAGE_BOX_RE = re.compile(r"<MessageBox\b[^>]*>(.*?)</MessageBox\s*>", re.S | re.I)
MESSAGE_RE = re.compile(r"<Message\b([^>]*)>(.*?)</Message\s*>", re.S | re.I)
ATTRIBUTE_RE = re.compile(r"""(:?[\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
GITHUB_LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
MORE_RE = re.compile(r"<!--\s*more\s*-->", re.I)
# A component (capitalised tag) other than the dialogue's, self-closing or with a body.
COMPONENT_RE = re.compile(
    r"<(?P<name>[A-Z][A-Za-z0-9]*)\b(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*?)"
    r"(?:/>|>(?P<body>.*?)</(?P=name)\s*>)",
    re.S,
)
DIALOGUE_COMPONENTS = {"Message", "MessageBox"}
AUDIO_EXTENSIONS = {".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac"}
VIDEO_EXTENSIONS = {".mp4", ".m4v", ".webm", ".ogv", ".mov"}


def split_excerpt(text: str | None) -> str:
    """The Markdown before `<!-- more -->`, or "" when there is no marker."""
    parts = MORE_RE.split(text or "", maxsplit=1)
    return parts[0].strip() if len(parts) == 2 else ""


def parse_attributes(text: str) -> dict[str, str]:
    return {
        match.group(1).lower().lstrip(":"): match.group(2)
        if match.group(2) is not None
        else match.group(3)
        for match in ATTRIBUTE_RE.finditer(text)
    }


def avatar_for(github: str, avatar: str = "") -> str:
    if avatar.startswith("https://"):
        return avatar
    if github and GITHUB_LOGIN_RE.match(github):
        return f"https://github.com/{github}.png?size=80"
    return ""


def dedent_message(text: str) -> str:
    """A message's text without the indentation it had inside its tags, whatever it was: the
    first line's indentation is taken off every line (less where a line has less), so text
    indented by 4 or more is not read as code, and nested lists keep their depth."""
    lines = text.strip("\n").split("\n")
    first = next((line for line in lines if line.strip()), "")
    base = len(first) - len(first.lstrip(" \t"))
    out = []
    for line in lines:
        indent = len(line) - len(line.lstrip(" \t"))
        out.append(line[min(base, indent) :])
    return "\n".join(out).strip("\n")


def render_message(attributes: str, text: str) -> str:
    attrs = parse_attributes(attributes)
    name = attrs.get("name", "") or attrs.get("github", "")
    side = "right" if attrs.get("type", "").strip().lower() == "right" else "left"
    avatar = avatar_for(attrs.get("github", "").strip(), attrs.get("avatar", "").strip())
    inner = render_unsafe(dedent_message(text))[0]
    parts = [f'<div class="chat-message chat-{side}">']
    if avatar:
        parts.append(
            f'<img class="chat-avatar" src="{html.escape(avatar)}" alt="{html.escape(name)}" '
            'width="40" height="40" loading="lazy">'
        )
    parts.append('<div class="chat-content">')
    if name:
        parts.append(f'<span class="chat-name">{html.escape(name)}</span>')
    parts.append(f'<div class="chat-bubble">{inner}</div></div></div>')
    return "".join(parts)


def render_dialogue(inner: str) -> str:
    messages = [render_message(attrs, text) for attrs, text in MESSAGE_RE.findall(inner)]
    return '<div class="chat">' + "".join(messages) + "</div>"


def media_kind(name: str, src: str) -> str | None:
    """ "audio" or "video" for a media component, by its file's type or else its name."""
    suffix = PurePosixPath(src.split("?", 1)[0].split("#", 1)[0]).suffix.lower()
    if suffix in AUDIO_EXTENSIONS:
        return "audio"
    if suffix in VIDEO_EXTENSIONS:
        return "video"
    lowered = name.lower()
    if "video" in lowered:
        return "video"
    if any(word in lowered for word in ("audio", "podcast", "sound", "music")):
        return "audio"
    return None


def render_media_component(name: str, attributes: str) -> str | None:
    """A sound or video component as a captioned `<audio>`/`<video>`; None if it is not one."""
    attrs = parse_attributes(attributes)
    src = (attrs.get("src") or "").strip()
    kind = media_kind(name, src) if src else None
    if kind is None:
        return None
    title = attrs.get("title") or attrs.get("name") or attrs.get("label") or ""
    details = [attrs.get(key, "").strip() for key in ("duration", "note")]
    parts = [f'<figure class="media-player media-{kind}">']
    if title or attrs.get("subtitle"):
        parts.append("<figcaption>")
        if title:
            parts.append(f'<span class="media-title">{html.escape(title)}</span>')
        if attrs.get("subtitle"):
            parts.append(f'<span class="media-subtitle">{html.escape(attrs["subtitle"])}</span>')
        parts.append("</figcaption>")
    poster = attrs.get("poster", "")
    poster_attr = f' poster="{html.escape(poster)}"' if kind == "video" and poster else ""
    parts.append(
        f'<{kind} controls preload="none" src="{html.escape(src)}"{poster_attr}>'
        f'<a href="{html.escape(src)}">{html.escape(title or src)}</a></{kind}>'
    )
    if any(details):
        parts.append(
            f'<p class="media-note">{html.escape(" · ".join(d for d in details if d))}</p>'
        )
    parts.append("</figure>")
    return "".join(parts)


# --- Styles to classes -----------------------------------------------------------------------

TAG_WITH_STYLE_RE = re.compile(
    r"<(?P<tag>[a-z][a-z0-9]*)\b(?P<attrs>[^<>]*?\sstyle\s*=[^<>]*)>", re.I
)
STYLE_VALUE_RE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
CLASS_VALUE_RE = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
LENGTH_RE = re.compile(r"^(\d+(?:\.\d+)?)(%|px)$")
PERCENT_STEP = 5  # w-5 … w-100
PIXEL_STEP = 50  # mw-100 … mw-1200, mh-…, h-…
PIXEL_MIN, PIXEL_MAX = 100, 1200


def _percent_class(value: float) -> str:
    snapped = max(PERCENT_STEP, min(100, int(value // PERCENT_STEP) * PERCENT_STEP))
    return f"w-{snapped}"


def _pixel_class(prefix: str, value: float) -> str:
    snapped = max(PIXEL_MIN, min(PIXEL_MAX, int(value // PIXEL_STEP) * PIXEL_STEP))
    return f"{prefix}-{snapped}"


def style_classes(style: str) -> list[str]:
    """The classes of the fixed scale that stand for an inline style (what has no class is
    dropped): sizes are rounded down, so an image is never shown larger than its author set."""
    declarations = {}
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        if value.strip():
            declarations[name.strip().lower()] = " ".join(value.split()).lower()
    classes = []
    for name, prefix in (
        ("width", "w"),
        ("max-width", "mw"),
        ("max-height", "mh"),
        ("height", "h"),
    ):
        value = declarations.get(name, "")
        pixel = re.search(r"(\d+(?:\.\d+)?)px", value) if value.startswith("min(") else None
        match = LENGTH_RE.match(value)
        if pixel:
            classes.append(_pixel_class("mw" if prefix == "w" else prefix, float(pixel.group(1))))
        elif match and match.group(2) == "%" and prefix == "w":
            classes.append(_percent_class(float(match.group(1))))
        elif match and match.group(2) == "px":
            # A fixed width is a largest width: the image still shrinks on a phone.
            classes.append(_pixel_class("mw" if prefix == "w" else prefix, float(match.group(1))))
    if declarations.get("display") == "flex":
        classes.append("figure-row")
        justify = declarations.get("justify-content", "")
        classes.append("center" if "center" in justify else "spread")
    elif declarations.get("display") == "block" and "auto" in declarations.get("margin", ""):
        classes.append("block-center")
    if declarations.get("text-align") in {"center", "right"}:
        classes.append(f"text-{declarations['text-align']}")
    if declarations.get("object-fit") == "contain":
        classes.append("fit-contain")
    return classes


def styles_to_classes(html_text: str) -> tuple[str, int]:
    """Every real tag's `style` replaced by classes (text inside code is escaped, so a `style=`
    in a code sample is left alone). Returns the HTML and how many styles were converted."""
    count = 0

    def convert(match: re.Match) -> str:
        nonlocal count
        attrs = match.group("attrs")
        style = STYLE_VALUE_RE.search(attrs)
        if style is None:
            return match.group(0)
        count += 1
        classes = style_classes(style.group(1) if style.group(1) is not None else style.group(2))
        attrs = attrs[: style.start()] + attrs[style.end() :]
        existing = CLASS_VALUE_RE.search(attrs)
        if existing:
            current = (existing.group(1) or existing.group(2) or "").split()
            merged = " ".join(dict.fromkeys(current + classes))
            attrs = attrs[: existing.start()] + f' class="{merged}"' + attrs[existing.end() :]
        elif classes:
            attrs = f' class="{" ".join(classes)}"' + attrs
        return f"<{match.group('tag')}{attrs}>"

    return TAG_WITH_STYLE_RE.sub(convert, html_text), count


# --- Links between posts ---------------------------------------------------------------------

# The old blog's absolute addresses (https://pfcc.blog/posts/<slug>) and relative Markdown links
# between its files (./other.md, ../posts/other.md).
ABSOLUTE_POST_LINK_RE = re.compile(
    r"https?://(?:www\.)?pfcc\.blog/posts/(?P<slug>[^\s()\[\]<>\"'#?/]+?)(?:\.html|\.md)?"
    r"(?P<rest>[#?][^\s()\[\]<>\"']*)?(?=[\s()\[\]<>\"'，。、]|$)"
)
RELATIVE_POST_LINK_RE = re.compile(
    r"(?P<lead>\]\(\s*)\.{1,2}/(?:posts/)?(?P<slug>[^\s()/]+?)\.md(?P<rest>#[^\s)]*)?(?=[\s)])"
)


def linked_post_slugs(text: str) -> set[str]:
    return {m.group("slug") for m in ABSOLUTE_POST_LINK_RE.finditer(text)} | {
        m.group("slug") for m in RELATIVE_POST_LINK_RE.finditer(text)
    }


def link_posts(text: str, urls: dict[str, str]) -> str:
    """Links to the old blog's posts point at the portal's own post where it has one (`urls`:
    slug → address); the others are left as they were."""
    if not urls:
        return text

    def absolute(match: re.Match) -> str:
        url = urls.get(match.group("slug"))
        if not url:
            return match.group(0)
        target = url + (match.group("rest") or "")
        before = match.string[max(0, match.start() - 2) : match.start()]
        if before.endswith(("(", "<", '"', "'", "=")):
            return target  # the target of a link or an attribute
        # A bare address: still a link, showing what the author wrote.
        return f"[{match.group(0)}]({target})"

    def relative(match: re.Match) -> str:
        url = urls.get(match.group("slug"))
        if not url:
            return match.group(0)
        return match.group("lead") + url + (match.group("rest") or "")

    return RELATIVE_POST_LINK_RE.sub(relative, ABSOLUTE_POST_LINK_RE.sub(absolute, text))


# --- The whole post --------------------------------------------------------------------------


def _indent_of(match: re.Match) -> str:
    """The indentation a component starts at (inside a list item, say), "" mid-line."""
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    prefix = match.string[line_start : match.start()]
    return prefix if not prefix.strip() else ""


def _components(text: str, keep: Callable[[str, str], str]) -> str:
    text = MESSAGE_BOX_RE.sub(
        lambda match: keep(render_dialogue(match.group(1)), _indent_of(match)), text
    )
    # A message outside any box is a dialogue of one.
    text = MESSAGE_RE.sub(
        lambda match: keep(
            '<div class="chat">' + render_message(match.group(1), match.group(2)) + "</div>",
            _indent_of(match),
        ),
        text,
    )

    def media(match: re.Match) -> str:
        if match.group("name") in DIALOGUE_COMPONENTS:
            return match.group(0)
        rendered = render_media_component(match.group("name"), match.group("attrs"))
        return match.group(0) if rendered is None else keep(rendered, _indent_of(match))

    return COMPONENT_RE.sub(media, text)


def render_post_markdown(text: str | None, post_urls: dict[str, str] | None = None) -> Rendered:
    """Markdown → sanitised HTML, with the old blog's components and styles; `post_urls`
    (slug → address) turns links to the old blog's posts into links to the portal's."""
    if not text:
        return Rendered(html="", toc="")
    text = link_posts(text.replace("\r\n", "\n").replace("\x00", ""), post_urls or {})
    blocks: dict[str, str] = {}

    def keep(html_block: str, indent: str) -> str:
        """A placeholder paragraph at the component's indentation (so a dialogue inside a list
        item stays in it), replaced by the component's HTML after rendering."""
        token = f"BLOGBLOCK{secrets.token_hex(8)}X"
        blocks[token] = html_block
        return f"\n\n{indent}{token}\n\n"

    body, toc = render_unsafe(_components(text, keep))
    for token, block in blocks.items():
        body = body.replace(f"<p>{token}</p>", block).replace(token, block)
    body, _count = styles_to_classes(body)
    return Rendered(html=sanitize_html(body), toc=sanitize_html(toc) if toc else "")
