"""Read the community bot's `HackathonBot/config.py` (PFCCLab/PaddleAutoProject): every task set
it serves, with its PR-title prefix, task issue, repositories, removed tasks and tracks, so that
staff can take the sets over without retyping them.

The file is a Python module that reads environment variables and opens a log file on import:
it is parsed with `ast` and only literal values are read; nothing in it is executed.

    {'issue_name': "【Hackathon 10th】开源贡献个人挑战赛 · 春节特别季",
     'issue_url': 'https://api.github.com/repos/PaddlePaddle/Paddle/issues/77429',
     'repo_urls': ['https://api.github.com/repos/PaddlePaddle/Paddle/pulls', …],
     'removed_tasks': [], 'type_names': ["框架开发任务", …], 'task_types': [['1-2','51-52'], …],
     'pr_prefix': "Hackathon 10th Spring No.", 'max_task_id': 54, …}
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from .pr_titles import edition_of, fold, normalize_tag

# The bot counted a pull request in a repository named "community" as an RFC (设计文档).
RFC_REPOSITORY_NAME = "community"
_API_REPO_RE = re.compile(
    r"^https?://(?:api\.)?github\.com/(?:repos/)?(?P<owner>[\w.-]+)/(?P<name>[\w.-]+)"
    r"(?:/(?:pulls|issues)(?:/(?P<number>\d+))?)?/?$",
    re.IGNORECASE,
)
_REGEX_TAIL_RE = re.compile(r"[.]?[*+?].*$")
_PREFIX_NO_RE = re.compile(r"(?<![a-z])no(?![a-z])", re.IGNORECASE)


class BotConfigError(ValueError):
    """The file holds no `configs = [...]` list of dicts."""


@dataclass(frozen=True)
class BotTaskSet:
    key: str  # "owner/name#issue", unique per set
    title_tags: tuple[str, ...]  # normalize_tag() of the PR-title prefix, none without one
    edition: int | None
    name: str
    issue_url: str  # https://github.com/owner/name/issues/N
    repositories: tuple[str, ...]  # owner/name where PRs count as code
    rfc_repository: str  # owner/name where PRs count as RFCs, "" when none is watched
    removed_numbers: tuple[int, ...]
    tracks: tuple[tuple[str, tuple[int, ...]], ...]  # (track name, its task numbers)
    # What the bot's config says beyond the fields above.
    pr_prefix: str = ""  # the prefix as written (a regular expression to the bot)
    max_number: int | None = None  # max_task_id (task_num in older files)
    manual_numbers: tuple[int, ...] = ()  # un_handle_tasks: left to staff, never updated
    start_time: str = ""  # PRs created before it were not counted
    is_hackathon: bool | None = None  # 'hackathon' flag, None when not given
    shows_board: bool = True  # 'board' (看板) shown in the issue
    # A prefix without "No." ("Starter Code Camp", "Add spmd rule"): the bot took the first digit
    # after the title's first "No" (or the title's first digit at all). The portal reads, for
    # such a set only, the number written right after its tag (【Starter Code Camp 3】) besides
    # "No.3"; never a digit elsewhere in the title.
    number_follows_tag: bool = False


def _literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None  # os.environ.get(…) and other expressions: not data for us


def _config_dicts(tree: ast.Module) -> tuple[dict, list[dict]]:
    common: dict = {}
    configs: list[dict] | None = None
    single: list[dict] | None = None
    for statement in tree.body:
        if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.AST):
            continue
        names = [target.id for target in statement.targets if isinstance(target, ast.Name)]
        if "common_config" in names and isinstance(statement.value, ast.Dict):
            common = _dict(statement.value)
        if "configs" in names and isinstance(statement.value, ast.List | ast.Tuple):
            configs = [_dict(item) for item in statement.value.elts if isinstance(item, ast.Dict)]
        if "config" in names and isinstance(statement.value, ast.Dict) and configs is None:
            single = [_dict(statement.value)]  # the bot's first versions served one set
    if configs is None:
        configs = single
    if configs is None:
        raise BotConfigError("No `configs = [...]` list in the bot's config file.")
    return common, configs


def _dict(node: ast.Dict) -> dict:
    result = {}
    for key, value in zip(node.keys, node.values, strict=True):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            result[key.value] = _literal(value)
    return result


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _numbers(values) -> tuple[int, ...]:
    """[3, '5', '7-9'] → (3, 5, 7, 8, 9); what is not a number or range is skipped."""
    numbers: list[int] = []
    for value in values if isinstance(values, list | tuple) else [values]:
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            numbers.append(value)
            continue
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", fold(str(value)))
        if match:
            start = int(match.group(1))
            end = int(match.group(2) or start)
            numbers.extend(range(start, min(end, start + 100_000) + 1))
    return tuple(dict.fromkeys(numbers))


def _repository(url) -> tuple[str, str]:
    """('owner/name', issue number or '') from an api.github.com or github.com address."""
    match = _API_REPO_RE.match(_text(url))
    if match is None:
        return "", ""
    return f"{match.group('owner')}/{match.group('name')}", match.group("number") or ""


def title_tag_of_prefix(prefix: str) -> str:
    """The bot's `pr_prefix` as a tag: "Hackathon 10th Spring No." → "hackathon 10th spring";
    "[Docathon][Update Doc No." → "update doc" (the bracket the number is in);
    "[Auto Parallel] Add spmd rule" → "add spmd rule" (the leading label is not the tag);
    "Hackathon.*?No" → "hackathon" (the literal part of a pattern)."""
    text = fold(prefix)
    text = _REGEX_TAIL_RE.sub("", text) if re.search(r"[.][*+?]", text) else text
    text = text.rstrip(" []")
    # The tag is what the number follows: inside a bracket left open ("[Docathon][Update Doc
    # No."), else after the last closed one ("[Auto Parallel] Add spmd rule").
    text = text[max(text.rfind("["), text.rfind("]")) + 1 :]
    return normalize_tag(text)


def _task_set(config: dict) -> BotTaskSet:
    name = _text(config.get("issue_name"))
    repository, issue_number = _repository(config.get("issue_url"))
    issue_url = f"https://github.com/{repository}/issues/{issue_number}" if issue_number else ""
    code, rfc = [], ""
    urls = config.get("repo_urls")
    for url in urls if isinstance(urls, list | tuple) else []:
        full_name, _number = _repository(url)
        if not full_name:
            continue
        if full_name.split("/", 1)[1].casefold() == RFC_REPOSITORY_NAME:
            rfc = rfc or full_name
        elif full_name not in code:
            code.append(full_name)
    prefix = config.get("pr_prefix") if isinstance(config.get("pr_prefix"), str) else ""
    tag = title_tag_of_prefix(prefix) if prefix.strip() else ""
    edition = edition_of(tag) if tag else None
    if edition is None:
        edition = edition_of(normalize_tag(name))
    names = config.get("type_names") or []
    ranges = config.get("task_types") or []
    tracks = tuple(
        (_text(track), _numbers(numbers))
        for track, numbers in zip(names, ranges, strict=False)
        if isinstance(track, str)
    )
    maximum = config.get("max_task_id", config.get("task_num"))
    hackathon = config.get("hackathon")
    return BotTaskSet(
        key=f"{repository}#{issue_number}" if issue_number else name,
        title_tags=(tag,) if tag else (),
        edition=edition,
        name=name,
        issue_url=issue_url,
        repositories=tuple(code),
        rfc_repository=rfc,
        removed_numbers=_numbers(config.get("removed_tasks") or []),
        tracks=tracks,
        pr_prefix=prefix,
        max_number=maximum if isinstance(maximum, int) and not isinstance(maximum, bool) else None,
        manual_numbers=_numbers(config.get("un_handle_tasks") or []),
        start_time=_text(config.get("start_time")),
        is_hackathon=hackathon if isinstance(hackathon, bool) else None,
        shows_board=config.get("board") is not False,
        number_follows_tag=bool(tag) and not _PREFIX_NO_RE.search(fold(prefix)),
    )


def read_bot_config(path) -> list[BotTaskSet]:
    """The bot's task sets, in the file's order; `common_config` fills what a set leaves out."""
    source = Path(path).read_text(encoding="utf-8")
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        raise BotConfigError(f"The bot's config file is not valid Python: {error}") from error
    common, configs = _config_dicts(tree)
    return [_task_set(common | config) for config in configs]
