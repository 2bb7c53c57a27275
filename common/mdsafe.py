"""Markdown exports that are safe to paste into GitHub (or any other renderer).

The exports (task boards, progress, weekly reports, period summaries) copy people's text as it
was written. GitHub sanitises what it renders, but an export must not carry markup of its own
that another renderer would run. A list of dangerous tags matched by a regular expression is
not enough (issue 19: `<img alt=">" src=x onerror=…>` went through, its `>` inside a quoted
value ending the "tag" early). So nothing that is not plain text is kept:

- every `<` outside code becomes `&lt;`, which every Markdown renderer shows as `<`: no raw
  HTML of any kind survives, whatever its tag, attributes or quoting. The only exceptions are
  `<br>` (the exports' own line break inside table cells) and `<https://…>` autolinks, which
  cannot carry anything else;
- inside code (fenced blocks at the start of a line, and code spans on one line) text is shown
  as written by every renderer and is kept; where a renderer might read it otherwise (a span
  crossing a table's `|`, a fence not at the line's start) the text counts as outside code;
- links and reference definitions to javascript:, vbscript:, data: or livescript: addresses
  point to `#` instead.
"""

import html
import re

BAD_SCHEME_RE = re.compile(r"^(?:javascript|vbscript|data|livescript):", re.I)
INVISIBLE_RE = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
LINK_TARGET_RE = re.compile(r"(\]\(\s*<?)([^)>\s]*)")
REFERENCE_RE = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+)", re.M)
# What may stay as written after a `<`: a bare line break, or an http(s) autolink (its address
# cannot hold a space, a quote or another angle bracket).
KEPT_AFTER_LT_RE = re.compile(r"<(?:br\s*/?>|https?://[^\s<>\"'`\x00-\x1f\x7f]+>)", re.I)
FENCE_RE = re.compile(r"^(`{3,}|~{3,})")


def _bad_url(value: str) -> bool:
    value = html.unescape(html.unescape(value))
    return bool(BAD_SCHEME_RE.match(INVISIBLE_RE.sub("", value).strip("\"'")))


def _link(match: re.Match) -> str:
    return match.group(1) + ("#" if _bad_url(match.group(2)) else match.group(2))


def _closing_backticks(line: str, start: int, run: int) -> int:
    """Where a run of exactly `run` backticks starts at or after `start`, or -1."""
    position = start
    while position < len(line):
        if line[position] != "`":
            position += 1
            continue
        end = position
        while end < len(line) and line[end] == "`":
            end += 1
        if end - position == run:
            return position
        position = end
    return -1


def _escape_line(line: str) -> str:
    """One line outside fenced code: `<` escaped except in code spans, `<br>` and autolinks."""
    out = []
    i, length = 0, len(line)
    while i < length:
        char = line[i]
        if char == "\\" and i + 1 < length:
            out.append(line[i : i + 2])  # an escaped character stays escaped (`\``, `\<`)
            i += 2
        elif char == "`":
            end = i
            while end < length and line[end] == "`":
                end += 1
            close = _closing_backticks(line, end, end - i)
            if close != -1 and "|" not in line[end:close]:
                out.append(line[i : close + end - i])  # a code span: shown as written
                i = close + end - i
            else:
                out.append(line[i:end])  # no span: literal backticks
                i = end
        elif char == "<":
            kept = KEPT_AFTER_LT_RE.match(line, i)
            # Not at a line's start, where `<br>` would open an HTML block and hide a fence.
            if kept and (line[:i].strip() or not kept.group(0).lower().startswith("<br")):
                out.append(kept.group(0))
                i = kept.end()
            else:
                out.append("&lt;")
                i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _escape(text: str) -> str:
    lines = text.split("\n")
    fence = None  # the opening fence's character and length while inside a fenced block
    for number, line in enumerate(lines):
        match = FENCE_RE.match(line)
        if fence is not None:
            # Closed by the same character, at least as many, nothing but spaces after.
            closes = match and match[1][0] == fence[0] and len(match[1]) >= len(fence)
            if closes and not line[len(match[1]) :].strip():
                fence = None
            continue
        if match and not (match[1][0] == "`" and "`" in line[len(match[1]) :]):
            fence = match[1]
            continue
        lines[number] = _escape_line(line)
    return "\n".join(lines)


def safe_markdown(text: str) -> str:
    """The Markdown with everything that is not plain text escaped and dangerous link targets
    removed."""
    text = (text or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = _escape(text)
    text = LINK_TARGET_RE.sub(_link, text)
    return REFERENCE_RE.sub(_link, text)
