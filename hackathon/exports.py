"""Exports: Markdown in the layout of the community's GitHub issue boards (pasteable), CSV and
JSON, for the task board, the progress table and the results."""

import json
from decimal import Decimal

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from common.mdsafe import safe_markdown

from .models import STATE_EMOJI, ClaimState, format_stars, stars_emoji


def md_cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def markdown_response(text: str) -> HttpResponse:
    # People's text (titles, team names) never carries executable HTML into a pasted issue.
    return HttpResponse(safe_markdown(text), content_type="text/markdown; charset=utf-8")


def json_response(data) -> JsonResponse:
    return JsonResponse(
        data, json_dumps_params={"ensure_ascii": False, "indent": 2}, encoder=_Encoder
    )


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return format_stars(o)
        return super().default(o)


# --- Task board ----------------------------------------------------------------------------


def state_legend() -> str:
    return " | ".join(f"{STATE_EMOJI[state.value]} {state.label}" for state in ClaimState)


def _claim_md(claim) -> str:
    prs = " ".join(f"[{pull.short}]({pull.url})" for pull in claim.pull_requests.all())
    return " ".join(part for part in (md_cell(claim.label), claim.state_emoji, prs) if part)


def _completed_by(task) -> str:
    return task.completed_claim.label if task.completed_claim_id else ""


def board_markdown(edition, groups) -> str:
    """One table per direction: | 序号 | 难度 | 任务标题 | 队伍/状态/PR | 完成队伍 |."""
    lines = [f"> {_('State')}: {state_legend()}", ""]
    for group in groups:
        lines.append(f"### {group['title']}")
        lines.append("")
        lines.append(
            "| "
            + " | ".join(
                [_("No."), _("Difficulty"), _("Task"), _("Team / state / PR"), _("Completed by")]
            )
            + " |"
        )
        lines.append("| :---: | :---: | :--- | :--- | :---: |")
        for task in group["tasks"]:
            claims = "<br>".join(_claim_md(claim) for claim in task.claims.all())
            lines.append(
                f"| {md_cell(task.label)} | {stars_emoji(task.difficulty)} | {md_cell(task.title)} | "
                f"{claims} | {md_cell(_completed_by(task))} |"
            )
        lines.append("")
    return "\n".join(lines)


def task_record(task) -> dict:
    return {
        "set": task.task_set.slug,
        "number": task.number,
        # The task's text identifier (C-115, 1.3) where its set numbers items so, else "".
        "identifier": task.identifier,
        "title": task.title,
        "track": task.direction.track.name if task.direction_id else "",
        "direction": task.direction.name if task.direction_id else "",
        "difficulty": format_stars(task.difficulty),
        "needs_rfc": task.needs_rfc,
        "status": task.state,
        "completed_by": _completed_by(task),
        "claims": [
            {
                "github": claim.person.github,
                # A login typed on a form, never proven by signing in with GitHub.
                "github_verified": claim.person.is_verified,
                "team": claim.team_name,
                "state": claim.state,
                "state_label": str(ClaimState(claim.state).label),
                "claimed_at": claim.created_at.isoformat(),
                "pull_requests": [
                    {"url": pull.url, "merged": pull.merged} for pull in claim.pull_requests.all()
                ],
            }
            for claim in task.claims.all()
        ],
    }


BOARD_CSV_HEADER = [
    "number",
    "track",
    "direction",
    "difficulty",
    "title",
    "needs_rfc",
    "status",
    "claims",
    "pull_requests",
    "completed_by",
    "set",
    "identifier",
]


def board_csv_rows(tasks):
    for task in tasks:
        record = task_record(task)
        yield [
            record["number"],
            record["track"],
            record["direction"],
            record["difficulty"],
            record["title"],
            "yes" if record["needs_rfc"] else "no",
            record["status"],
            "; ".join(
                f"{claim['team'] or '@' + claim['github']} ({claim['state']})"
                for claim in record["claims"]
            ),
            " ".join(pull["url"] for claim in record["claims"] for pull in claim["pull_requests"]),
            record["completed_by"],
            record["set"],
            record["identifier"],
        ]


# --- Progress ------------------------------------------------------------------------------


def progress_markdown(rows, totals, people, task_set=None) -> str:
    """The community's 看板 table; every row names its task set in the last column."""
    header = [
        _("Direction"),
        _("Task count"),
        _("Submitted / claimed"),
        _("Submission rate"),
        _("Completed"),
        _("Completion rate"),
        _("Task set"),
    ]
    lines = []
    if task_set is not None:
        lines += [f"## {md_cell(task_set)}", ""]
    lines += [
        "| " + " | ".join(header) + " |",
        "| :--- | :---: | :---: | :---: | :---: | :---: | :--- |",
    ]
    for row in [*rows, totals]:
        name = md_cell(row.direction) if row.direction else _("Total")
        set_name = md_cell(row.set_name) if row.set_name else _("All task sets")
        lines.append(
            f"| {name} | {row.tasks} | {row.submitted} / {row.claimed} | {row.submission_rate} "
            f"| {row.completed} | {row.completion_rate} | {set_name} |"
        )
    lines += ["", f"### {_('Statistics')}", ""]
    lines.append(
        "| "
        + " | ".join([_("GitHub"), _("Claims"), _("Submitted"), _("Completed"), _("Stars")])
        + " |"
    )
    lines.append("| :--- | :---: | :---: | :---: | :---: |")
    for person in people:
        lines.append(
            f"| @{person.github} | {person.claims} | {person.submitted} | {person.completed} "
            f"| {person.stars_display} |"
        )
    lines.append("")
    return "\n".join(lines)


PROGRESS_CSV_HEADER = [
    "track",
    "direction",
    "tasks",
    "submitted",
    "claimed",
    "submission_rate",
    "completed",
    "completion_rate",
    "set",
    "set_name",
]


# --- Results -------------------------------------------------------------------------------

RESULTS_CSV_HEADER = [
    "rank",
    "github",
    "name",
    "completed_tasks",
    "tasks",
    "stars",
    "reward",
    "open_source_star",
    "certificate",
    "set",
]


def result_record(row, certificate_url: str = "") -> dict:
    """A line of the results: an edition's `Result` (its `set` names every set its tasks come
    from, `by_set` has each set's part) or a task set's `stats.SetResult`."""
    per_set = getattr(row, "set", None)
    if per_set is not None:
        tasks, sets = list(row.tasks), per_set
    else:
        tasks, sets = list(row.task_numbers), ",".join(part["set"] for part in row.by_set)
    record = {
        "rank": row.rank,
        "github": row.person.github,
        "name": row.person.name,
        "completed_tasks": row.completed_tasks,
        "tasks": tasks,
        "stars": format_stars(row.stars),
        "reward": format(row.reward, "f"),
        "open_source_star": row.is_open_source_star,
        "certificate": certificate_url,
        "set": sets,
    }
    if per_set is None:
        record["by_set"] = list(row.by_set)
    return record
