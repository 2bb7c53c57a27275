"""Everything the progress reports read from the hackathon and the camp, in one module.

Nothing else in `progress/` imports those apps, so adapting to a change there means changing
this module only (tests/architecture checks it).

Progress "as of a day" is rebuilt from the claims' state-change history
(`hackathon.models.ClaimStateChange`), with the definitions of the hackathon's progress export
(看板, `hackathon.stats`): claimed = tasks with a claim; submitted = tasks with a claim at 提交PR
or above; completed = tasks with a completed claim (the first one is the task's 完成队伍); both
rates divide by the task count; a task withdrawn on that day is not counted. A test replays
claims moving through their states and tasks withdrawn and reopened over days, and checks that
the numbers rebuilt for each day are those the live export gave at the end of that day.

Withdrawals are read from the tasks' history (`hackathon.models.TaskEvent`): a task withdrawn
after a day counts on that day, as the export then showed it, and a task reopened counts again
from its reopening. A task without recorded withdrawals or reopenings (imported withdrawn) counts
with its present state on every day. Limits, because the hackathon keeps no history for them: a
task counts with its current direction and set, and from its creation (or its first claim, for
tasks imported after their claims).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.models import Cohort, Mentorship, Report, ReportPeriod
from hackathon.models import (
    Claim,
    ClaimState,
    ClaimStateChange,
    Direction,
    Edition,
    Task,
    TaskEvent,
    TaskSet,
    format_stars,
)
from hackathon.stats import ProgressRow, format_rate

__all__ = [
    "CampNumbers",
    "EditionHistory",
    "ProgressRow",
    "Scope",
    "camp_numbers",
    "format_rate",
    "resolve_scope",
    "scope_choices",
]

SUBMITTED = ClaimState.PR_SUBMITTED
COMPLETED = ClaimState.COMPLETED
TASK_OPEN, TASK_WITHDRAWN = Task.State.OPEN, Task.State.WITHDRAWN
MENTORSHIP_WITHDRAWN = Mentorship.State.WITHDRAWN
REPORT_SUBMITTED, REPORT_REVIEWED = Report.State.SUBMITTED, Report.State.REVIEWED


def short_date(day: date) -> str:
    """2023.10.25, as the Camp repository names its reports."""
    return f"{day:%Y.%m.%d}"


def end_of_day(day: date) -> datetime:
    """The first instant after `day` (local time): "as of a day" means at its end."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


# --- Scopes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a report covers: an edition (its tasks and its camp cohorts), one task set (its
    tasks: an edition's Sprint, or a standalone activity such as 快乐开源), or one camp cohort.
    `key` is stored with each report ("edition:5", "set:hackathon-9-sprint", "cohort:9th") to
    find the previous one."""

    key: str
    kind: str  # "edition", "set" or "cohort"
    label: str  # as the community names it: 第五期, 第九期 Sprint, 飞桨护航计划集训营第九期
    edition_number: int | None  # None for a programme or an activity of its own
    start_date: date | None  # the activity's first day, when known
    progress_url: str  # the live 看板 (the set's board, or the cohort's page)
    edition_pk: int | None = None
    cohort_pk: int | None = None
    task_set_pk: int | None = None
    # Narrows the edition's tasks: a set scope reads the tasks matching it ({"task_set_id": …}).
    task_filter: tuple = ()

    @property
    def is_edition(self) -> bool:
        return self.kind == "edition"

    @property
    def is_set(self) -> bool:
        return self.kind == "set"

    @property
    def has_tasks(self) -> bool:
        """Edition and set scopes carry a 看板; a cohort scope carries the camp's reports."""
        return self.kind in ("edition", "set")


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """5 → 五, 10 → 十, 12 → 十二, 20 → 二十 (editions are numbered so: 第五期)."""
    if number < 10:
        return CHINESE_DIGITS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        text = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
        return text + (CHINESE_DIGITS[ones] if ones else "")
    return str(number)


def _edition_scope(edition: Edition) -> Scope:
    return Scope(
        key=f"edition:{edition.number}",
        kind="edition",
        label=f"第{chinese_number(edition.number)}期",
        edition_number=edition.number,
        start_date=edition.start_date,
        progress_url=reverse("hackathon:progress", kwargs={"number": edition.number}),
        edition_pk=edition.pk,
    )


def _cohort_scope(cohort: Cohort) -> Scope:
    if cohort.edition_id is None:  # a programme of its own (启航计划, GLCC, OSPP): no edition
        label = cohort.title
    else:
        label = cohort.name or f"第{chinese_number(cohort.edition.number)}期飞桨护航计划集训营" + (
            "" if cohort.batch == Cohort.Batch.SINGLE else f"（{cohort.get_batch_display()}）"
        )
    return Scope(
        key=f"cohort:{cohort.slug}",
        kind="cohort",
        label=label,
        edition_number=cohort.edition.number if cohort.edition_id else None,
        start_date=cohort.start_date,
        progress_url=cohort.get_absolute_url(),
        cohort_pk=cohort.pk,
    )


def _set_scope(task_set: TaskSet) -> Scope:
    edition = task_set.edition
    if edition is None:  # a standalone activity (快乐开源, API compatibility, …)
        label = task_set.name
    else:
        separator = " " if task_set.name[:1].isascii() else ""
        label = f"第{chinese_number(edition.number)}期{separator}{task_set.name}"
    return Scope(
        key=f"set:{task_set.slug}",
        kind="set",
        label=label,
        edition_number=edition.number if edition else None,
        start_date=edition.start_date if edition else None,
        progress_url=task_set.get_absolute_url(),
        edition_pk=task_set.edition_id,
        task_set_pk=task_set.pk,
        task_filter=(("task_set_id", task_set.pk),),
    )


def _set_choice_label(task_set: TaskSet) -> str:
    if task_set.edition_id is None:
        return _("Task set: %(name)s") % {"name": task_set.name}
    return _("Hackathon %(number)s · task set: %(name)s") % {
        "number": task_set.edition.number,
        "name": task_set.name,
    }


def scope_choices() -> list[tuple[str, str]]:
    """Every edition, its task sets, the standalone sets and every cohort, newest first, as
    (key, label) for the form (three queries), labelled in the reader's language."""
    task_sets = list(TaskSet.objects.select_related("edition").order_by("order", "pk"))
    per_edition: dict[int | None, list[TaskSet]] = defaultdict(list)
    for task_set in task_sets:
        per_edition[task_set.edition_id].append(task_set)
    choices = []
    for edition in Edition.objects.order_by("-number"):
        choices.append(
            (f"edition:{edition.number}", _("Hackathon %(number)s") % {"number": edition.number})
        )
        choices += [
            (f"set:{task_set.slug}", _set_choice_label(task_set))
            for task_set in per_edition.get(edition.pk, [])
        ]
    choices += [
        (f"set:{task_set.slug}", _set_choice_label(task_set)) for task_set in per_edition[None]
    ]
    for cohort in Cohort.objects.select_related("edition", "programme").order_by(
        "-edition__number", "batch"
    ):
        if cohort.edition_id is None:  # a programme of its own
            choices.append((f"cohort:{cohort.slug}", f"{cohort.title} ({cohort.slug})"))
            continue
        label = _("Code Camp %(number)s") % {"number": cohort.edition.number}
        if cohort.batch != Cohort.Batch.SINGLE:
            label = f"{label} · {cohort.get_batch_display()}"
        choices.append((f"cohort:{cohort.slug}", f"{label} ({cohort.slug})"))
    return choices


def resolve_scope(key: str) -> Scope | None:
    """The scope named by `key`, or None when it names nothing (one query)."""
    kind, _, value = (key or "").partition(":")
    if kind == "edition" and value.isdigit():
        edition = Edition.objects.filter(number=int(value)).first()
        return _edition_scope(edition) if edition else None
    if kind == "set" and value:
        task_set = TaskSet.objects.select_related("edition").filter(slug=value).first()
        return _set_scope(task_set) if task_set else None
    if kind == "cohort" and value:
        cohort = Cohort.objects.select_related("edition", "programme").filter(slug=value).first()
        return _cohort_scope(cohort) if cohort else None
    return None


# --- Hackathon progress as of a day -----------------------------------------------------------


@dataclass
class Snapshot:
    day: date
    rows: list[ProgressRow]  # the export's lines, as hackathon.stats makes them live
    total: ProgressRow

    @property
    def several_sets(self) -> bool:
        return len({row.set for row in self.rows}) > 1

    def as_export(self) -> dict:
        """The shape of the hackathon's progress.json (`directions`, `total`)."""
        total = self.total.as_dict()
        return {
            "directions": [row.as_dict() for row in self.rows],
            "total": {k: v for k, v in total.items() if k not in ("track", "direction")},
        }


@dataclass
class _Claim:
    pk: int
    task: int
    github: str
    name: str
    created_at: datetime
    times: list = field(default_factory=list)  # when each recorded change happened
    states: list = field(default_factory=list)  # the state after each change
    before: int = ClaimState.CLAIMED  # the state before the first recorded change

    def state_at(self, moment: datetime) -> int | None:
        """The claim's state just before `moment`; None when it did not exist yet."""
        if self.created_at >= moment:
            return None
        index = bisect.bisect_left(self.times, moment)
        return self.states[index - 1] if index else self.before


@dataclass
class _Task:
    pk: int
    direction: int | None
    created_at: datetime
    completed_at: datetime | None
    difficulty: Decimal = Decimal(0)
    task_set: int | None = None
    claims: list = field(default_factory=list)
    open_now: bool = True  # its present state
    times: list = field(default_factory=list)  # when it was withdrawn or reopened
    opened: list = field(default_factory=list)  # open (True) or withdrawn after each change
    open_before: bool = True  # before the first recorded change

    def is_open_at(self, moment: datetime) -> bool:
        """Open (counted) just before `moment`: by its recorded withdrawals and reopenings, or
        by its present state when none was recorded."""
        if not self.times:
            return self.open_now
        index = bisect.bisect_left(self.times, moment)
        return self.opened[index - 1] if index else self.open_before


@dataclass
class PersonActivity:
    github: str
    name: str
    claimed: int = 0
    submitted: int = 0
    completed: int = 0

    @property
    def any(self) -> bool:
        return bool(self.claimed or self.submitted or self.completed)


class EditionHistory:
    """An edition's tasks (or a task set's: `task_filter`, with `edition_pk` None for a
    standalone set), their withdrawals, claims and the claims' state changes, loaded once (five
    queries whatever the size); `snapshot(day)` then gives the 看板 as it stood at the end of
    that day."""

    def __init__(self, edition_pk: int | None, until: date, task_filter: tuple = ()):
        moment = end_of_day(until)
        scoped = dict(task_filter)
        if edition_pk is not None:
            scoped["edition_id"] = edition_pk
        # Every task, withdrawn ones too: a task counts on the days it was open.
        tasks = Task.objects.filter(**scoped)
        self.directions = (
            [
                (direction.pk, direction.track.name, direction.name)
                for direction in Direction.objects.filter(
                    track__edition_id=edition_pk
                ).select_related("track")
            ]
            if edition_pk is not None
            else []
        )
        # The export has a row per task set and direction (sets in their order): each set's
        # order, slug and name come with its tasks (no query of their own).
        self.task_sets: dict[int, tuple] = {}
        self.one_set = "task_set_id" in scoped
        rows = list(
            tasks.values(
                "pk",
                "direction_id",
                "created_at",
                "completed_at",
                "completed_claim_id",
                "difficulty",
                "task_set_id",
                "task_set__order",
                "task_set__slug",
                "task_set__name",
                "state",
            ).order_by()
        )
        for row in rows:
            self.task_sets[row["task_set_id"]] = (
                row["task_set__order"],
                row["task_set_id"],
                row["task_set__slug"],
                row["task_set__name"],
            )
        self.tasks: dict[int, _Task] = {
            row["pk"]: _Task(
                pk=row["pk"],
                direction=row["direction_id"],
                task_set=row["task_set_id"],
                created_at=row["created_at"],
                completed_at=row["completed_at"] if row["completed_claim_id"] else None,
                difficulty=row["difficulty"],
                open_now=row["state"] == TASK_OPEN,
            )
            for row in rows
        }
        withdrawals = (
            TaskEvent.objects.filter(task__in=tasks, to_state__in=(TASK_OPEN, TASK_WITHDRAWN))
            .exclude(from_state=models.F("to_state"))
            .values_list("task_id", "from_state", "to_state", "created_at")
            .order_by("created_at", "pk")
        )
        for task_id, from_state, to_state, created_at in withdrawals:
            task = self.tasks.get(task_id)
            if task is None:
                continue
            if not task.times:
                task.open_before = from_state != TASK_WITHDRAWN
            task.times.append(created_at)
            task.opened.append(to_state == TASK_OPEN)
        claims: dict[int, _Claim] = {}
        fallback: dict[int, tuple[int, datetime]] = {}
        for row in (
            Claim.objects.filter(task__in=tasks, created_at__lt=moment)
            .values(
                "pk",
                "task_id",
                "state",
                "created_at",
                "state_changed_at",
                "person__github",
                "person__name",
            )
            .order_by("created_at", "pk")
        ):
            claims[row["pk"]] = _Claim(
                pk=row["pk"],
                task=row["task_id"],
                github=row["person__github"],
                name=row["person__name"],
                created_at=row["created_at"],
            )
            fallback[row["pk"]] = (row["state"], row["state_changed_at"])
        changes = (
            ClaimStateChange.objects.filter(claim__task__in=tasks)
            .values_list("claim_id", "from_state", "to_state", "created_at")
            .order_by("created_at", "pk")
        )
        for claim_id, from_state, to_state, created_at in changes:
            claim = claims.get(claim_id)
            if claim is None:
                continue
            if not claim.times:
                claim.before = from_state or ClaimState.CLAIMED
            claim.times.append(created_at)
            claim.states.append(to_state)
        for claim in claims.values():
            if not claim.times:
                # A claim without recorded history (made before the history existed): its
                # present state from its last change on.
                state, changed_at = fallback[claim.pk]
                if state != ClaimState.CLAIMED:
                    claim.times, claim.states = [max(changed_at, claim.created_at)], [state]
            self.tasks[claim.task].claims.append(claim)
        self.claims = claims

    def first_day(self) -> date | None:
        moments = [task.created_at for task in self.tasks.values()]
        moments += [claim.created_at for claim in self.claims.values()]
        return timezone.localdate(min(moments)) if moments else None

    def _task_counts(self, task: _Task, moment: datetime) -> tuple[int, int, int, int]:
        if not task.is_open_at(moment):
            return 0, 0, 0, 0  # withdrawn then: the export left it out
        states = [state for claim in task.claims if (state := claim.state_at(moment)) is not None]
        exists = task.created_at < moment or bool(states)
        if not exists:
            return 0, 0, 0, 0
        completed = any(state == COMPLETED for state in states) or (
            task.completed_at is not None and task.completed_at < moment
        )
        return (
            1,
            int(bool(states)),
            int(any(state >= SUBMITTED for state in states)),
            int(completed),
        )

    def snapshot(self, day: date) -> Snapshot:
        """The 看板 at the end of `day`, as the export writes it: per task set (in their order),
        one row per direction with tasks, in board order, then the set's tasks without a
        direction ("—"); and the total."""
        moment = end_of_day(day)
        buckets: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for task in self.tasks.values():
            counts = self._task_counts(task, moment)
            if counts[0]:
                bucket = buckets[(task.task_set, task.direction)]
                for index, value in enumerate(counts):
                    bucket[index] += value
        rows = []
        for _order, set_pk, slug, name in sorted(self.task_sets.values()):
            for pk, track, direction in self.directions:
                if (set_pk, pk) in buckets:
                    rows.append(ProgressRow(track, direction, *buckets[(set_pk, pk)], slug, name))
            if (set_pk, None) in buckets:
                rows.append(ProgressRow("", "—", *buckets[(set_pk, None)], slug, name))
        total = ProgressRow("", "", *(sum(row[i] for row in buckets.values()) for i in range(4)))
        if self.one_set and self.task_sets:
            _order, _pk, total.set, total.set_name = next(iter(self.task_sets.values()))
        return Snapshot(day=day, rows=rows, total=total)

    def timeline(self, first: date, last: date, max_points: int = 120) -> list[Snapshot]:
        """The totals from `first` to `last` (at most `max_points` days, evenly spread, always
        the last day), for the chart. Each task's counts change only when one of its claims
        does: those moments are swept once, in order, instead of recounting every day."""
        days = (last - first).days + 1
        if days <= 0:
            return []
        step = max(1, -(-days // max_points))
        picked = [first + timedelta(days=offset) for offset in range(0, days, step)]
        if picked[-1] != last:
            picked.append(last)
        events = []  # (moment, change of the four counts)
        tick = timedelta(microseconds=1)
        for task in self.tasks.values():
            moments = {task.created_at, *(c.created_at for c in task.claims)}
            moments.update(moment for claim in task.claims for moment in claim.times)
            moments.update(task.times)
            if task.completed_at is not None:
                moments.add(task.completed_at)
            before = (0, 0, 0, 0)
            for moment in sorted(moments):
                after = self._task_counts(task, moment + tick)
                if after != before:
                    events.append(
                        (moment, tuple(a - b for a, b in zip(after, before, strict=True)))
                    )
                    before = after
        events.sort(key=lambda event: event[0])
        totals, index, snapshots = [0, 0, 0, 0], 0, []
        for day in picked:
            moment = end_of_day(day)
            while index < len(events) and events[index][0] < moment:
                for position, change in enumerate(events[index][1]):
                    totals[position] += change
                index += 1
            snapshots.append(Snapshot(day=day, rows=[], total=ProgressRow("", "", *totals)))
        return snapshots

    def people(self, day: date) -> list[dict]:
        """统计信息 at the end of `day`, as the export lists it: per person, their claims, those
        at 提交PR or above, those completed, and the stars of the completed tasks; most
        completed first, then stars, submissions and login."""
        moment = end_of_day(day)
        found: dict[str, dict] = {}
        for task in self.tasks.values():
            if not task.is_open_at(moment):
                continue
            for claim in task.claims:
                state = claim.state_at(moment)
                if state is None:
                    continue
                person = found.setdefault(
                    claim.github,
                    {"github": claim.github, "name": claim.name, "claims": 0, "submitted": 0,
                     "completed": 0, "stars": Decimal(0)},
                )  # fmt: skip
                person["claims"] += 1
                person["submitted"] += state >= SUBMITTED
                if state == COMPLETED:
                    person["completed"] += 1
                    person["stars"] += task.difficulty
        ordered = sorted(
            found.values(),
            key=lambda p: (-p["completed"], -p["stars"], -p["submitted"], p["github"]),
        )
        return [person | {"stars": format_stars(person["stars"])} for person in ordered]

    def activity(self, start: date, end: date) -> list[PersonActivity]:
        """Per person, over the days `start`..`end`: claims made, claims that reached 提交PR,
        claims that reached 完成任务; most active first."""
        before, after = end_of_day(start - timedelta(days=1)), end_of_day(end)
        people: dict[str, PersonActivity] = {}
        for claim in self.claims.values():
            if not self.tasks[claim.task].is_open_at(after):
                continue  # its task is withdrawn at the range's end: not on the board
            then, now = claim.state_at(before), claim.state_at(after)
            if now is None:
                continue
            person = people.setdefault(claim.github, PersonActivity(claim.github, claim.name))
            if then is None:
                person.claimed += 1
            if now >= SUBMITTED and (then is None or then < SUBMITTED):
                person.submitted += 1
            if now == COMPLETED and then != COMPLETED:
                person.completed += 1
        active = [person for person in people.values() if person.any]
        return sorted(
            active, key=lambda p: (-p.completed, -p.submitted, -p.claimed, p.github.lower())
        )


def edition_history(scope: Scope, until: date) -> EditionHistory | None:
    if not scope.has_tasks:
        return None
    return EditionHistory(scope.edition_pk, until, scope.task_filter)


# --- Camp reports ------------------------------------------------------------------------------


@dataclass
class CohortNumbers:
    title: str
    url: str
    mentees: int
    submitted_in_range: int
    reviewed_in_range: int
    submitted: int  # since the start, up to the range's end
    reviewed: int
    awaiting_review: int  # submitted by the end, not reviewed by then
    # The report periods begun by the end: {"number", "label", "submitted", "reviewed"}.
    periods: list = field(default_factory=list)

    @property
    def review_rate(self) -> str:
        return format_rate(self.reviewed, self.submitted)


@dataclass
class CampNumbers:
    cohorts: list[CohortNumbers]

    @property
    def any(self) -> bool:
        return bool(self.cohorts)

    def total(self, name: str) -> int:
        return sum(getattr(cohort, name) for cohort in self.cohorts)


def camp_numbers(scope: Scope, start: date, end: date) -> CampNumbers:
    """Reports (周报) submitted and reviewed over the range and since the start, per cohort of
    the edition (or the one cohort), by their submission and review times (three queries).

    Reports imported from the Camp repository carry no times: they count as submitted at the
    end of their period and as reviewed on its due date."""
    if scope.is_set:
        return CampNumbers(cohorts=[])  # a task set's report covers its tasks only
    begin, finish = end_of_day(start - timedelta(days=1)), end_of_day(end)
    cohorts = Cohort.objects.select_related("edition", "programme").order_by("start_date", "pk")
    if scope.is_edition:
        cohorts = cohorts.filter(edition_id=scope.edition_pk)
    else:
        cohorts = cohorts.filter(pk=scope.cohort_pk)
    cohorts = list(cohorts)
    mentees = dict(
        Mentorship.objects.filter(cohort__in=cohorts)
        .exclude(state=MENTORSHIP_WITHDRAWN)
        .values("cohort")
        .annotate(n=Count("pk"))
        .values_list("cohort", "n")
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    periods = ReportPeriod.objects.filter(cohort__in=cohorts, start_date__lte=end).order_by(
        "cohort", "number"
    )
    per_period: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    reports = Report.objects.filter(mentorship__cohort__in=cohorts).values_list(
        "period",
        "mentorship__cohort",
        "state",
        "submitted_at",
        "reviewed_at",
        "period__end_date",
        "period__due_date",
    )
    handed_in = {REPORT_SUBMITTED, REPORT_REVIEWED}
    for period, cohort, status, submitted_at, reviewed_at, period_end, due in reports.order_by():
        if submitted_at is None and status in handed_in:
            submitted_at = end_of_day(period_end) - timedelta(microseconds=1)
        if reviewed_at is None and status == REPORT_REVIEWED:
            reviewed_at = max(end_of_day(due) - timedelta(microseconds=1), submitted_at)
        row = counts[cohort]
        submitted = submitted_at is not None and submitted_at < finish
        reviewed = reviewed_at is not None and reviewed_at < finish
        row["submitted"] += submitted
        row["reviewed"] += reviewed
        row["submitted_in_range"] += submitted and submitted_at >= begin
        row["reviewed_in_range"] += reviewed and reviewed_at >= begin
        row["awaiting"] += submitted and not reviewed
        per_period[period]["submitted"] += submitted
        per_period[period]["reviewed"] += reviewed
    listed: dict[int, list] = defaultdict(list)
    for period in periods:
        listed[period.cohort_id].append(
            {
                "number": period.number,
                "label": f"{short_date(period.start_date)}~{short_date(period.end_date)}",
                "submitted": per_period[period.pk]["submitted"],
                "reviewed": per_period[period.pk]["reviewed"],
            }
        )
    numbers = []
    for cohort in cohorts:
        row = counts.get(cohort.pk, {})
        numbers.append(
            CohortNumbers(
                title=_cohort_scope(cohort).label,
                url=cohort.get_absolute_url(),
                mentees=mentees.get(cohort.pk, 0),
                submitted_in_range=row.get("submitted_in_range", 0),
                reviewed_in_range=row.get("reviewed_in_range", 0),
                submitted=row.get("submitted", 0),
                reviewed=row.get("reviewed", 0),
                awaiting_review=row.get("awaiting", 0),
                periods=listed[cohort.pk],
            )
        )
    return CampNumbers(cohorts=numbers)
