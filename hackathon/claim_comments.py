"""Read a claim from a comment on a task set's GitHub issue, as contributors write them for the
community's bot:

    【报名】：19          【报名】:29          【报名】37、38、39        [报名]: 21-27
    【报名】：7、9-11、31、38            【报名】：40 SDGD优化器 (words after the numbers)
    【报名】：１２，１３ (full-width)     【提交】：46 (read as a claim)
    【取消报名】：7 → a withdrawal
    【报名】：C-115、C-116 / 【报名】：1.3 (a set that numbers its items as text)

`parse_claim_comment` is a pure function. It answers None for a comment that claims nothing
(questions, chat, a quoted claim of someone else: lines starting with ">" and fenced code are
not read), and raises `CommentError` for a comment that tries to claim but is refused, with
the bot's wording where it had one: `报名：3` without the brackets ("请检查报名格式…"),
`【报名】：1111111`, `【链接】：1-5` (an unknown action), `【报名】` without a number.
Whether a number names a task of the set is the caller's business.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .pr_titles import MAX_NUMBERS, ParseError, fold, parse_keys


class CommentError(ParseError):
    """A comment that tries to claim or withdraw but cannot be read; the message says how."""


@dataclass(frozen=True)
class ClaimComment:
    action: str  # "claim" | "withdraw"
    numbers: tuple[int, ...]
    identifiers: tuple[str, ...] = ()  # text identifiers (C-115, 1.3), upper-cased

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(str(number) for number in self.numbers) + self.identifiers


CLAIM = "claim"
WITHDRAW = "withdraw"
# The bracketed word says what the comment does. 提交 ("submitted") is what some tracks ask
# contributors to write; the board follows their pull requests, so it reads as a claim.
_ACTIONS = {
    "报名": CLAIM,
    "提交": CLAIM,
    "claim": CLAIM,
    "取消报名": WITHDRAW,
    "取消": WITHDRAW,
    "withdraw": WITHDRAW,
}
_ACTION_RE = re.compile(r"\[ ?(?P<word>取消报名|取消|报名|提交|claim|withdraw) ?\]", re.IGNORECASE)
# Between the action and the numbers: a colon, "No.", "#", 第, 任务/赛题 ("task").
_LEAD_RE = re.compile(
    r" ?:? ?(?:no ?[.:#]? ?|# ?|第 ?|任务 ?|赛题 ?|task ?)?(?=\d|[a-z]{1,4}-?\d)", re.I
)
# A number, a range, or a text identifier (C-115, 1.3) where a set numbers its items so.
_IDENTIFIER = r"(?:[a-z]{1,4}-?\d++(?:\.\d++)*+|\d++(?:\.\d++)++)"
_NUMBER = rf"(?:{_IDENTIFIER}|\d++(?: ?[-~] ?(?:no ?[.:#]? ?)?\d++)?)"
_NUMBERS_RE = re.compile(rf"{_NUMBER}(?: ?[,;] ?(?:no ?[.:#]? ?)?{_NUMBER})*+", re.IGNORECASE)
# The bot refused "报名: …" without the brackets (and so do we).
_LOOSE_CLAIM_RE = re.compile(r"(?<!\[)(?<!\[ )(取消)?报名 ?:")
# "【链接】：1-5": a bracketed word that is no action, followed by nothing but task numbers.
_UNKNOWN_ACTION_RE = re.compile(
    rf"^ ?\[ ?([^\[\]]{{1,12}}?) ?\] ?:? ?{_NUMBER}(?: ?[,;] ?{_NUMBER})*+ ?$"
)
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
MAX_LINES = 200  # a claim is written near the top; a pasted log is not read to its end


def _lines(body: str):
    """The comment's own lines: quoted replies and fenced code are someone else's words."""
    fenced = None
    for raw in fold(body).splitlines()[:MAX_LINES]:
        fence = _FENCE_RE.match(raw)
        if fence:
            fenced = None if fenced == fence.group(1) else (fenced or fence.group(1))
            continue
        if fenced or raw.lstrip().startswith(">"):
            continue
        yield re.sub(r"\s+", " ", raw).strip()


def _format_error():
    return CommentError(
        _(
            "Check the claim format: write “【报名】: task numbers”, e.g. “【报名】: 2、3” or “【报名】: 2-5”."
        )
    )


def parse_claim_comment(body: str) -> ClaimComment | None:
    lines = list(_lines(body))
    found: list[tuple[str, tuple[int, ...]]] = []
    loose = unknown = False
    for index, line in enumerate(lines):
        action = _ACTION_RE.search(line)
        if action is None:
            loose = loose or bool(_LOOSE_CLAIM_RE.search(line))
            unknown = unknown or bool(_UNKNOWN_ACTION_RE.match(line))
            continue
        word = action.group("word").casefold()
        rest = line[action.end() :]
        if not rest.strip(" :"):
            # "【报名】：" with the numbers on the next line, as the bot read it.
            rest = next((following for following in lines[index + 1 :] if following), "")
        lead = _LEAD_RE.match(rest)
        if lead is None:
            raise CommentError(
                _("“【%(action)s】” needs task numbers after it, e.g. “【%(action)s】: 2、3”."),
                action=action.group("word"),
            )
        numbers_match = _NUMBERS_RE.match(rest, lead.end())
        after = rest[numbers_match.end() :]
        if re.match(r" \d", after):
            raise CommentError(
                _("Separate task numbers with “、” or “,”, e.g. “【报名】: 2、3”; ranges as “2-5”.")
            )
        if re.match(r" ?[-~] ?\d", after) and re.search(r"[a-z.]", numbers_match.group(0), re.I):
            raise CommentError(
                _("Tasks named by text (C-115) are listed one by one: “【报名】: C-115、C-116”.")
            )
        found.append((_ACTIONS[word], parse_keys(numbers_match.group(0), error=CommentError)))
    if not found:
        if loose:
            raise _format_error()
        if unknown:
            raise CommentError(
                _(
                    "This comment claims nothing: write “【报名】: 2、3” to claim tasks or "
                    "“【取消报名】: 3” to withdraw a claim."
                )
            )
        return None
    actions = {action for action, _numbers in found}
    if len(actions) > 1:
        raise CommentError(
            _(
                "A comment either claims or withdraws: post “【报名】: …” and "
                "“【取消报名】: …” as two comments."
            )
        )
    numbers = tuple(dict.fromkeys(number for _action, (more, _ids) in found for number in more))
    identifiers = tuple(dict.fromkeys(value for _action, (_n, more) in found for value in more))
    if len(numbers) + len(identifiers) > MAX_NUMBERS:
        raise CommentError(_("At most %(count)s tasks at once."), count=MAX_NUMBERS)
    return ClaimComment(action=found[0][0], numbers=numbers, identifiers=identifiers)


def written_order(comment: dict) -> tuple:
    """When a comment was written on GitHub, as a sortable key: its last edit (`updated_at`,
    else `created_at`, GitHub's ISO 8601 UTC times), then its id (GitHub's ids grow). A
    comment without times (an old stored delivery) sorts by its id alone, before any comment
    with times; comments of one issue come from one source, so they all have times or none."""
    from django.utils.dateparse import parse_datetime

    written = None
    for name in ("updated_at", "created_at"):
        value = comment.get(name)
        if isinstance(value, str) and value:
            try:
                written = parse_datetime(value)
            except ValueError:
                written = None
            if written is not None:
                break
    stamp = written.timestamp() if written is not None and written.tzinfo else None
    comment_id = comment.get("id") if isinstance(comment.get("id"), int) else 0
    return (stamp is not None, stamp or 0.0, comment_id)
