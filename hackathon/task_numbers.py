"""Task-number lists as people write them: `2、3`, `2,3`, `2-5`, `No.2，No.5～7`."""

import re

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
