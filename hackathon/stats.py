"""Progress numbers (看板), per-person statistics (统计信息) and the progress chart.

Definitions, as the community publishes them (7th edition: "16 | 7 / 13 | 43.75% | 6 | 37.5%"):
claimed = tasks with any claim; submitted = tasks with a claim at 提交PR or above; completed =
completed tasks; 提交率 = submitted / task count; 完成率 = completed / task count. Withdrawn
tasks are not counted. Every number comes from aggregate queries.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from .models import (
    Claim,
    ClaimState,
    ClaimStateChange,
    Direction,
    Edition,
    Task,
    TaskSet,
    format_stars,
)


def _scope(scope, prefix: str = "") -> dict:
    """The filter of an edition's tasks (every set) or of one task set's, on `prefix`."""
    if isinstance(scope, TaskSet):
        return {f"{prefix}task_set": scope}
    return {f"{prefix}edition": scope}


def _edition_of(scope) -> Edition | None:
    return scope.edition if isinstance(scope, TaskSet) else scope


def format_rate(part: int, total: int) -> str:
    """7 / 16 → "43.75%", 6 / 16 → "37.5%", 0 / 0 → "0%"."""
    if not total:
        return "0%"
    value = (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    text = format(value.normalize(), "f")
    return f"{text}%"


@dataclass
class ProgressRow:
    track: str
    direction: str
    tasks: int = 0
    claimed: int = 0
    submitted: int = 0
    completed: int = 0
    set: str = ""  # the task set's slug ("" for a total over several sets)
    set_name: str = ""

    @property
    def submission_rate(self) -> str:
        return format_rate(self.submitted, self.tasks)

    @property
    def completion_rate(self) -> str:
        return format_rate(self.completed, self.tasks)

    def as_dict(self) -> dict:
        return {
            "set": self.set,
            "set_name": self.set_name,
            "track": self.track,
            "direction": self.direction,
            "tasks": self.tasks,
            "submitted": self.submitted,
            "claimed": self.claimed,
            "submission_rate": self.submission_rate,
            "completed": self.completed,
            "completion_rate": self.completion_rate,
        }


def _counts():
    return {
        "total": Count("id", distinct=True),
        "claimed": Count("id", filter=Q(claims__isnull=False), distinct=True),
        "submitted": Count(
            "id", filter=Q(claims__state__gte=ClaimState.PR_SUBMITTED), distinct=True
        ),
        "completed": Count("id", filter=Q(completed_claim__isnull=False), distinct=True),
    }


def edition_totals(scope) -> ProgressRow:
    """The headline numbers of an edition, or of one task set (one query)."""
    values = Task.objects.filter(**_scope(scope)).active().aggregate(**_counts())
    task_set = scope if isinstance(scope, TaskSet) else None
    return ProgressRow(
        track="",
        direction="",
        tasks=values["total"],
        claimed=values["claimed"],
        submitted=values["submitted"],
        completed=values["completed"],
        set=task_set.slug if task_set else "",
        set_name=task_set.name if task_set else "",
    )


def direction_progress(scope) -> list[ProgressRow]:
    """One row per task set and direction with tasks, in board order (sets in their order),
    plus each set's tasks without a direction (two queries). `scope` is an edition (every
    set) or one task set."""
    counts = list(
        Task.objects.filter(**_scope(scope))
        .active()
        .values("task_set", "task_set__slug", "task_set__name", "task_set__order", "direction")
        .annotate(**_counts())
        .order_by()
    )
    per_direction = {(row["task_set"], row["direction"]): row for row in counts}
    task_sets = sorted(
        {
            (row["task_set__order"], row["task_set"]): TaskSet(
                pk=row["task_set"], slug=row["task_set__slug"], name=row["task_set__name"]
            )
            for row in counts
        }.items()
    )
    edition = _edition_of(scope)
    directions = (
        list(Direction.objects.filter(track__edition=edition).select_related("track"))
        if edition is not None and counts
        else []
    )
    rows = []
    for _key, task_set in task_sets:
        for direction in directions:
            found = per_direction.get((task_set.pk, direction.pk))
            if found is not None:
                rows.append(_row(task_set, direction.track.name, direction.name, found))
        loose = per_direction.get((task_set.pk, None))
        if loose:
            rows.append(_row(task_set, "", "—", loose))
    return rows


def _row(task_set, track: str, direction: str, counts: dict) -> ProgressRow:
    return ProgressRow(
        track=track,
        direction=direction,
        tasks=counts["total"],
        claimed=counts["claimed"],
        submitted=counts["submitted"],
        completed=counts["completed"],
        set=task_set.slug,
        set_name=task_set.name,
    )


@dataclass
class PersonStats:
    github: str
    name: str
    claims: int
    submitted: int
    completed: int
    stars: Decimal

    @property
    def stars_display(self) -> str:
        return format_stars(self.stars)

    def as_dict(self) -> dict:
        return {
            "github": self.github,
            "name": self.name,
            "claims": self.claims,
            "submitted": self.submitted,
            "completed": self.completed,
            "stars": self.stars_display,
        }


def person_stats(scope) -> list[PersonStats]:
    """统计信息: per person, their claims, submitted and completed tasks and stars, over an
    edition or one task set (one query)."""
    rows = (
        Claim.objects.filter(**_scope(scope, "task__"), task__state=Task.State.OPEN)
        .values("person__github", "person__name")
        .annotate(
            claims=Count("id"),
            submitted=Count("id", filter=Q(state__gte=ClaimState.PR_SUBMITTED)),
            completed=Count("id", filter=Q(state=ClaimState.COMPLETED)),
            stars=Sum("task__difficulty", filter=Q(state=ClaimState.COMPLETED)),
        )
        .order_by("-completed", "-stars", "-submitted", "person__github")
    )
    return [
        PersonStats(
            github=row["person__github"],
            name=row["person__name"],
            claims=row["claims"],
            submitted=row["submitted"],
            completed=row["completed"],
            stars=row["stars"] or Decimal(0),
        )
        for row in rows
    ]


@dataclass
class Chart:
    width: int
    height: int
    days: list[date]
    series: list[dict]  # {"key", "label", "points", "last"}
    y_max: int
    x_labels: list[dict]
    y_labels: list[dict]
    plot: dict

    @property
    def empty(self) -> bool:
        return not self.days


def timeline(scope) -> list[dict]:
    """Cumulative claimed / submitted / completed task counts per day (two queries): a task
    counts as claimed from its first claim, as submitted from the first time a claim reached
    提交PR (the state history), as completed from its completion time."""
    tasks = (
        Task.objects.filter(**_scope(scope))
        .active()
        .filter(claims__isnull=False)
        .values("pk", "completed_at")
        .annotate(claimed=Min("claims__created_at"))
        .order_by()
    )
    submitted = (
        ClaimStateChange.objects.filter(
            **_scope(scope, "claim__task__"),
            claim__task__state=Task.State.OPEN,
            to_state__gte=ClaimState.PR_SUBMITTED,
        )
        .values("claim__task")
        .annotate(first=Min("created_at"))
        .order_by()
    )
    events: dict[str, list[date]] = {"claimed": [], "submitted": [], "completed": []}
    for row in tasks:
        events["claimed"].append(timezone.localdate(row["claimed"]))
        if row["completed_at"] is not None:
            events["completed"].append(timezone.localdate(row["completed_at"]))
    for row in submitted:
        events["submitted"].append(timezone.localdate(row["first"]))
    if not events["claimed"]:
        return []
    start = min(min(dates) for dates in events.values() if dates)
    end = max(max(dates) for dates in events.values() if dates)
    days = []
    current = start
    while current <= end:
        days.append(current)
        current += timedelta(days=1)
    counts = {key: {} for key in events}
    for key, dates in events.items():
        for day in dates:
            counts[key][day] = counts[key].get(day, 0) + 1
    points = []
    totals = dict.fromkeys(events, 0)
    for day in days:
        for key in events:
            totals[key] += counts[key].get(day, 0)
        points.append({"date": day, **totals})
    return points


def chart(scope, labels: dict[str, str], width=720, height=260) -> Chart:
    """The timeline drawn as SVG polylines (geometry computed here; the template only prints)."""
    points = timeline(scope)
    left, right, top, bottom = 44, 16, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    y_max = max((p["claimed"] for p in points), default=0) or 1
    n = len(points)

    def x(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v):
        return top + plot_h - plot_h * v / y_max

    series = []
    for key in ("claimed", "submitted", "completed"):
        coords = " ".join(f"{x(i):.1f},{y(p[key]):.1f}" for i, p in enumerate(points))
        series.append(
            {
                "key": key,
                "label": labels[key],
                "points": coords,
                "last": points[-1][key] if points else 0,
            }
        )
    x_labels = []
    if points:
        picks = sorted({0, n // 2, n - 1})
        x_labels = [
            {"x": f"{x(i):.1f}", "y": height - 8, "text": points[i]["date"].strftime("%m-%d")}
            for i in picks
        ]
    y_labels = [
        {"x": left - 6, "y": f"{y(v):.1f}", "text": str(v)} for v in sorted({0, y_max // 2, y_max})
    ]
    return Chart(
        width=width,
        height=height,
        days=[p["date"] for p in points],
        series=series,
        y_max=y_max,
        x_labels=x_labels,
        y_labels=y_labels,
        plot={"x": left, "y": top, "w": plot_w, "h": plot_h, "bottom": top + plot_h},
    )


def by_direction(rows: list[ProgressRow]) -> dict[tuple[str, str], ProgressRow]:
    """The rows of several sets added up per (track, direction): the edition's overview."""
    merged: dict[tuple[str, str], ProgressRow] = {}
    for row in rows:
        key = (row.track, row.direction)
        if key not in merged:
            merged[key] = ProgressRow(row.track, row.direction)
        total = merged[key]
        total.tasks += row.tasks
        total.claimed += row.claimed
        total.submitted += row.submitted
        total.completed += row.completed
    return merged


# --- Results per task set -----------------------------------------------------------------


@dataclass
class SetResult:
    """One person's line of a task set's results, read from the edition's stored `Result`
    (its `by_set` part): the set's tasks, stars and reward by the set's rule (before the
    per-person cap of the edition), ranked within the set."""

    result: object  # hackathon.Result
    set: str
    set_name: str
    tasks: list
    stars: Decimal
    reward: Decimal
    rank: int = 0

    @property
    def person(self):
        return self.result.person

    @property
    def certificate(self):
        return getattr(self.result, "certificate", None)

    @property
    def is_open_source_star(self) -> bool:
        return self.result.is_open_source_star

    @property
    def completed_tasks(self) -> int:
        return len(self.tasks)

    @property
    def task_list(self) -> str:
        return "、".join(str(number) for number in self.tasks)

    @property
    def stars_display(self) -> str:
        return format_stars(self.stars)

    @property
    def set_names(self) -> str:
        return self.set_name


def set_results(results, task_set) -> list[SetResult]:
    """The edition's results (already loaded) narrowed to one task set, ranked within it by
    stars, then completed tasks, then login (ties share a rank). Results computed before the
    sets were kept per set count for the main set."""
    rows = []
    for result in results:
        parts = result.by_set or (
            [
                {
                    "set": task_set.slug,
                    "name": task_set.name,
                    "tasks": list(result.task_numbers),
                    "stars": str(result.stars),
                    "reward": str(result.reward),
                }
            ]
            if task_set.is_main
            else []
        )
        for part in parts:
            if part["set"] == task_set.slug:
                rows.append(
                    SetResult(
                        result=result,
                        set=task_set.slug,
                        set_name=task_set.name,
                        tasks=list(part["tasks"]),
                        stars=Decimal(part["stars"]),
                        reward=Decimal(part["reward"]),
                    )
                )
    rows.sort(key=lambda row: (-row.stars, -len(row.tasks), row.person.github.lower()))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        key = (row.stars, len(row.tasks))
        if key != previous:
            rank, previous = position, key
        row.rank = rank
    return rows
