"""Staff draft a progress report: the form and its preview, the draft post with its charts,
the comparison with the previous report, the risks, the camp's reports, bad input, who may."""

import re
import xml.etree.ElementTree as ElementTree
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog import transitions as blog_transitions
from blog.models import Post
from hackathon.models import ClaimState
from progress import charts, drafting, sources
from progress.models import ProgressReport
from tests.camp.factories import CohortFactory, MentorshipFactory, ReportFactory
from tests.factories import StaffFactory, UserFactory
from tests.hackathon.factories import ClaimFactory, DirectionFactory, EditionFactory, TaskFactory
from tests.progress import steps as services

from .conftest import make_tasks

pytestmark = pytest.mark.django_db

URL = "/progress/draft/"
SVG = "{http://www.w3.org/2000/svg}"


def published_row(edition, direction, staff):
    """16 tasks, 13 claimed, 7 submitted, 6 completed: the 7th edition's published row
    "16 | 7 / 13 | 43.75% | 6 | 37.5%"."""
    tasks = make_tasks(edition, direction, range(1, 17))
    plan = [ClaimState.COMPLETED] * 6 + [ClaimState.PR_SUBMITTED] + [ClaimState.CLAIMED] * 4
    plan += [ClaimState.DESIGN_DONE, ClaimState.RFC_SUBMITTED] + [None] * 3
    for task, state in zip(tasks, plan, strict=True):
        if state is not None:
            now = timezone.now()  # the test's clock, when it has one
            claim = ClaimFactory(task=task, created_at=now, state_changed_at=now)
            if state > ClaimState.CLAIMED:
                services.advance_claim(claim, state, staff)
    return tasks


@pytest.fixture
def seventh(db, staff):
    return build_seventh(staff)


def build_seventh(staff):
    edition = EditionFactory(number=7, name="第七期")
    framework = DirectionFactory(
        track__edition=edition, track__name="开源贡献个人挑战赛", name="框架开发"
    )
    published_row(edition, framework, staff)
    return edition


def today_range(days=6):
    today = timezone.localdate()
    return today - timedelta(days=days), today


def form_data(scope="edition:7", start=None, end=None, risk="30"):
    first, last = today_range()
    return {
        "scope": scope,
        "start": (start or first).isoformat(),
        "end": (end or last).isoformat(),
        "risk_threshold": risk,
    }


def staff_client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


# --- The draft -------------------------------------------------------------------------------


def test_the_published_row_reaches_the_draft_as_the_community_prints_it(seventh, staff):
    start, end = today_range()
    report = drafting.draft_report(sources.resolve_scope("edition:7"), start, end, staff)
    post = report.post
    assert post.state == Post.State.DRAFT
    assert post.title.startswith("PaddlePaddle Hackathon Episode 01 | 第七期活动上线")
    assert "框架开发提交率 43.75%" in post.title
    assert "| 框架开发 | 16 | 7 / 13 | 43.75% | 6 | 37.5% |" in post.body
    assert post.body.startswith("向大家快速介绍飞桨黑客松第七期开展以来的进展（")
    assert "<!-- more -->" in post.body and post.excerpt  # the list shows the first line
    assert "**13 个任务完成认领，7 个任务提交作品，6 个任务已经完成**" in post.body
    assert post.category.slug == "community-activity"
    assert [author.github for author in post.authors] == ["Ligoml"]  # the staff's person
    assert post.events.get().action == "draft"  # blog.transitions recorded it


def test_risks_name_directions_with_low_submission_rates(db, staff):
    edition = EditionFactory(number=8)
    low = DirectionFactory(track__edition=edition, name="套件开发")
    high = DirectionFactory(track=low.track, name="框架 API 开发")
    for number, task in enumerate(make_tasks(edition, low, range(1, 5)), start=1):
        claim = ClaimFactory(task=task)
        if number == 1:
            services.advance_claim(claim, ClaimState.PR_SUBMITTED, staff)
    for task in make_tasks(edition, high, range(5, 7)):
        services.advance_claim(ClaimFactory(task=task), ClaimState.PR_SUBMITTED, staff)
    start, end = today_range()
    report = drafting.draft_report(sources.resolve_scope("edition:8"), start, end, staff, 30)
    assert report.numbers["risks"] == ["套件开发"]
    assert "套件开发（25%）提交率相对较低（低于 30%），欢迎社区的开发者选择这些任务来挑战" in (
        report.post.body
    )
    relaxed = drafting.draft_report(sources.resolve_scope("edition:8"), start, end, staff, 20)
    assert relaxed.numbers["risks"] == []
    assert "各方向提交率均不低于 20%" in relaxed.post.body


def test_the_next_report_says_what_changed_since_the_published_one(db, staff, clock):
    today = date(2026, 3, 20)
    clock.at(today - timedelta(days=10))
    seventh = build_seventh(staff)
    clock.at(today, 12)
    scope = sources.resolve_scope("edition:7")
    first = drafting.draft_report(
        scope, today - timedelta(days=20), today - timedelta(days=1), staff
    )
    # A draft nobody published is not "the previous report".
    second = drafting.draft_report(scope, today, today, staff)
    assert "这是第七期的第一份进展报告" in second.post.body
    blog_transitions.publish(first.post, staff)
    task = TaskFactory(edition=seventh, number=40, direction=None)
    claim = ClaimFactory(task=task, created_at=clock.now, state_changed_at=clock.now)
    services.advance_claim(claim, ClaimState.COMPLETED, staff)
    third = drafting.draft_report(scope, today, today, staff)
    assert third.post.title.startswith("PaddlePaddle Hackathon Episode 02 |")
    assert f"[上期进展报告]({first.post.get_absolute_url()})" in third.post.body
    assert "任务认领 13 → 14（+1），提交作品 7 → 8（+1），完成 6 → 7（+1）" in third.post.body
    # Tasks without a direction are a line of their own, as on the export.
    assert "| — | 1 | 1 / 1 | 100% | 1 | 100% |" in third.post.body
    assert third.numbers["previous"] == first.pk


def test_camp_reports_submitted_and_reviewed_over_the_range(db, staff):
    edition = EditionFactory(number=9)
    cohort = CohortFactory(edition=edition, slug="9th")
    mentorships = [MentorshipFactory(project__cohort=cohort) for _ in range(3)]
    periods = list(cohort.periods.order_by("number"))
    now = timezone.now()
    long_ago = now - timedelta(days=25)
    # Reviewed long ago; submitted long ago, reviewed this week; submitted this week.
    ReportFactory(
        mentorship=mentorships[0],
        period=periods[0],
        state="reviewed",
        submitted_at=long_ago,
        reviewed_at=long_ago,
    )
    ReportFactory(
        mentorship=mentorships[1],
        period=periods[0],
        state="reviewed",
        submitted_at=long_ago,
        reviewed_at=now - timedelta(days=1),
    )
    ReportFactory(mentorship=mentorships[2], period=periods[0], state="submitted", submitted_at=now)
    start, end = today_range()
    report = drafting.draft_report(sources.resolve_scope("cohort:9th"), start, end, staff)
    (numbers,) = report.numbers["camp"]
    assert numbers | {} == numbers
    assert (numbers["mentees"], numbers["submitted_in_range"], numbers["reviewed_in_range"]) == (
        3,
        1,
        1,
    )
    assert (numbers["submitted"], numbers["reviewed"], numbers["awaiting_review"]) == (3, 2, 1)
    body = report.post.body
    assert "| 3 | 1 | 1 | 3 | 2 | 66.67% | 1 |" in body
    assert "还有 1 份周报等待导师点评，请各位导师及时点评。" in body
    first = periods[0]
    label = f"{first.start_date:%Y.%m.%d}~{first.end_date:%Y.%m.%d}"
    assert f"| 第 1 期 | {label} | 3 | 2 |" in body  # per period, as the TA checklist
    assert numbers["periods"][0] == {"number": 1, "label": label, "submitted": 3, "reviewed": 2}
    assert report.post.title.startswith(
        "飞桨护航计划集训营 Episode 01 | 第九期飞桨护航计划集训营开营"
    )
    assert report.charts.count() == 1  # the camp chart only: no tasks in this scope
    # The edition's report carries its cohorts' reports too.
    edition_report = drafting.draft_report(sources.resolve_scope("edition:9"), start, end, staff)
    assert edition_report.numbers["camp"][0]["submitted"] == 3


# --- Charts ----------------------------------------------------------------------------------


def test_charts_are_valid_svg_with_data_escaped(db, staff):
    edition = EditionFactory(number=10)
    hostile = '<script>alert("x")</script> & 科学计算 ]]>'
    direction = DirectionFactory(track__edition=edition, track__name="赛道 <b>", name=hostile)
    for task in make_tasks(edition, direction, range(1, 4)):
        services.advance_claim(ClaimFactory(task=task), ClaimState.PR_SUBMITTED, staff)
    cohort = CohortFactory(edition=edition, slug="10th", name='营 <img src=x onerror="y">')
    MentorshipFactory(project__cohort=cohort)
    start, end = today_range()
    report = drafting.draft_report(sources.resolve_scope("edition:10"), start, end, staff)
    images = list(report.charts.order_by("pk"))
    assert [image.file.name.rsplit("/", 1)[1] for image in images] == [
        "board.svg",
        "timeline.svg",
        "camp.svg",
    ]
    texts = []
    for image in images:
        with image.file.open("rb") as handle:
            document = handle.read().decode("utf-8")
        root = ElementTree.fromstring(document.encode("utf-8"))  # noqa: S314 (our own output)
        assert root.tag == f"{SVG}svg"
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert tags <= {"svg", "title", "rect", "text", "line", "polyline"}
        for element in root.iter():
            assert not any(name.lower().startswith("on") for name in element.attrib)
            assert "href" not in " ".join(element.attrib)
        texts += ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]
        assert "<script" not in document and "<img" not in document
        assert image.alt and image.file.url in report.post.body  # shown in the post
    assert any("<script>" in text for text in texts)  # the name, shown as text
    assert any("<img src=x" in text for text in texts)
    # In the post, the names are text too: the rendered page carries no markup from them.
    assert "<script>alert" not in report.post.body_html
    assert "&lt;script&gt;alert" in report.post.body_html
    assert not re.search(r"<[^>]*onerror", report.post.body_html)


def test_the_timeline_is_drawn_from_the_first_day_with_the_range_shaded():
    points = [
        charts.Point(date(2026, 3, 1) + timedelta(days=n), {"claimed": n, "submitted": n // 2})
        for n in range(10)
    ]
    svg = charts.progress_lines(
        "累计进展", points, drafting.SERIES, (date(2026, 3, 5), date(2026, 3, 10))
    )
    root = ElementTree.fromstring(svg.encode())  # noqa: S314 (our own output)
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 3
    assert len(lines[0].get("points").split()) == 10
    labels = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert {"3.1", "3.5", "3.10"} <= set(labels)


# --- The staff page ------------------------------------------------------------------------------


def test_staff_preview_then_create_then_edit_in_the_admin(seventh, staff):
    client = staff_client(staff)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Draft a progress report" in page.content.decode()
    preview = client.get(URL, form_data())
    html = preview.content.decode()
    assert 'data-testid="progress-preview"' in html
    assert "43.75%" in html and "37.5%" in html
    response = client.post(URL, form_data())
    report = ProgressReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:blog_post_change", args=[report.post.pk])
    admin_page = client.get(response["Location"])
    assert admin_page.status_code == 200
    assert "| 框架开发 | 16 | 7 / 13 | 43.75% | 6 | 37.5% |" in admin_page.content.decode()
    # Not on the blog until staff publish it.
    assert Client().get(report.post.get_absolute_url()).status_code == 404
    assert client.get(reverse("admin:progress_progressreport_changelist")).status_code == 200


def test_the_page_speaks_both_languages(seventh, staff):
    client = staff_client(staff)
    english = client.get(URL, form_data()).content.decode()
    assert "Preview the numbers" in english and "Create the draft post" in english
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(staff)
    chinese = client.get(URL, form_data()).content.decode()
    assert "起草进展报告" in chinese and "预览数据" in chinese and "创建草稿" in chinese


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": "2026-01-01", "start": "2026-02-01"}, "The end date is before the start date."),
        ({"scope": "edition:99"}, "Select a valid choice."),
        ({"start": "not a date"}, "Enter a valid date."),
        ({"risk_threshold": "120"}, "Ensure this value is less than or equal to 100."),
        ({"end": "2999-01-01"}, "The end date is in the future"),
    ],
)
def test_bad_input_is_explained_and_kept(seventh, staff, change, message):
    client = staff_client(staff)
    data = form_data() | change
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    for value in change.values():
        assert value in html  # what was typed is still there
    assert not ProgressReport.objects.exists() and not Post.objects.exists()


def test_who_may_draft(seventh):
    anonymous = Client()
    assert anonymous.get(URL).status_code == 302
    contributor = Client()
    contributor.force_login(UserFactory())
    assert contributor.get(URL).status_code == 403
    assert contributor.post(URL, form_data()).status_code == 403
    # Staff without the right to add posts (not superusers, no permission) cannot either.
    limited = StaffFactory(is_superuser=False)
    client = staff_client(limited)
    assert client.get(URL).status_code == 403
    # Staff without a second factor are sent to set one up first.
    unprotected = StaffFactory(totp=False)
    client = Client()
    client.force_login(unprotected)
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]
    assert not Post.objects.exists()


def test_the_end_of_a_day_is_local(db, staff, clock):
    """A claim at 23:30 in Beijing belongs to that day, whatever the server's UTC date."""
    edition = EditionFactory(number=11)
    direction = DirectionFactory(track__edition=edition, name="框架开发")
    clock.at(date(2026, 3, 2), 8)
    (task,) = make_tasks(edition, direction, [1])
    clock.now = timezone.make_aware(datetime(2026, 3, 2, 23, 30))
    ClaimFactory(task=task, created_at=clock.now, state_changed_at=clock.now)
    history = sources.EditionHistory(edition.pk, date(2026, 3, 3))
    assert history.snapshot(date(2026, 3, 1)).total.tasks == 0
    assert history.snapshot(date(2026, 3, 2)).total.claimed == 1


def test_imported_camp_reports_count_at_their_periods_dates(db, staff):
    """Reports imported from the Camp repository have no submission or review time: they count
    as submitted at the end of their period, reviewed on its due date."""
    cohort = CohortFactory(edition=EditionFactory(number=13), slug="13th")
    first, second = list(cohort.periods.order_by("number"))[:2]
    mentorship = MentorshipFactory(project__cohort=cohort)
    ReportFactory(mentorship=mentorship, period=first, state="reviewed")
    ReportFactory(mentorship=mentorship, period=second, state="submitted")
    scope = sources.resolve_scope("cohort:13th")
    # The first period's report is due on its last day (the cohort's default).
    day_before = first.end_date - timedelta(days=1)
    (none_yet,) = sources.camp_numbers(scope, first.start_date, day_before).cohorts
    assert (none_yet.submitted, none_yet.reviewed) == (0, 0)
    (early,) = sources.camp_numbers(scope, first.start_date, first.end_date).cohorts
    assert (early.submitted, early.reviewed, early.awaiting_review) == (1, 1, 0)
    (later,) = sources.camp_numbers(scope, first.start_date, second.end_date).cohorts
    assert (later.submitted, later.reviewed, later.awaiting_review) == (2, 1, 1)


def test_only_staff_who_may_add_posts_get_a_draft(seventh):
    scope = sources.resolve_scope("edition:7")
    start, end = today_range()
    for actor in (UserFactory(), StaffFactory(is_superuser=False), None):
        with pytest.raises(blog_transitions.NotAllowed):
            drafting.draft_report(scope, start, end, actor)
    assert not Post.objects.exists() and not ProgressReport.objects.exists()


def test_a_second_draft_of_the_same_day_gets_its_own_address(seventh, staff):
    start, end = today_range()
    scope = sources.resolve_scope("edition:7")
    first = drafting.draft_report(scope, start, end, staff)
    second = drafting.draft_report(scope, start, end, staff)
    assert first.post.slug == f"hackathon-7th-progress-{end:%Y%m%d}"
    assert second.post.slug == f"{first.post.slug}-2"
    assert first.charts.get(name="board").file.name != second.charts.get(name="board").file.name


def test_a_cohort_report_compares_its_reports_with_the_previous_one(db, staff):
    cohort = CohortFactory(edition=EditionFactory(number=14), slug="14th")
    mentorship = MentorshipFactory(project__cohort=cohort)
    first_period, second_period = list(cohort.periods.order_by("number"))[:2]
    ReportFactory(mentorship=mentorship, period=first_period, state="reviewed")
    scope = sources.resolve_scope("cohort:14th")
    first = drafting.draft_report(scope, first_period.start_date, first_period.end_date, staff)
    blog_transitions.publish(first.post, staff)
    ReportFactory(mentorship=mentorship, period=second_period, state="submitted")
    second = drafting.draft_report(scope, second_period.start_date, second_period.end_date, staff)
    assert "周报 1 → 2 份（+1），导师点评 1 → 1 份（0）" in second.post.body
    assert second.post.title.startswith("飞桨护航计划集训营 Episode 02 |")


def test_a_narrower_scope_counts_only_its_tasks(seventh, staff):
    """How a task set's scope will work: the edition's history with a filter on its tasks."""
    scope = sources.resolve_scope("edition:7")
    history = sources.EditionHistory(scope.edition_pk, timezone.localdate(), (("number__lte", 8),))
    total = history.snapshot(timezone.localdate()).total
    assert (total.tasks, total.claimed, total.submitted, total.completed) == (8, 8, 7, 6)


def test_an_edition_without_tasks_yet_gets_a_short_draft(db, staff):
    EditionFactory(number=15)
    start, end = today_range()
    report = drafting.draft_report(sources.resolve_scope("edition:15"), start, end, staff)
    assert "| **合计** | 0 | 0 / 0 | 0% | 0 | 0% |" in report.post.body
    assert "任务即将发布，敬请期待。" in report.post.body
    assert report.post.title.endswith("进展速览")
    assert not report.charts.exists()
