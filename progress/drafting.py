"""Progress reports (月报) drafted from live data.

`gather()` collects the numbers of a scope over a date range (the 看板 at the range's last day,
exactly as the hackathon's progress export gives it on that day; the range's changes; the most
active people; the risks; the camp's reports), `compose()` writes the post in the voice of the
community's reports ("PaddlePaddle Hackathon Episode 02 | 第五期活动上线 8 周，…"), and
`draft_report()` stores it as a draft post (blog.transitions) with its charts as images, for
staff to edit and publish like any post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation

from blog import transitions as blog_transitions
from blog.models import Category, Post
from pfcc.models import Person

from . import charts, sources
from .models import ProgressReport, ReportChart

DEFAULT_RISK_THRESHOLD = 30  # % : directions submitting less than this are named as risks
TOP_PEOPLE = 10
SERIES = {"claimed": "任务认领", "submitted": "提交作品", "completed": "完成"}
CAMP_SERIES = {"submitted": "提交周报", "reviewed": "导师点评"}


@dataclass
class Change:
    """A 看板 line's change over the range."""

    track: str
    direction: str
    claimed: int
    submitted: int
    completed: int
    submission_points: Decimal  # change of the submission rate, in percentage points
    completion_points: Decimal

    def as_dict(self) -> dict:
        return {
            "track": self.track,
            "direction": self.direction,
            "claimed": self.claimed,
            "submitted": self.submitted,
            "completed": self.completed,
            "submission_rate_points": format_points(self.submission_points),
            "completion_rate_points": format_points(self.completion_points),
        }


def _rate(part: int, total: int) -> Decimal:
    return Decimal(part) * 100 / Decimal(total) if total else Decimal(0)


def format_points(value: Decimal) -> str:
    """+12.5, -3, 0 (percentage points, two decimals at most, as the rates)."""
    value = value.quantize(Decimal("0.01"))
    text = format(value.normalize(), "f") if value else "0"
    return f"+{text}" if value > 0 else text


def _change(end, start) -> Change:
    return Change(
        track=end.track,
        direction=end.direction,
        claimed=end.claimed - (start.claimed if start else 0),
        submitted=end.submitted - (start.submitted if start else 0),
        completed=end.completed - (start.completed if start else 0),
        submission_points=_rate(end.submitted, end.tasks)
        - (_rate(start.submitted, start.tasks) if start else 0),
        completion_points=_rate(end.completed, end.tasks)
        - (_rate(start.completed, start.tasks) if start else 0),
    )


@dataclass
class ReportData:
    scope: sources.Scope
    start: date
    end: date
    risk_threshold: int
    first_day: date
    board: sources.Snapshot | None  # the 看板 at the end of `end`
    before: sources.Snapshot | None  # … at the end of the day before `start`
    timeline: list = field(default_factory=list)
    people: list = field(default_factory=list)
    leaders: list = field(default_factory=list)  # 统计信息 at the end, as the export lists it
    camp: sources.CampNumbers | None = None
    previous: ProgressReport | None = None
    episode: int = 1

    @property
    def weeks(self) -> int:
        return max(1, round(((self.end - self.first_day).days + 1) / 7))

    @property
    def changes(self) -> list[Change]:
        if self.board is None:
            return []
        earlier = (
            {(r.set, r.track, r.direction): r for r in self.before.rows} if self.before else {}
        )
        return [
            _change(row, earlier.get((row.set, row.track, row.direction)))
            for row in self.board.rows
        ]

    @property
    def total_change(self) -> Change | None:
        if self.board is None:
            return None
        return _change(self.board.total, self.before.total if self.before else None)

    @property
    def risks(self) -> list:
        """Directions whose submission rate is below the threshold."""
        if self.board is None:
            return []
        limit = Decimal(self.risk_threshold)
        return [row for row in self.board.rows if _rate(row.submitted, row.tasks) < limit]

    @property
    def stalled(self) -> list:
        """Directions with tasks left to submit and no new submission over the range."""
        return [
            change.direction
            for change, row in zip(self.changes, self.board.rows if self.board else [], strict=True)
            if change.submitted <= 0 and row.submitted < row.tasks
        ]

    @property
    def best(self):
        """The direction with the highest submission rate (for the title)."""
        rows = [row for row in (self.board.rows if self.board else []) if row.track]
        if not rows:
            return None
        return max(rows, key=lambda row: (_rate(row.submitted, row.tasks), row.tasks))

    def numbers(self) -> dict:
        """What is stored with the report: the 看板 in the export's shape, and the rest."""
        data = {
            "scope": self.scope.key,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "risk_threshold": self.risk_threshold,
            "previous": self.previous.pk if self.previous else None,
        }
        if self.board is not None:
            data["progress"] = self.board.as_export()
            data["range"] = {
                "directions": [change.as_dict() for change in self.changes],
                "total": self.total_change.as_dict(),
            }
            data["people"] = [vars(person).copy() for person in self.people]
            data["leaders"] = self.leaders
            data["risks"] = [row.direction for row in self.risks]
        if self.camp is not None:
            data["camp"] = [vars(cohort).copy() for cohort in self.camp.cohorts]
        return data


def gather(scope: sources.Scope, start: date, end: date, risk_threshold=DEFAULT_RISK_THRESHOLD):
    """Every number of the report, in a fixed number of queries."""
    history = sources.edition_history(scope, end)
    board = before = None
    timeline, people, leaders = [], [], []
    first_day = scope.start_date
    if history is not None:
        known = history.first_day()
        first_day = min(d for d in (first_day, known, start) if d is not None)
        board = history.snapshot(end)
        before = history.snapshot(start - timedelta(days=1))
        timeline = history.timeline(first_day, end)
        people = history.activity(start, end)[:TOP_PEOPLE]
        leaders = [p for p in history.people(end) if p["completed"]][:TOP_PEOPLE]
    first_day = min(first_day or start, start)
    previous = ProgressReport.objects.select_related("post").previous(scope.key, before=end)
    episode = (
        ProgressReport.objects.filter(
            scope_key=scope.key, end_date__lt=end, post__state=Post.State.PUBLISHED
        ).count()
        + 1
    )
    return ReportData(
        scope=scope,
        start=start,
        end=end,
        risk_threshold=int(risk_threshold),
        first_day=first_day,
        board=board,
        before=before,
        timeline=timeline,
        people=people,
        leaders=leaders,
        camp=sources.camp_numbers(scope, start, end),
        previous=previous,
        episode=episode,
    )


# --- The text ------------------------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&!~])")


def md(value) -> str:
    """People's and staff's words as literal text in Markdown (a table cell, a sentence)."""
    text = " ".join(str(value).split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def short_day(day: date) -> str:
    return f"{day.month}.{day.day}"


def span(start: date, end: date) -> str:
    """11.4-12.1, as the community writes ranges (with years when they differ)."""
    if start.year != end.year:
        return f"{start.year}.{short_day(start)}-{end.year}.{short_day(end)}"
    return f"{short_day(start)}-{short_day(end)}"


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " :---: |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def title(data: ReportData) -> str:
    if data.scope.has_tasks:
        best = data.best
        headline = (
            f"{best.direction}提交率 {best.submission_rate}"
            if best is not None and best.submitted
            else "进展速览"
        )
        if data.scope.edition_number is None:  # a standalone task set (快乐开源)
            return (
                f"{data.scope.label} Episode {data.episode:02d} | "
                f"活动上线 {data.weeks} 周，{headline}"
            )
        return (
            f"PaddlePaddle Hackathon Episode {data.episode:02d} | "
            f"{data.scope.label}活动上线 {data.weeks} 周，{headline}"
        )
    reviewed = data.camp.total("reviewed") if data.camp else 0
    submitted = data.camp.total("submitted") if data.camp else 0
    return (
        f"飞桨护航计划集训营 Episode {data.episode:02d} | {data.scope.label}开营 {data.weeks} 周，"
        f"周报点评率 {sources.format_rate(reviewed, submitted)}"
    )


def _track_totals(board) -> list[tuple[str, sources.ProgressRow]]:
    totals: dict[str, sources.ProgressRow] = {}
    for row in board.rows:
        total = totals.setdefault(row.track, sources.ProgressRow(row.track, ""))
        for key in ("tasks", "claimed", "submitted", "completed"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    return list(totals.items())


def _overview(data: ReportData) -> list[str]:
    lines = []
    window = span(data.start, data.end)
    for track, total in _track_totals(data.board):
        name = md(track) if track else "其他任务"
        claimed = (
            "全部任务完成认领"
            if total.tasks and total.claimed == total.tasks
            else f"{total.claimed} 个任务完成认领"
        )
        lines.append(
            f"- **{name}**：发布 {total.tasks} 个任务，**{claimed}，{total.submitted} 个任务提交"
            f"作品，{total.completed} 个任务已经完成**，提交率 {total.submission_rate}，"
            f"完成率 {total.completion_rate}。"
        )
    change = data.total_change
    lines.append(
        f"- **本期（{window}）**：新增认领 {change.claimed} 个任务，新增提交作品 "
        f"{change.submitted} 个，新增完成 {change.completed} 个。"
    )
    if data.camp and data.camp.any:
        lines.append(
            f"- **飞桨护航计划集训营**：{data.camp.total('mentees')} 名营员，本期提交周报 "
            f"{data.camp.total('submitted_in_range')} 份，导师点评 "
            f"{data.camp.total('reviewed_in_range')} 份。"
        )
    return lines


def _direction_name(board, row) -> str:
    """框架开发, or Sprint · 框架开发 where the board holds several task sets (each numbers and
    names its own directions' tasks)."""
    return f"{row.set_name} · {row.direction}" if board.several_sets else row.direction


def _board(data: ReportData, images: dict) -> list[str]:
    several = len({row.track for row in data.board.rows}) > 1
    header = ["任务方向", "任务数量", "提交作品 / 任务认领", "提交率", "完成", "完成率"]
    if several:
        header = ["赛道", *header]

    def cells(row, name):
        line = [
            name,
            row.tasks,
            f"{row.submitted} / {row.claimed}",
            row.submission_rate,
            row.completed,
            row.completion_rate,
        ]
        return [md(row.track) if row.track else "—", *line] if several else line

    rows = [cells(row, md(_direction_name(data.board, row))) for row in data.board.rows]
    total = cells(data.board.total, "**合计**")
    if several:
        total[0] = ""
    lines = ["## 进度看板", "", f"截至 {data.end:%Y.%m.%d} 的看板：", ""]
    lines += _table(header, [*rows, total])
    if "board" in images:
        lines += ["", f"![进度看板]({images['board']})"]
    return lines


def _range(data: ReportData, images: dict) -> list[str]:
    header = [
        "任务方向",
        "新增认领",
        "新增提交作品",
        "新增完成",
        "提交率变化（百分点）",
        "完成率变化（百分点）",
    ]
    rows = [
        [
            md(change.direction),
            _signed(change.claimed),
            _signed(change.submitted),
            _signed(change.completed),
            format_points(change.submission_points),
            format_points(change.completion_points),
        ]
        for change in data.changes
    ]
    total = data.total_change
    rows.append(
        [
            "**合计**",
            _signed(total.claimed),
            _signed(total.submitted),
            _signed(total.completed),
            format_points(total.submission_points),
            format_points(total.completion_points),
        ]
    )
    lines = [f"## 本期进展（{span(data.start, data.end)}）", ""]
    lines += _table(header, rows)
    if "timeline" in images:
        lines += ["", f"![累计进展]({images['timeline']})"]
    return lines


def _previous(data: ReportData) -> list[str]:
    lines = ["## 与上期相比", ""]
    previous = data.previous
    if previous is None:
        lines.append(f"这是{md(data.scope.label)}的第一份进展报告。")
        return lines
    link = f"[上期进展报告]({previous.post.get_absolute_url()})"
    parts = []
    then = previous.numbers.get("progress", {}).get("total")
    if data.board is not None and then:
        now = data.board.total
        parts += [
            f"{label} {then[key]} → {getattr(now, key)}（{_signed(getattr(now, key) - then[key])}）"
            for key, label in (
                ("claimed", "任务认领"),
                ("submitted", "提交作品"),
                ("completed", "完成"),
            )
        ]
    then_camp = previous.numbers.get("camp")
    if data.camp is not None and data.camp.any and then_camp:
        for key, label in (("submitted", "周报"), ("reviewed", "导师点评")):
            before = sum(cohort.get(key, 0) for cohort in then_camp)
            now = data.camp.total(key)
            parts.append(f"{label} {before} → {now} 份（{_signed(now - before)}）")
    if parts:
        lines.append(
            f"与{link}（截至 {previous.end_date:%Y.%m.%d}）相比：" + "，".join(parts) + "。"
        )
    else:
        lines.append(f"上期：{link}（截至 {previous.end_date:%Y.%m.%d}）。")
    return lines


def _people(data: ReportData) -> list[str]:
    lines = ["## 活跃开发者", ""]
    if not data.people:
        lines.append("本期暂无新的认领和提交。")
        return lines
    lines += ["本期最活跃的开发者（按新增完成、提交作品、认领的任务数）：", ""]
    rows = [
        [
            f"[@{md(person.github)}](https://github.com/{person.github})"
            + (f" {md(person.name)}" if person.name and person.name != person.github else ""),
            person.claimed,
            person.submitted,
            person.completed,
        ]
        for person in data.people
    ]
    lines += _table(["开发者", "新增认领", "新增提交作品", "新增完成"], rows)
    if data.leaders:
        lines += ["", "截至目前完成任务最多的开发者（统计信息）：", ""]
        lines += _table(
            ["开发者", "认领", "提交作品", "完成", "难度（⭐️）"],
            [
                [
                    f"[@{md(p['github'])}](https://github.com/{p['github']})",
                    p["claims"],
                    p["submitted"],
                    p["completed"],
                    p["stars"],
                ]
                for p in data.leaders
            ],
        )
    lines += ["", "感谢各位开发者的积极参与，感谢各位导师的及时 review！"]
    return lines


def _hints(data: ReportData) -> list[str]:
    lines = ["## 参与提示", ""]
    risks = data.risks
    if not data.board.rows:
        lines.append("- 任务即将发布，敬请期待。")
        return lines
    if risks:
        named = "、".join(f"{md(row.direction)}（{row.submission_rate}）" for row in risks)
        lines.append(
            f"- 在上面的看板中能看出来，{named}提交率相对较低（低于 {data.risk_threshold}%），"
            "欢迎社区的开发者选择这些任务来挑战~~"
        )
    else:
        lines.append(
            f"- 各方向提交率均不低于 {data.risk_threshold}%，进展顺利，欢迎继续挑战剩下的任务。"
        )
    named = {row.direction for row in risks}
    stalled = [name for name in data.stalled if name not in named]
    if stalled:
        lines.append(f"- 本期{'、'.join(md(name) for name in stalled)}没有新的提交作品。")
    open_tasks = data.board.total.tasks - data.board.total.claimed
    if open_tasks > 0:
        lines.append(f"- 还有 {open_tasks} 个任务等待认领。")
    return lines


def _camp(data: ReportData, images: dict) -> list[str]:
    camp = data.camp
    lines = ["## 飞桨护航计划集训营", ""]
    header = [
        "营期",
        "营员",
        "本期提交周报",
        "本期导师点评",
        "累计提交",
        "累计点评",
        "点评率",
        "待点评",
    ]
    rows = [
        [
            f"[{md(cohort.title)}]({cohort.url})",
            cohort.mentees,
            cohort.submitted_in_range,
            cohort.reviewed_in_range,
            cohort.submitted,
            cohort.reviewed,
            cohort.review_rate,
            cohort.awaiting_review,
        ]
        for cohort in camp.cohorts
    ]
    lines += _table(header, rows)
    for cohort in camp.cohorts:
        if not cohort.periods:
            continue
        lines += ["", f"{md(cohort.title)}各期周报（{cohort.mentees} 名营员）：", ""]
        lines += _table(
            ["双周", "时间", "提交周报", "导师点评"],
            [
                [f"第 {p['number']} 期", p["label"], p["submitted"], p["reviewed"]]
                for p in cohort.periods
            ],
        )
    if "camp" in images:
        lines += ["", f"![周报提交与点评]({images['camp']})"]
    awaiting = camp.total("awaiting_review")
    lines.append("")
    if awaiting:
        lines.append(f"- 还有 {awaiting} 份周报等待导师点评，请各位导师及时点评。")
    else:
        lines.append("- 已提交的周报都有导师点评，感谢各位导师！")
    return lines


def compose(data: ReportData, images: dict | None = None) -> str:
    """The post's Markdown, in Chinese as the community writes its reports."""
    images = images or {}
    window = span(data.start, data.end)
    label = md(data.scope.label)
    if data.scope.has_tasks and data.scope.edition_number is not None:
        intro = f"向大家快速介绍飞桨黑客松{label}开展以来的进展（{window}）"
    elif data.scope.has_tasks:
        intro = f"向大家快速介绍{label}开展以来的进展（{window}）"
    else:
        intro = f"向大家快速介绍{label}开营以来的进展（{window}）"
    lines = [intro, "", "<!-- more -->", ""]
    if data.board is not None:
        lines += [
            f"{label}活动上线 {data.weeks} 周（{short_day(data.first_day)} 起），"
            f"截至 {short_day(data.end)} 的进展速览如下：",
            "",
            *_overview(data),
            "",
            *_board(data, images),
            "",
            *_range(data, images),
            "",
            *_previous(data),
            "",
            *_people(data),
            "",
            *_hints(data),
            "",
        ]
    elif data.camp is not None:
        lines += [
            f"{label}开营 {data.weeks} 周，截至 {short_day(data.end)} 的进展速览如下：",
            "",
            *_previous(data),
            "",
        ]
    if data.camp is not None and data.camp.any:
        lines += [*_camp(data, images), ""]
    lines.append(f"更多详情请查看：[{label}进度]({data.scope.progress_url})")
    return "\n".join(lines) + "\n"


# --- Charts and the draft ------------------------------------------------------------------------


def build_charts(data: ReportData) -> dict[str, tuple[str, str]]:
    """name → (alternative text, SVG document)."""
    found = {}
    if data.board is not None and data.board.rows:
        alt = f"{data.scope.label}进度看板（截至 {data.end:%Y.%m.%d}）"
        bars = [
            charts.Bar(
                _direction_name(data.board, row),
                row.tasks,
                {"claimed": row.claimed, "submitted": row.submitted, "completed": row.completed},
            )
            for row in data.board.rows
        ]
        found["board"] = (alt, charts.direction_bars(alt, bars, SERIES))
        alt = f"{data.scope.label}累计进展（{short_day(data.first_day)}-{short_day(data.end)}）"
        points = [
            charts.Point(
                snapshot.day,
                {
                    "claimed": snapshot.total.claimed,
                    "submitted": snapshot.total.submitted,
                    "completed": snapshot.total.completed,
                },
            )
            for snapshot in data.timeline
        ]
        found["timeline"] = (
            alt,
            charts.progress_lines(alt, points, SERIES, (data.start, data.end)),
        )
    if data.camp is not None and data.camp.any:
        alt = f"周报提交与点评（截至 {data.end:%Y.%m.%d}）"
        bars = [
            charts.Bar(
                cohort.title,
                cohort.submitted,
                {"submitted": cohort.submitted, "reviewed": cohort.reviewed},
            )
            for cohort in data.camp.cohorts
        ]
        found["camp"] = (alt, charts.camp_bars(alt, bars, CAMP_SERIES))
    return found


def _slug(data: ReportData) -> str:
    kind, _, value = data.scope.key.partition(":")
    if kind == "edition":
        base = f"hackathon-{value}th-progress-{data.end:%Y%m%d}"
    elif kind == "set":
        base = f"{value[:40]}-progress-{data.end:%Y%m%d}"
    else:
        base = f"camp-{value}-progress-{data.end:%Y%m%d}"
    taken = set(Post.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _store(data, drawn, post_title, category, actor) -> ProgressReport:
    scope, start, end = data.scope, data.start, data.end
    with transaction.atomic():
        slug = _slug(data)
        post = blog_transitions.create_draft(
            actor,
            title=post_title[:200],
            slug=slug,
            body=compose(data),
            date=end,
            category=category,
            note=f"{scope.key} {start.isoformat()}~{end.isoformat()}",
        )
        report = ProgressReport.objects.create(
            scope_key=scope.key,
            scope_label=scope.label,
            start_date=start,
            end_date=end,
            post=post,
            numbers=data.numbers(),
            created_by=getattr(actor, "user", actor),
        )
        images = {}
        for name, (alt, svg) in drawn.items():
            chart = ReportChart(report=report, name=name, alt=alt[:300])
            chart.file.save(f"{name}.svg", ContentFile(svg.encode("utf-8")), save=False)
            chart.save()
            images[name] = chart.file.url
        post.body = compose(data, images)
        post.save(update_fields=["body"])
        person = Person.objects.of_user(getattr(actor, "user", actor))
        if person is not None:
            blog_transitions.set_authors(post, [person])
    return report


def draft_report(
    scope: sources.Scope, start: date, end: date, actor, risk_threshold=DEFAULT_RISK_THRESHOLD
) -> ProgressReport:
    """Gather the numbers, draw the charts and store the draft post with its report record.
    The actor must be staff who may add posts (blog.transitions.create_draft checks)."""
    with translation.override("zh-hans"):
        data = gather(scope, start, end, risk_threshold)
        drawn = build_charts(data)
        post_title = title(data)
        Category.objects.ensure_defaults()
        category = Category.objects.get(slug="community-activity")
        for attempt in range(3):
            try:
                report = _store(data, drawn, post_title, category, actor)
                break
            except IntegrityError:
                # Another draft took the same address meanwhile: the next one is free.
                if attempt == 2:
                    raise
    return report
