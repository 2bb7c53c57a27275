"""Read the community's task documents and RFC lists.

Task documents: one task per heading `### No.42：title` or `### NO.18 title`, followed by bold
sub-sections (**详细描述：**, **提交内容：**, **技术要求：**, **验收说明：**, …) kept as the
task's Markdown description. A difficulty line (`任务难度：⭐️⭐️` or `难度：0.5⭐️`) and an
RFC line (`是否需要提交 RFC：是`) are read when present.

RFC lists: Markdown tables `| 序号 | 难度 | 任务标题 | 是否需要提交 RFC |`, difficulty written as
🌟/⭐ counts (or a number followed by a star).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .models import MAX_DIFFICULTY, MIN_DIFFICULTY
from .task_numbers import IDENTIFIER_PATTERN, natural_key, normalize_identifier

# `### No.42：title`, or a text identifier where a set numbers its items so: `### No.C-115 title`,
# `### No.1.3：title` (tried first: `1.3` is not task 1).
HEADING_RE = re.compile(
    rf"^#{{2,4}}\s*N[Oo]\.?\s*(?:(?P<identifier>{IDENTIFIER_PATTERN})|(\d{{1,9}}))(?![\w.])"
    r"\s*[：:.、\s-]*\s*(.*?)\s*#*\s*$",
    re.IGNORECASE,
)
TASKISH_RE = re.compile(r"^#{2,4}\s*N[Oo]\b", re.IGNORECASE)
SECTION_END_RE = re.compile(r"^#{1,3}\s")
STAR_CHARS = "⭐🌟"
DIFFICULTY_LINE_RE = re.compile(r"(?:任务)?难度\s*[：:]\s*(.+)$")
RFC_LINE_RE = re.compile(r"是否需要(?:提交)?\s*RFC\s*[：:]\s*(\S+)", re.IGNORECASE)
YES = {"是", "需要", "yes", "y", "true", "✅", "✔", "✔️"}
NO = {"否", "不需要", "no", "n", "false", "❌", "-", "—", "/"}


@dataclass
class ParsedTask:
    number: int  # 0 for a task named by its identifier: the importer gives it a number
    title: str
    identifier: str = ""  # C-115, 1.3 where the set numbers its items as text
    difficulty: Decimal | None = None
    needs_rfc: bool | None = None
    description: str | None = None
    section: str = ""  # the `## …` heading above it: the direction, when none is given
    line: int = 0


@dataclass
class ParseReport:
    tasks: list[ParsedTask] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_difficulty(text: str) -> Decimal | None:
    text = (text or "").strip().replace("\ufe0f", "")
    if not text:
        return None
    stars = sum(text.count(char) for char in STAR_CHARS)
    number = re.search(r"\d+(?:\.\d+)?", text)
    try:
        if number:
            value = Decimal(number.group(0))
        elif stars:
            value = Decimal(stars)
        else:
            return None
    except InvalidOperation:
        return None
    if not (MIN_DIFFICULTY <= value <= MAX_DIFFICULTY):
        return None
    return value


def parse_yes_no(text: str) -> bool | None:
    value = (text or "").strip().strip("*").strip().lower()
    if value in YES:
        return True
    if value in NO or value == "":
        return False
    return None


def _split_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)]


def _clean_title(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # [title](link) → title
    text = text.replace("**", "")
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text).strip()  # Markdown escapes


def section_name(heading: str) -> str:
    """`## 框架开发任务` → 框架开发; `## 合作伙伴任务（OpenVINO）` stays as it is."""
    name = heading.lstrip("#").strip().strip("*").strip()
    name = re.sub(r"^[一二三四五六七八九十\d]+[、.．]\s*", "", name)
    return re.sub(r"任务(?:合集|列表|详情)?$", "", name).strip() or name


def parse_document(text: str) -> ParseReport:
    report = ParseReport()
    # NUL: PostgreSQL cannot store it; it is never meant.
    lines = text.replace("\r\n", "\n").replace("\ufeff", "").replace("\x00", "").split("\n")
    found: dict[int | str, ParsedTask] = {}  # by number, or by identifier
    section = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if re.match(r"^##\s", stripped) and not TASKISH_RE.match(stripped):
            section = section_name(stripped)[:100]
            i += 1
            continue
        if stripped.startswith("|") and "序号" in stripped and "任务标题" in stripped:
            i = _parse_table(lines, i, found, report, section)
            continue
        if TASKISH_RE.match(stripped):
            match = HEADING_RE.match(stripped)
            if match is None or not match.group(3):
                report.problems.append(f"line {i + 1}: cannot read the task heading “{stripped}”")
                i += 1
                continue
            identifier = (match.group("identifier") or "").upper()
            number = 0 if identifier else int(match.group(2))
            title = _clean_title(match.group(3))
            body = []
            j = i + 1
            while j < len(lines) and not SECTION_END_RE.match(lines[j].strip()):
                if TASKISH_RE.match(lines[j].strip()):
                    break
                body.append(lines[j])
                j += 1
            key = identifier or number
            task = found.get(key) or ParsedTask(
                number=number, title=title, identifier=identifier, line=i + 1
            )
            task.title = title
            task.section = task.section or section
            task.description = "\n".join(body).strip()
            for body_line in body:
                plain = body_line.replace("*", "").strip().lstrip("-").strip()
                difficulty = DIFFICULTY_LINE_RE.search(plain)
                if difficulty and task.difficulty is None:
                    task.difficulty = parse_difficulty(difficulty.group(1))
                rfc = RFC_LINE_RE.search(plain)
                if rfc and task.needs_rfc is None:
                    task.needs_rfc = parse_yes_no(rfc.group(1))
            found[key] = task
            i = j
            continue
        i += 1
    # Numbers in their order, then identifiers as people read them (C-2 before C-115).
    report.tasks = sorted(
        found.values(),
        key=lambda task: (bool(task.identifier), task.number, natural_key(task.identifier)),
    )
    return report


def _parse_table(lines, start, found, report, section="") -> int:
    header = [cell.replace(" ", "") for cell in _split_row(lines[start])]
    columns = {
        "number": next((k for k, c in enumerate(header) if "序号" in c), None),
        "difficulty": next((k for k, c in enumerate(header) if "难度" in c), None),
        "title": next((k for k, c in enumerate(header) if "任务标题" in c), None),
        "rfc": next((k for k, c in enumerate(header) if "RFC" in c.upper()), None),
    }
    i = start + 1
    while i < len(lines) and lines[i].strip().startswith("|"):
        cells = _split_row(lines[i])
        if all(re.fullmatch(r":?-{2,}:?", cell) for cell in cells if cell):
            i += 1
            continue
        try:
            cell = cells[columns["number"]]
            # `| C-115 |` names the task by text; it is never read as 115.
            identifier = normalize_identifier(re.sub(r"^(?:no\.?|#)\s*", "", cell, flags=re.I))
            number = 0 if identifier else int(re.sub(r"\D", "", cell) or "x")
            title = _clean_title(cells[columns["title"]])
            if not title:
                raise ValueError
        except (ValueError, IndexError, TypeError):
            report.problems.append(f"line {i + 1}: cannot read the table row “{lines[i].strip()}”")
            i += 1
            continue
        difficulty = None
        if columns["difficulty"] is not None and columns["difficulty"] < len(cells):
            raw = cells[columns["difficulty"]]
            difficulty = parse_difficulty(raw)
            if difficulty is None and raw:
                report.problems.append(
                    f"line {i + 1}: cannot read the difficulty “{raw}” of "
                    f"No.{identifier or number} (0.025 to 3 stars)"
                )
                if (identifier or number) not in found:
                    i += 1
                    continue
        key = identifier or number
        task = found.get(key) or ParsedTask(
            number=number, title=title, identifier=identifier or "", line=i + 1
        )
        task.title = task.title or title
        task.section = task.section or section
        if difficulty is not None:
            task.difficulty = difficulty
        if columns["rfc"] is not None and columns["rfc"] < len(cells):
            rfc = parse_yes_no(cells[columns["rfc"]])
            if rfc is None:
                report.problems.append(
                    f"line {i + 1}: cannot read “{cells[columns['rfc']]}” as yes or no"
                )
            else:
                task.needs_rfc = rfc
        found[key] = task
        i += 1
    return i
