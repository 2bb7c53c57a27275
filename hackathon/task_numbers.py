"""Task-number lists as people write them: `2、3`, `2,3`, `2-5`, `No.2，No.5～7`."""

import re
import unicodedata

from django.utils.translation import gettext as _

MAX_NUMBERS_PER_CLAIM = 100
MAX_TASK_NUMBER = 100_000

_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        "，": ",",
        "、": ",",
        "；": ",",
        ";": ",",
        "－": "-",
        "—": "-",
        "–": "-",
        "～": "-",
        "~": "-",
        "＃": "#",
        "　": " ",
        "．": ".",
        "Ｎ": "N",
        "ｏ": "o",
        "Ｏ": "O",
        "ｎ": "n",
    }
)
_TOKEN_RE = re.compile(r"^(?:no\.?)?#?(\d+)(?:-(?:no\.?)?#?(\d+))?$", re.IGNORECASE)


def parse_task_numbers(text: str) -> tuple[list[int], list[tuple[str, str]]]:
    """`2、3`, `2,3`, `2-5`, `No.2，No.5～7` → ([2, 3, …], [(bad token, reason), …])."""
    normalised = (text or "").translate(_FULLWIDTH)
    normalised = re.sub(r"\s*-\s*", "-", normalised)
    numbers: list[int] = []
    seen: set[int] = set()
    errors: list[tuple[str, str]] = []
    for token in re.split(r"[,\s]+", normalised):
        if not token:
            continue
        match = _TOKEN_RE.match(token)
        if match is None:
            errors.append((token, _("“%(token)s” is not a task number.") % {"token": token}))
            continue
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        if start > MAX_TASK_NUMBER or end > MAX_TASK_NUMBER:
            errors.append((token, _("“%(token)s” is not a task number.") % {"token": token}))
            continue
        if start < 1 or end < 1:
            errors.append((token, _("Task numbers start at 1.")))
            continue
        if end < start:
            errors.append(
                (token, _("“%(token)s”: a range goes from low to high.") % {"token": token})
            )
            continue
        if end - start >= MAX_NUMBERS_PER_CLAIM:
            errors.append((token, _("“%(token)s”: the range is too long.") % {"token": token}))
            continue
        for number in range(start, end + 1):
            if number not in seen:
                seen.add(number)
                numbers.append(number)
        if len(numbers) > MAX_NUMBERS_PER_CLAIM:
            break
    if len(numbers) > MAX_NUMBERS_PER_CLAIM:
        errors.append(
            (
                str(numbers[MAX_NUMBERS_PER_CLAIM]),
                _("At most %(count)s tasks can be claimed at once.")
                % {"count": MAX_NUMBERS_PER_CLAIM},
            )
        )
        numbers = numbers[:MAX_NUMBERS_PER_CLAIM]
    return numbers, errors


# --- Text identifiers --------------------------------------------------------------------------
# Some sets number their items as text: `C-115` (a letter series), `1.3` (item 3 of part 1). Such
# a task keeps an integer `number` for its address and its place on the board, and is named, in
# titles, comments and the claim form, by its identifier alone. A token of digits only is always
# a number, never an identifier.
IDENTIFIER_MAX_LENGTH = 20
# Written inside the bigger grammars (titles, comments), matched case-insensitively.
IDENTIFIER_PATTERN = r"(?:[a-z]{1,4}-?\d{1,6}(?:\.\d{1,4}){0,3}|\d{1,6}(?:\.\d{1,4}){1,3})"
IDENTIFIER_RE = re.compile(rf"^{IDENTIFIER_PATTERN}$", re.IGNORECASE)
_IDENTIFIER_FOLD = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "‑": "-", "．": "."})


def normalize_identifier(text: str) -> str | None:
    """`c-115`, `Ｃ－１１５`, ` 1.3 ` → `C-115`, `1.3`; None for what is no identifier
    (`42`, `C-`, `1.`, `xxx`)."""
    value = unicodedata.normalize("NFKC", text or "").translate(_IDENTIFIER_FOLD).strip()
    if len(value) > IDENTIFIER_MAX_LENGTH or not IDENTIFIER_RE.match(value):
        return None
    return value.upper()


def natural_key(identifier: str) -> tuple:
    """Order identifiers as people read them: C-2 before C-115, 1.3 before 1.10."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|[^\d.\-]+", identifier.upper())
    )


def parse_task_keys(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The claim form's list with identifiers too: `2、3`, `C-115、C-116`, `1.3` → (["2", "3"],
    …), (["C-115", "C-116"], …): each key names a task by its number or by its identifier."""
    keys: list[str] = []
    rest: list[str] = []
    text = re.sub(r"\s*[-~～－—–]\s*", "-", text or "")
    for token in re.split(r"[,\s、，；;]+", text.strip()):
        identifier = normalize_identifier(re.sub(r"^(?:no\.?|#)", "", token, flags=re.I))
        if token and identifier is not None:
            if identifier not in keys:
                keys.append(identifier)
        elif token:
            rest.append(token)
    numbers, errors = parse_task_numbers(", ".join(rest))
    return [str(number) for number in numbers] + keys, errors
