"""The camp's part of the load benchmark's data set (`manage.py seed_bench`): 20 cohorts a scale
step (the first one running) × 30 mentees × 8 periods of reports and reviews; the bench accounts
`bench-ta`, `bench-mentor` and `bench-mentee` belong to the first cohort. One more running
cohort, `bench-big`, has 300 mentees × 10 periods (the TA checklist at its largest); `bench-ta`
is its TA too."""

from datetime import timedelta

from django.utils import timezone

from common.markdown import render_markdown

from .models import Cohort, Mentorship, Project, Report, ReportPeriod, Review, TechTalk
from .periods import period_windows

REPORT_TEXT = "- 完成算子开发 https://github.com/PaddlePaddle/Paddle/pull/{n}\n- 阅读代码"


def is_seeded(bench, scale) -> bool:
    return Cohort.objects.filter(slug__startswith=bench.prefix).count() == 20 * scale + 1


def wipe(bench):
    cohorts = Cohort.objects.filter(slug__startswith=bench.prefix)
    Review.objects.filter(report__mentorship__cohort__in=cohorts).delete()
    Report.objects.filter(mentorship__cohort__in=cohorts).delete()
    Mentorship.objects.filter(cohort__in=cohorts).delete()
    cohorts.delete()


def summary(bench) -> str:
    count = Report.objects.filter(mentorship__cohort__slug__startswith=bench.prefix).count()
    return f"{count} reports"


def seed(bench, scale):
    batches = [Cohort.Batch.FIRST, Cohort.Batch.SECOND]
    cohorts = []
    for n in range(20 * scale):
        # the first cohort runs now (period 4 of 8); the others are finished
        start = bench.today - timedelta(days=50 + 120 * n)
        cohorts.append(
            Cohort(
                edition=bench.editions[n // 2],
                batch=batches[n % 2],
                slug=f"{bench.prefix}c{n}",
                name=f"Bench Code Camp {n}",
                state=Cohort.State.RUNNING if n == 0 else Cohort.State.FINISHED,
                start_date=start,
                end_date=start + timedelta(days=8 * 14 - 1),
                description="护航计划集训营。",
                description_html=render_markdown("护航计划集训营。").html,
            )
        )
    cohorts = bench.bulk(Cohort, cohorts)
    bench.cohorts = cohorts
    _fill(bench, cohorts, mentees=30, per_cohort=10, accounts=True)
    # The big one: 300 mentees × 10 periods, running (period 8 of 10).
    start = bench.today - timedelta(days=7 * 14 + 7)
    big = Cohort.objects.create(
        edition=bench.editions[0],
        batch=Cohort.Batch.SINGLE,
        slug=f"{bench.prefix}big",
        name="Bench Code Camp 300",
        state=Cohort.State.RUNNING,
        start_date=start,
        end_date=start + timedelta(days=10 * 14 - 1),
        description="护航计划集训营。",
        description_html=render_markdown("护航计划集训营。").html,
    )
    big.teaching_assistants.add(bench.accounts["ta"])
    _fill(bench, [big], mentees=300, per_cohort=100, accounts=False)


def _fill(bench, cohorts, mentees, per_cohort, accounts):
    """Periods, projects (three mentees each), mentors, mentorships, reports and reviews of
    `cohorts` (`per_cohort` projects each); with `accounts`, the bench accounts are mentor and
    mentee in the first one."""
    texts = {n: REPORT_TEXT.format(n=n) for n in range(10)}
    html = {n: render_markdown(text).html for n, text in texts.items()}
    review_html = render_markdown("完成得不错，继续加油。").html
    periods = bench.bulk(
        ReportPeriod,
        [
            ReportPeriod(cohort=c, number=num, start_date=s, end_date=e, due_date=e)
            for c in cohorts
            for num, s, e in period_windows(c.start_date, c.end_date, 14)
        ],
    )
    periods_of = {}
    for period in periods:
        periods_of.setdefault(period.cohort_id, []).append(period)
    projects = bench.bulk(
        Project,
        [
            Project(
                cohort=c,
                number=n + 1,
                title=f"项目 {n + 1}：算子开发",
                introduction="算子开发",
                introduction_html="<p>算子开发</p>",
                seats=3,
            )
            for c in cohorts
            for n in range(per_cohort)
        ],
    )
    mentor, mentee, ta = bench.accounts["mentor"], bench.accounts["mentee"], bench.accounts["ta"]
    if accounts:
        cohorts[0].teaching_assistants.add(ta)
    mentorships, mentors = [], []
    for cohort_index, cohort in enumerate(cohorts):
        cohort_projects = projects[cohort_index * per_cohort : (cohort_index + 1) * per_cohort]
        people = bench.pick(mentees)
        if accounts and cohort_index == 0:
            people = [mentee, *[p for p in people if p.pk != mentee.pk][: mentees - 1]]
        for n, person in enumerate(people):
            mentorships.append(
                Mentorship(cohort=cohort, project=cohort_projects[n // 3], mentee=person)
            )
    mentorships = bench.bulk(Mentorship, mentorships)
    project_mentors = []
    for project in projects:
        people = [mentor] if accounts and project.cohort_id == cohorts[0].pk else bench.pick(1)
        project_mentors.extend(
            Project.mentors.through(project_id=project.pk, person_id=p.pk) for p in people
        )
    bench.bulk(Project.mentors.through, project_mentors)
    mentor_of = {}
    for row in project_mentors:
        mentor_of.setdefault(row.project_id, row.person_id)
    for m in mentorships:
        mentors.append(
            Mentorship.mentors.through(mentorship_id=m.pk, person_id=mentor_of[m.project_id])
        )
    bench.bulk(Mentorship.mentors.through, mentors)
    reports = []
    for m in mentorships:
        for period in periods_of[m.cohort_id]:
            if period.start_date > bench.today:
                continue
            roll = bench.rng.random()
            if roll < 0.08:
                continue  # missing
            status = (
                Report.State.DRAFT
                if roll < 0.15
                else Report.State.SUBMITTED
                if roll < 0.45
                else Report.State.REVIEWED
            )
            n = bench.rng.randrange(10)
            submitted = timezone.make_aware(
                timezone.datetime.combine(period.due_date, timezone.datetime.min.time())
            ) - timedelta(hours=bench.rng.randint(-30, 60))
            reports.append(
                Report(
                    mentorship=m,
                    period=period,
                    start_date=period.start_date,
                    end_date=period.end_date,
                    state=status,
                    work=texts[n],
                    work_html=html[n],
                    next_work="继续开发",
                    next_work_html="<p>继续开发</p>",
                    pr_links=[f"https://github.com/PaddlePaddle/Paddle/pull/{n}"],
                    submitted_at=None if status == Report.State.DRAFT else submitted,
                    reviewed_at=submitted if status == Report.State.REVIEWED else None,
                )
            )
    reports = bench.bulk(Report, reports)
    bench.bulk(
        Review,
        [
            Review(
                report=r,
                mentor_id=mentor_of[r.mentorship.project_id],
                text="完成得不错，继续加油。",
                text_html=review_html,
            )
            for r in reports
            if r.state == Report.State.REVIEWED
        ],
    )
    bench.bulk(
        TechTalk,
        [
            TechTalk(cohort=c, date=c.start_date + timedelta(days=14 * k), title=f"分享 {k}")
            for c in cohorts
            for k in range(3)
        ],
    )
