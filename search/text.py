"""Words for the index and for a query: Chinese is segmented with jieba (rjieba, the Rust
jieba-rs), so that a two-character word such as 编译 is a lexeme of its own in the tsvector; every
other script is split on what is not a letter or a digit. The index takes the search-engine cut
(编译器 gives 编译 and 编译器), a query the precise one, Latin words matched as prefixes."""

import html
import re

import rjieba
from django.utils.html import escape
from django.utils.safestring import mark_safe

WORD = re.compile(r"\w+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_QUERY_TERMS = 8
SNIPPET_BEFORE = 60
SNIPPET_AFTER = 160


def _pieces(tokens) -> list[str]:
    return [piece for token in tokens for piece in WORD.findall(token.lower())]


def index_text(text: str) -> str:
    """The text as space-separated words, for to_tsvector('simple', …)."""
    return " ".join(_pieces(rjieba.cut_for_search(text or "")))


def query_terms(query: str) -> list[str]:
    """The words of a query, in order, without repeats (at most MAX_QUERY_TERMS)."""
    terms: list[str] = []
    for piece in _pieces(rjieba.cut(query or "")):
        if piece not in terms:
            terms.append(piece)
    return terms[:MAX_QUERY_TERMS]


def tsquery(terms: list[str], operator: str = "&") -> str:
    """to_tsquery text: every word (or any, with "|"). Latin words and numbers match as
    prefixes ("compil" finds "compiler"); Chinese words exactly, as the index holds their
    parts too (编译器 is also indexed as 编译), and a prefix scan of a common character costs.
    Words are letters, digits and "_" only, so nothing in them is tsquery syntax."""
    return f" {operator} ".join(
        f"'{term}'" if CJK.search(term) else f"'{term}':*" for term in terms
    )


def pattern(terms):
    """The regular expression of the query words (longest first), or None: compiled once per
    search and passed to highlight() and snippet() for every hit."""
    alternatives = sorted({re.escape(term) for term in terms}, key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def _escape(text: str) -> str:
    return html.escape(text, quote=True)  # what django.utils.html.escape does, without its wrapper


def highlight(text: str, terms: list[str], words=None) -> str:
    """`text` escaped, each query word in it marked with <mark>. `words`: pattern(terms)."""
    words = words or pattern(terms)
    if words is None:
        return escape(text)
    parts, last = [], 0
    for match in words.finditer(text):
        parts.append(_escape(text[last : match.start()]))
        parts.append(f"<mark>{_escape(match.group())}</mark>")
        last = match.end()
    parts.append(_escape(text[last:]))
    return mark_safe("".join(parts))


def snippet(text: str, terms: list[str], words=None) -> str:
    """The part of `text` around the first query word found (its opening when none is),
    escaped and highlighted. `words`: pattern(terms)."""
    words = words or pattern(terms)
    match = words.search(text) if words else None
    start = max(0, match.start() - SNIPPET_BEFORE) if match else 0
    end = start + SNIPPET_BEFORE + SNIPPET_AFTER
    window = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{highlight(window, terms, words)}{suffix}")
