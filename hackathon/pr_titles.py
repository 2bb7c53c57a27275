"""Read the task tag of a pull request title, as the community writes it.

    【Hackathon 7th No.42】为 Paddle 新增 xxx API          → tag "hackathon 7th", edition 7, (42,)
    [Hackathon 9th Sprint No.3] fix …                     → "hackathon 9th sprint", 9, (3,)
    【Hackathon 7th No.24、26-28、30】… -part               → "hackathon 7th", 7, (24, 26, 27, 28, 30), part
    【PaddlePaddle Hackathon 4】No.56：add fp16 … -final   → "hackathon 4th", 4, (56,), final
    【Hackathon 第七期 No.5】…                             → "hackathon 7th", 7, (5,)
    [API Compatibility No.12] …                           → "api compatibility", None, (12,)
    [Docathon][Update Doc No.3] …                         → "update doc", None, (3,)

The tag is whatever names the task set, before "No." inside the bracket (any bracket style,
full or half width, any case, spaces optional); `normalize_tag` gives the one spelling that both
the title and the task set's configured tags are compared in. The parser knows no set: which
tags exist is the caller's business, so a new activity needs no code.

`parse_pr_title` is a pure function: no database, no settings. It answers None for a title
without a task tag (an ordinary pull request, or GitHub's `Revert "…"` of a task's pull
request), and raises `TitleError` for a tag that is there
but cannot be read (a Hackathon tag without a task number, `No.30-24`, `No.0`): the webhook
records those for staff. Every regular expression here is linear (no nested or overlapping
quantifiers on the same characters, whitespace collapsed first, possessive digit runs).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .task_numbers import MAX_NUMBERS_PER_CLAIM as MAX_NUMBERS
from .task_numbers import MAX_TASK_NUMBER

# After NFKC (which folds full-width ASCII: ［］（）：，；．Ｎｏ０-９), the rest by hand.
_FOLD = str.maketrans(
    {
        "【": "[",
        "】": "]",
        "〖": "[",
        "〗": "]",
        "〔": "[",
        "〕": "]",
        "「": "[",
        "」": "]",
        "『": "[",
        "』": "]",
        "《": "[",
        "》": "]",
        "、": ",",
        "，": ",",
        "；": ";",
        "：": ":",
        "—": "-",
        "–": "-",
        "‐": "-",
        "‑": "-",
        "－": "-",
        "～": "~",
        "〜": "~",
        "。": ".",
        "\x00": "",
    }
)

_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CHINESE_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}

# "No.42", "NO:42", "no 42", "No#42"; glued to a word only with punctuation ("SprintNo.3").
# "No.C-115" (a text identifier) only with the punctuation: "no v2" is a word, not a tag.
_NO = r"(?:(?<![a-z])no ?[.:#]? ?(?=\d)|no ?[.:#] ?(?=\d|[a-z]{1,4}-?\d))"
_NO_RE = re.compile(_NO, re.IGNORECASE)
# "No" with punctuation but no number after it: "[Update Doc No.] …".
_NO_WITHOUT_NUMBER_RE = re.compile(r"(?<![a-z])no ?[.:#] ?(?!\d|[a-z]{1,4}-?\d)", re.IGNORECASE)
# A task is named by a number (a range of them: 26-28) or a text identifier (C-115, 1.3).
_IDENTIFIER = r"(?:[a-z]{1,4}-?\d++(?:\.\d++)*+|\d++(?:\.\d++)++)"
_NUMBER = rf"(?:{_IDENTIFIER}|\d++(?: ?[-~] ?(?:no ?[.:#]? ?)?\d++)?)"
_NUMBERS_RE = re.compile(rf"{_NUMBER}(?: ?[,;] ?(?:no ?[.:#]? ?)?{_NUMBER})*+", re.IGNORECASE)
_RANGE_RE = re.compile(r"^(?:no ?[.:#]? ?)?(\d+)(?: ?[-~] ?(?:no ?[.:#]? ?)?(\d+))?$", re.I)
_IDENTIFIER_TOKEN_RE = re.compile(rf"^(?:no ?[.:#]? ?)?({_IDENTIFIER})$", re.IGNORECASE)
# "C-115-117": identifiers have no ranges.
_IDENTIFIER_RANGE_RE = re.compile(r" ?[-~] ?\d")
# A bracket, or an opening bracket left open to the end of the title.
_BRACKET_RE = re.compile(r"\[([^\[\]]*+)(\]|$)")
_LEADING_BRACKETS_RE = re.compile(r"^(?: ?\[[^\[\]]*\])*+ ?")
# "【PaddlePaddle Hackathon 4】No.56": the numbers right after the bracket.
_NO_AFTER_BRACKET_RE = re.compile(rf" ?:? ?{_NO}", re.IGNORECASE)
_HACKATHON_WORD = r"(?:paddle ?paddle ?|飞桨 ?)?(?:hackathon|黑客松|黑客马拉松)"
_HACKATHON_WORD_RE = re.compile(_HACKATHON_WORD, re.IGNORECASE)
# An unbracketed Hackathon tag anywhere in the title ("fix: Hackathon 7th No.42 …").
_LOOSE_HACKATHON_TAG_RE = re.compile(rf"{_HACKATHON_WORD}[^\[\]]{{0,60}}?{_NO}", re.IGNORECASE)
# Something that wants to be a tag: a bracket holding "Hackathon", or a title starting with it.
_LOOKS_LIKE_TAG_RE = re.compile(rf"\[[^\[\]]*{_HACKATHON_WORD}|^{_HACKATHON_WORD}", re.I)
_EDITION_RE = re.compile(
    rf"{_HACKATHON_WORD} ?"
    r"(?:第 ?(?P<zh>[零〇一二两三四五六七八九十\d]{1,4}) ?期|(?P<n>\d{1,3})(?!\d)(?:st|nd|rd|th)?)"
    r" ?",
    re.IGNORECASE,
)
_CANONICAL_EDITION_RE = re.compile(r"(?<![a-z])hackathon (\d+)(?:st|nd|rd|th)(?![a-z\d])")
# Surrounding brackets and punctuation, and a trailing "No." left from a bot prefix.
_SURROUNDING = " []{}()<>:;,.!?~-_|/\\\"'#*"
# Matched on the reversed text, so that stripping the end is one linear pass: punctuation, and
# "No." ("on" reversed) where it is a word of its own.
_TRAILING_REVERSED_RE = re.compile(r"(?:[ \[\]{}()<>:;,.!?~\-_|/\\\"'#*]|[.:#]? ?on(?![a-z]))*+")
_SPACED_SYMBOL_RE = re.compile(r" ?([+&/_\-.·]) ?")
# Unbracketed tags ("Doc Link Fix No.12 …") are read at the start of a title only, and short.
_MAX_TAG_WORDS = 6
_TAG_PREFIX_RE = re.compile(r"[:|] ")
_MAX_TAG_CHARS = 60
# GitHub's own title for a revert: the task's PR is undone, no claim moves up.
_REVERT_RE = re.compile(r"revert \"", re.IGNORECASE)
# `-part` / `-final` (also `(part)`, `- final`, `～part`, `-part2`): right after the task numbers
# (inside or just outside the bracket) or at the end of the title. Elsewhere ("multi-part
# upload", "the final layer") the words are just words.
_MARKER_AFTER_TAG_RE = re.compile(r"^ ?\]? ?[-~(] ?(?P<marker>part|final)(?![a-z])", re.I)
_MARKER_AT_END_RE = re.compile(r"[-~(] ?(?P<marker>part|final) ?\d*+ ?\)? ?\.? ?$", re.I)


def _format(message, params):
    return str(message) % params if params else str(message)


_lazy_format = lazy(_format, str)


class ParseError(ValueError):
    """A message for contributors, rendered in the active language whenever it is shown, so
    that the same error can be answered in Chinese and in English."""

    def __init__(self, message, **params):
        self.message = _lazy_format(message, params)
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)

    def in_languages(self, *languages: str) -> dict[str, str]:
        """{"zh-hans": "…", "en": "…"} for a reply on GitHub in both languages."""
        result = {}
        for language in languages or ("zh-hans", "en"):
            with override(language):
                result[language] = str(self.message)
        return result


class TitleError(ParseError):
    """A task tag that cannot be read; the message says why and how to write it."""


@dataclass(frozen=True)
class PullRequestTitle:
    tag: str
    edition: int | None
    numbers: tuple[int, ...]
    marker: str = ""  # "part" (more PRs follow), "final", or ""
    identifiers: tuple[str, ...] = ()  # text identifiers (C-115, 1.3), upper-cased

    @property
    def keys(self) -> tuple[str, ...]:
        """Every task the title names, as `TaskQuerySet.by_keys` reads them."""
        return tuple(str(number) for number in self.numbers) + self.identifiers

    @property
    def completes(self) -> bool:
        """A merged PR completes its tasks unless it says `-part` (more PRs follow)."""
        return self.marker != "part"


def fold(text: str) -> str:
    """Half-width brackets, colons, commas, dashes and digits: one spelling to match."""
    return unicodedata.normalize("NFKC", text or "").translate(_FOLD)


def _prepare(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip()


def chinese_number(text: str) -> int | None:
    """七 → 7, 十 → 10, 十一 → 11, 二十三 → 23, 7 → 7 (for 第七期)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _sep, units = text.partition("十")
        if "十" in units:
            return None
        tens_value = _CHINESE_DIGITS.get(tens, None) if tens else 1
        units_value = _CHINESE_DIGITS.get(units, None) if units else 0
        if tens_value is None or units_value is None:
            return None
        return tens_value * 10 + units_value
    if len(text) == 1 and text in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[text]
    return None


def ordinal(number: int) -> str:
    """1 → 1st, 2 → 2nd, 3 → 3rd, 11 → 11th, 21 → 21st."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _canonical_edition(text: str) -> str:
    """ "paddlepaddle hackathon 4", "hackathon7th", "hackathon 第七期", "hackathon 3th" →
    "hackathon 4th" / "7th" / "7th" / "3rd": one spelling of the edition."""
    match = _EDITION_RE.search(text)
    if match is None:
        return text
    if match.group("n") is not None:
        number = int(match.group("n"))
    else:
        number = chinese_number(match.group("zh").replace(" ", ""))
        if number is None:
            return text
    before, after = text[: match.start()].strip(), text[match.end() :].strip()
    return " ".join(part for part in (before, f"hackathon {ordinal(number)}", after) if part)


def normalize_tag(text: str) -> str:
    """The one spelling a tag is compared in: casefolded, full-width folded to half-width,
    whitespace collapsed (and dropped around + & / - . between words), surrounding brackets,
    punctuation and a trailing "No." stripped, the Hackathon edition written one way.
    "Hackathon 9th Sprint" → "hackathon 9th sprint"; "【HACKATHON 第九期 Sprint No." → the same."""
    text = _strip_ends(_prepare(text).casefold())
    text = _SPACED_SYMBOL_RE.sub(r"\1", text)
    # Writing the edition out can part a trailing "No" from it ("hackathon7thno").
    return _strip_ends(_canonical_edition(text))


def _strip_ends(text: str) -> str:
    text = text.lstrip(_SURROUNDING)[::-1]
    return text[_TRAILING_REVERSED_RE.match(text).end() :][::-1]


def edition_of(tag: str) -> int | None:
    """The edition a normalised tag names ("hackathon 9th sprint" → 9), None for others."""
    match = _CANONICAL_EDITION_RE.search(tag)
    return int(match.group(1)) if match else None


def parse_numbers(text: str, error=TitleError) -> tuple[int, ...]:
    """`24,26-28,30`, `No.24,No.25`, `24~26` (folded) → (24, 26, 27, 28, 30); `error` for a
    number that cannot be a task's (0, a range from high to low, too many)."""
    return parse_keys(text, error)[0]


def parse_keys(text: str, error=TitleError) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """As `parse_numbers`, with text identifiers apart: `C-115,C-116` → ((), ("C-115",
    "C-116")); `1.3` → ((), ("1.3",))."""
    numbers: list[int] = []
    identifiers: list[str] = []
    seen: set[int] = set()
    for token in re.split(r" ?[,;] ?", text.strip()):
        identifier = _IDENTIFIER_TOKEN_RE.match(token.strip())
        if identifier is not None:
            value = identifier.group(1).upper()
            if len(value) > 20:
                raise error(_("“%(token)s” is not a task number."), token=token)
            if value not in identifiers:
                identifiers.append(value)
            if len(numbers) + len(identifiers) > MAX_NUMBERS:
                raise error(_("At most %(count)s tasks at once."), count=MAX_NUMBERS)
            continue
        match = _RANGE_RE.match(token.strip())
        if match is None:
            raise error(_("“%(token)s” is not a task number."), token=token)
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        for value in (start, end):
            if value > MAX_TASK_NUMBER:
                raise error(_("Task number %(n)s does not exist."), n=value)
        if start < 1 or end < 1:
            raise error(_("Task numbers start at 1."))
        if end < start:
            raise error(_("“%(token)s”: a range goes from low to high."), token=token)
        if end - start >= MAX_NUMBERS:
            raise error(_("“%(token)s”: the range is too long."), token=token)
        for number in range(start, end + 1):
            if number not in seen:
                seen.add(number)
                numbers.append(number)
        if len(numbers) + len(identifiers) > MAX_NUMBERS:
            raise error(_("At most %(count)s tasks at once."), count=MAX_NUMBERS)
    return tuple(numbers), tuple(identifiers)


def _without_trailing_brackets(text: str) -> str:
    """ "add xxx - part [fluid_ops]" → "add xxx - part": labels after the marker."""
    text = text.rstrip()
    while text.endswith("]") and (start := text.rfind("[")) >= 0:
        text = text[:start].rstrip()
    return text


def _marker(rest: str) -> str:
    """The last `-part` / `-final` wins: at the end of the title (before any trailing
    `[label]`), else right after the tag."""
    match = _MARKER_AT_END_RE.search(_without_trailing_brackets(rest))
    match = match or _MARKER_AFTER_TAG_RE.search(rest)
    return match.group("marker").lower() if match else ""


def _title(tag_text: str, text: str, numbers_at: int) -> PullRequestTitle:
    tag = normalize_tag(tag_text)
    if not tag:
        raise TitleError(
            _(
                "The title has a task number but no tag naming its task set "
                "(write “【Hackathon 7th No.42】…” or “[API Compatibility No.12]…”)."
            )
        )
    numbers_match = _NUMBERS_RE.match(text, numbers_at)
    if _IDENTIFIER_RANGE_RE.match(text, numbers_match.end()) and re.search(
        r"[a-z.]", numbers_match.group(0), re.IGNORECASE
    ):
        raise TitleError(_("Tasks named by text (C-115) are listed one by one: “No.C-115、C-116”."))
    numbers, identifiers = parse_keys(numbers_match.group(0))
    edition = edition_of(tag)
    if edition == 0 or (edition is None and _HACKATHON_WORD_RE.search(tag) and "第" in tag):
        raise TitleError(_("The edition in the title's Hackathon tag cannot be read."))
    return PullRequestTitle(
        tag=tag,
        edition=edition,
        numbers=numbers,
        marker=_marker(text[numbers_match.end() :]),
        identifiers=identifiers,
    )


def _short_enough(tag_text: str) -> bool:
    return (
        bool(tag_text.strip())
        and "[" not in tag_text
        and (len(tag_text) <= _MAX_TAG_CHARS and len(tag_text.split()) <= _MAX_TAG_WORDS)
    )


# The number right after a tag, for the sets configured so: "【Starter Code Camp 3】",
# "【Starter Code Camp #3、4】", "【Starter Code Camp】3 …", "【Starter Code Camp】：3 …".
_DIRECT_NUMBERS_RE = re.compile(rf" ?[:#]? ?{_NUMBERS_RE.pattern} ?$", re.IGNORECASE)
_DIRECT_AFTER_RE = re.compile(rf" ?[:#]? ?(?={_NUMBERS_RE.pattern}(?:[ :\[(]|$))", re.IGNORECASE)
_MAX_DIRECT_CHARS = 120


def _direct_title(text: str, direct_tags) -> PullRequestTitle | None:
    """A title of a set whose number follows its tag without “No.”: the bracket must hold
    exactly a configured tag and then the numbers (or be followed by them). Nothing else is
    read: a digit elsewhere in the title names no task."""
    for bracket in _BRACKET_RE.finditer(text):
        content = bracket.group(1)
        if len(content) > _MAX_DIRECT_CHARS or _NO_RE.search(content):
            continue
        if normalize_tag(content) in direct_tags:
            after = _DIRECT_AFTER_RE.match(text, bracket.end()) if bracket.group(2) else None
            if after is None:
                raise TitleError(
                    _(
                        "The title names the task set “%(tag)s” but no task: write "
                        "“【%(tag)s 3】” or “【%(tag)s No.3】”."
                    ),
                    tag=content.strip(),
                )
            return _title(content, text, after.end())
        # "【Starter Code Camp 3】": every place where the rest of the bracket is a number list,
        # the longest tag first ("Starter Code Camp3" is never "Starter Code" + "Camp3").
        for split in range(len(content) - 1, 0, -1):
            if content[split - 1].isdigit() and content[split].isdigit():
                continue  # never inside a number ("Camp 12" is not "Camp 1" + "2")
            numbers = _DIRECT_NUMBERS_RE.match(content, split)
            if numbers is not None and normalize_tag(content[:split]) in direct_tags:
                lead = re.match(r" ?[:#]? ?", content[split:]).end()
                return _title(content[:split], text, bracket.start(1) + split + lead)
    return None


def parse_pr_title(title: str, direct_tags=frozenset()) -> PullRequestTitle | None:
    """`direct_tags`: the normalised tags of the sets whose titles may write the number right
    after the tag (`TaskSet.objects.direct_tags()`); for every other tag “No.” is required."""
    text = _prepare(title)
    if not text or _REVERT_RE.match(text):
        return None
    if direct_tags:
        direct = _direct_title(text, direct_tags)
        if direct is not None:
            return direct
    unreadable = None  # a Hackathon bracket without a number, unless a later bracket has one
    previous_end, previous_content = -1, ""
    for bracket in _BRACKET_RE.finditer(text):
        content = bracket.group(1)
        number = _NO_RE.search(content)
        if number is not None:
            tag_text = content[: number.start()]
            if not tag_text.strip() and text[previous_end : bracket.start()].strip() == "":
                tag_text = previous_content  # "【Hackathon 7th】【No.42】"
            return _title(tag_text, text, bracket.start(1) + number.end())
        if bracket.group(2):
            after = _NO_AFTER_BRACKET_RE.match(text, bracket.end())
            if after is not None and content.strip():
                return _title(content, text, after.end())
            if _NO_WITHOUT_NUMBER_RE.search(content) or _HACKATHON_WORD_RE.search(content):
                unreadable = unreadable or TitleError(
                    _("The title's tag has no task number (write “【Hackathon 7th No.42】…”).")
                )
        previous_end, previous_content = bracket.end(), content
    if unreadable is not None:
        raise unreadable
    loose = _LOOSE_HACKATHON_TAG_RE.search(text)
    if loose is not None:
        tag_end = _NO_RE.search(text, loose.start())
        return _title(text[loose.start() : tag_end.start()], text, tag_end.end())
    start = _LEADING_BRACKETS_RE.match(text).end()
    number = _NO_RE.search(text, start)
    if number is not None:
        # "fix: PIR OpTest Fix No.3": a tag never holds a colon or a bar, what precedes is a prefix.
        tag_text = _TAG_PREFIX_RE.split(text[start : number.start()])[-1]
        if _short_enough(tag_text):
            return _title(tag_text, text, number.end())
    if _LOOKS_LIKE_TAG_RE.search(text):
        raise TitleError(
            _(
                "The title has a Hackathon tag without a task number "
                "(write “【Hackathon 7th No.42】…”)."
            )
        )
    return None
