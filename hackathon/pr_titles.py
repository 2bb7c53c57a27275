"""Read the hackathon tag of a pull request title, as the community writes it.

    【Hackathon 7th No.42】为 Paddle 新增 xxx API            → edition 7, tasks [42]
    [Hackathon 9th Sprint No.3] fix …                       → edition 9, tasks [3], sprint
    【Hackathon 7th No.24、26-28、30】… -part                 → edition 7, [24, 26, 27, 28, 30], part
    【PaddlePaddle Hackathon 4】No.56：add fp16 … -final     → edition 4, tasks [56], final
    【Hackathon 第七期 No.5】…                               → edition 7, tasks [5]

`parse_pr_title` is a pure function: no database, no settings. It answers None for a title
without a hackathon tag (an ordinary pull request), and raises `TitleError` for a tag that is
there but cannot be read (no edition, no task number): the webhook records those for staff.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .services import parse_task_numbers

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
        "、": ",",
        "，": ",",
        "；": ";",
        "：": ":",
        "—": "-",
        "–": "-",
        "‐": "-",
        "－": "-",
        "～": "~",
        "〜": "~",
        "。": ".",
    }
)

_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CHINESE_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}

_NUMBER = r"(?:no\s*\.?\s*)?\d+(?:\s*[-~]\s*(?:no\s*\.?\s*)?\d+)?"
_TAG_RE = re.compile(
    r"(?:paddle\s*paddle\s*)?hackathon\s*"
    r"(?:(?P<edition>\d{1,3})\s*(?:st|nd|rd|th)?|第\s*(?P<zh>[零〇一二两三四五六七八九十\d]{1,4})\s*期)"
    r"(?P<extra>[^\[\]\n]{0,60}?)"
    r"\s*\]?\s*:?\s*"
    r"no\s*[.:#]?\s*"
    rf"(?P<numbers>{_NUMBER}(?:\s*[,;]\s*{_NUMBER})*)",
    re.IGNORECASE,
)
# Something that wants to be a tag: a bracket holding "Hackathon", or a title starting with it.
_LOOKS_LIKE_TAG_RE = re.compile(r"\[[^\]]*hackathon|^\s*(?:paddle\s*paddle\s*)?hackathon\b", re.I)
_SPRINT_RE = re.compile(r"\bsprint\b\s*(?P<n>\d+)?", re.IGNORECASE)
# `-part` / `-final` (also `(part)`, `- final`, `～part`, `-part2`): right after the task numbers
# (inside or just outside the bracket) or at the end of the title. Elsewhere ("multi-part
# upload", "the final layer") the words are just words.
_MARKER_AFTER_TAG_RE = re.compile(
    r"^\s*\]?\s*[-~(]\s*(?P<marker>part|final)(?![a-z])", re.IGNORECASE
)
_MARKER_AT_END_RE = re.compile(
    r"[-~(]\s*(?P<marker>part|final)\s*\d*\s*\)?\s*[.]?\s*$", re.IGNORECASE
)


class TitleError(ValueError):
    """A hackathon tag that cannot be read; the message says why."""


@dataclass(frozen=True)
class PullRequestTitle:
    edition: int
    numbers: tuple[int, ...]
    sprint: bool = False
    sprint_number: int | None = None
    part: bool = False
    final: bool = False

    @property
    def completes(self) -> bool:
        """A merged PR completes its tasks unless it says `-part` (more PRs follow)."""
        return not self.part


def fold(title: str) -> str:
    """Half-width brackets, colons, commas, dashes and digits: one spelling to match."""
    return unicodedata.normalize("NFKC", title or "").translate(_FOLD)


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


def parse_pr_title(title: str) -> PullRequestTitle | None:
    text = fold(title)
    match = _TAG_RE.search(text)
    if match is None:
        if _LOOKS_LIKE_TAG_RE.search(text):
            raise TitleError(
                _(
                    "The title has a Hackathon tag without an edition and a task number "
                    "(write “【Hackathon 7th No.42】…”)."
                )
            )
        return None
    if match.group("edition"):
        edition = int(match.group("edition"))
    else:
        edition = chinese_number(match.group("zh"))
    if not edition:
        raise TitleError(_("The edition in the title's Hackathon tag cannot be read."))
    numbers, errors = parse_task_numbers(re.sub(r"\s+", "", match.group("numbers")))
    if errors:
        raise TitleError("; ".join(str(reason) for _token, reason in errors))
    if not numbers:
        raise TitleError(_("The title's Hackathon tag names no task number."))
    sprint = _SPRINT_RE.search(match.group("extra") or "")
    rest = text[match.end() :]
    marker = _MARKER_AT_END_RE.search(rest) or _MARKER_AFTER_TAG_RE.search(rest)
    last = marker.group("marker").lower() if marker else ""
    return PullRequestTitle(
        edition=edition,
        numbers=tuple(numbers),
        sprint=sprint is not None,
        sprint_number=int(sprint.group("n")) if sprint and sprint.group("n") else None,
        part=last == "part",
        final=last == "final",
    )
