"""The blog's Markdown: the site renderer plus the old blog's chat bubbles.

Posts may contain `<MessageBox>` with `<Message name="…" github="…" [type="right"]>…</Message>`
inside (the dialogue components of the old blog). Each message's text is Markdown; it is
rendered on its own and the dialogue becomes plain HTML with classes (styled in
blog/static/blog/blog.css), so the sanitiser keeps it and no script is needed.
"""

import html
import re
import secrets
import textwrap

from common.markdown import Rendered, render_markdown, sanitize_html

MESSAGE_BOX_RE = re.compile(r"<MessageBox\b[^>]*>(.*?)</MessageBox\s*>", re.S | re.I)
MESSAGE_RE = re.compile(r"<Message\b([^>]*)>(.*?)</Message\s*>", re.S | re.I)
ATTRIBUTE_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
GITHUB_LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
TOC_MARKER = "[[toc]]"
MORE_RE = re.compile(r"<!--\s*more\s*-->", re.I)


def split_excerpt(text: str | None) -> str:
    """The Markdown before `<!-- more -->`, or "" when there is no marker."""
    parts = MORE_RE.split(text or "", maxsplit=1)
    return parts[0].strip() if len(parts) == 2 else ""


def parse_attributes(text: str) -> dict[str, str]:
    return {
        match.group(1).lower(): match.group(2) if match.group(2) is not None else match.group(3)
        for match in ATTRIBUTE_RE.finditer(text)
    }


def avatar_for(github: str, avatar: str = "") -> str:
    if avatar.startswith("https://"):
        return avatar
    if github and GITHUB_LOGIN_RE.match(github):
        return f"https://github.com/{github}.png?size=80"
    return ""


def render_message(attributes: str, text: str) -> str:
    attrs = parse_attributes(attributes)
    name = attrs.get("name", "") or attrs.get("github", "")
    side = "right" if attrs.get("type", "").strip().lower() == "right" else "left"
    avatar = avatar_for(attrs.get("github", "").strip(), attrs.get("avatar", "").strip())
    inner = render_markdown(textwrap.dedent(text).strip("\n")).html
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


TAG_RE = re.compile(r"(<[^>]*>)")
URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+")
NO_LINK_TAGS = {"a", "code", "pre"}


def _link(match: re.Match) -> str:
    url = match.group(0)
    trail = ""
    while url and url[-1] in ".,;:!?'":
        url, trail = url[:-1], url[-1] + trail
    return f'<a href="{url}">{url}</a>{trail}'


def linkify(html_text: str) -> str:
    """Bare addresses in text become links (the old blog's renderer did this), except inside
    links, code and preformatted blocks."""
    if "http" not in html_text:
        return html_text
    parts = TAG_RE.split(html_text)
    depth = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = part.strip("</>").split(None, 1)[0].lower() if part.strip("</>") else ""
            if name in NO_LINK_TAGS:
                depth += -1 if part.startswith("</") else 1
        elif depth <= 0 and "http" in part:
            parts[index] = URL_RE.sub(_link, part)
    return "".join(parts)


def render_post_markdown(text: str | None) -> Rendered:
    """Markdown → sanitised HTML, with dialogues rendered as chat bubbles."""
    if not text:
        return Rendered(html="", toc="")
    blocks: dict[str, str] = {}

    def keep(html_block: str) -> str:
        token = f"CHATBLOCK{secrets.token_hex(8)}X"
        blocks[token] = html_block
        return f"\n\n{token}\n\n"

    text = MESSAGE_BOX_RE.sub(lambda match: keep(render_dialogue(match.group(1))), text)
    # A message outside any box is a dialogue of one.
    text = MESSAGE_RE.sub(
        lambda match: keep(
            '<div class="chat">' + render_message(match.group(1), match.group(2)) + "</div>"
        ),
        text,
    )
    rendered = render_markdown(text)
    body = linkify(rendered.html)
    for token, block in blocks.items():
        body = body.replace(f"<p>{token}</p>", block).replace(token, block)
    if body == rendered.html:
        return rendered
    return Rendered(html=sanitize_html(body), toc=rendered.toc)
