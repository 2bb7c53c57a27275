"""Demo data for the camp (`manage.py seed_demo`): a running cohort with projects, mentors,
mentees, a TA, and reports in every state. Idempotent."""

import secrets
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from hackathon.models import Edition
from pfcc.models import Person, User

from .models import Cohort, Mentorship, Project, Report, Review, TechTalk
from .periods import generate_periods

PROJECTS = [
    (
        1,
        "PIR 算子适配与单测修复",
        "推进 PIR 下算子的适配与单测修复，熟悉飞桨新一代中间表示。",
        "- 熟悉 Python 与 C++\n- 了解深度学习框架的基本原理",
    ),
    (
        2,
        "CINN 编译器子图问题修复",
        "修复 CINN 编译器在子图 CE 中暴露的问题，完善符号推导。",
        "- 熟悉 C++\n- 对编译器有兴趣",
    ),
    (
        3,
        "文档与示例建设",
        "完善飞桨 API 文档与中文示例。",
        "- 熟悉 Markdown 与 Python",
    ),
]
# (mentee login, project number, mentor logins)
MENTEES = [
    ("gouzil", 1, ["SigureMo"]),
    ("NKNaN", 2, ["SigureMo", "GreatV"]),
    ("zrr1999", 3, ["luotao1"]),
]

SECOND_BATCH_MENTORS = [(1, "SigureMo"), (2, "GreatV"), (3, "luotao1")]


def seed(command):
    number = max(Edition.objects.values_list("number", flat=True), default=0) or 9
    edition, _ = Edition.objects.get_or_create(number=number)
    today = timezone.localdate()
    cohort, created = Cohort.objects.get_or_create(
        edition=edition,
        batch=Cohort.Batch.FIRST,
        defaults={
            "slug": f"{number}th",
            "state": Cohort.State.RUNNING,
            "start_date": today - timedelta(days=49),
            "end_date": today + timedelta(days=62),
            "description": f"第 {number} 期飞桨护航计划集训营：营员在导师指导下完成项目，每两周提交一次周报。",
        },
    )
    periods = generate_periods(cohort) if created else list(cohort.periods.order_by("number"))

    persons = {}
    for login in ["SigureMo", "GreatV", "luotao1", "gouzil", "NKNaN", "zrr1999", "Ligoml"]:
        persons[login], _ = Person.objects.get_or_create_by_login(login)

    # A TA account: Ligoml assists this cohort.
    ta_user = User.objects.filter(username="ta").first()
    if ta_user is None:
        password = secrets.token_urlsafe(12)
        ta_user = User.objects.create_user(
            username="ta", email="ta@pfcc.example.org", password=password, name="助教 TA"
        )
        command.stdout.write(f"Created account ta@pfcc.example.org with password: {password}")
    EmailAddress.objects.update_or_create(
        user=ta_user, email=ta_user.email, defaults={"verified": True, "primary": True}
    )
    if persons["Ligoml"].user_id is None:
        persons["Ligoml"].user = ta_user
        persons["Ligoml"].save(update_fields=["user"])
    cohort.teaching_assistants.add(persons["Ligoml"])

    projects = {}
    for project_number, title, introduction, requirements in PROJECTS:
        projects[project_number], _ = Project.objects.get_or_create(
            cohort=cohort,
            number=project_number,
            defaults={
                "title": title,
                "introduction": introduction,
                "requirements": requirements,
                "repository": "https://github.com/PaddlePaddle/Paddle",
                "seats": 2,
            },
        )
    mentorships = {}
    for login, project_number, mentor_logins in MENTEES:
        project = projects[project_number]
        mentorship = Mentorship.objects.filter(cohort=cohort, mentee=persons[login]).first()
        if mentorship is None:
            mentorship = Mentorship.objects.create(
                project=project,
                mentee=persons[login],
                locked_at=timezone.now() - timedelta(days=50),
            )
        mentors = [persons[mentor] for mentor in mentor_logins]
        mentorship.mentors.add(*mentors)
        project.mentors.add(*mentors)
        mentorships[login] = mentorship

    _seed_open_cohort(edition, today)
    if not created:
        return
    # Reports in every state. Periods 1–3 are past (due), period 4 is current.
    pr = "https://github.com/PaddlePaddle/Paddle/pull/{}"
    states = {
        "gouzil": ["reviewed", "reviewed", "submitted", "draft"],
        "NKNaN": ["reviewed", "late", None, None],
        "zrr1999": ["submitted", None, "draft", None],
    }
    for login, plan in states.items():
        mentorship = mentorships[login]
        for period, state in zip(periods, plan, strict=False):
            if state is None:
                continue  # missing
            submitted_at = timezone.make_aware(
                datetime.combine(period.due_date, time.min)
            ) - timedelta(hours=6)
            if state == "late":
                submitted_at += timedelta(days=3)
            report = Report.objects.create(
                mentorship=mentorship,
                period=period,
                state=Report.State.DRAFT if state == "draft" else Report.State.SUBMITTED,
                work=(
                    f"1. **完成算子适配**\n\n    相关 PR：{pr.format(60000 + period.number)}\n\n"
                    f"2. 阅读源码，整理笔记。\n"
                ),
                questions="- 如何定位单测失败的原因？\n\n  答：先复现，再二分。",
                next_work="1. 继续推进剩余算子\n2. 补充单测",
                submitted_at=None if state == "draft" else submitted_at,
            )
            if state == "reviewed":
                Review.objects.create(
                    report=report,
                    mentor=mentorship.mentors.first(),
                    text="进展顺利，PR 质量不错，继续加油！",
                )
                report.state = Report.State.REVIEWED
                report.reviewed_at = submitted_at + timedelta(days=1)
                report.save()
    TechTalk.objects.get_or_create(
        cohort=cohort,
        title="PIR 设计与实现",
        defaults={
            "date": cohort.start_date + timedelta(days=20),
            "speaker": persons["SigureMo"],
            "materials": "https://github.com/PFCCLab/Camp",
        },
    )
    command.stdout.write(f"Camp: cohort {cohort.slug} with {len(periods)} periods.")


def _seed_open_cohort(edition, today):
    """A second batch that accepts applications, so the apply form can be tried."""
    cohort, created = Cohort.objects.get_or_create(
        edition=edition,
        batch=Cohort.Batch.SECOND,
        defaults={
            "slug": f"{edition.number}th-2",
            "state": Cohort.State.APPLICATIONS_OPEN,
            "start_date": today + timedelta(days=30),
            "end_date": today + timedelta(days=120),
        },
    )
    if not created:
        return
    generate_periods(cohort)
    mentors = {
        login: Person.objects.get_or_create_by_login(login)[0] for _n, login in SECOND_BATCH_MENTORS
    }
    for project_number, title, introduction, requirements in PROJECTS:
        project = Project.objects.create(
            cohort=cohort,
            number=project_number,
            title=title,
            introduction=introduction,
            requirements=requirements,
            seats=1,
        )
        project.mentors.add(
            *[mentors[login] for number, login in SECOND_BATCH_MENTORS if number == project_number]
        )
