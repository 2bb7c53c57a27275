from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from camp import transitions
from camp.models import Report, ReportEvent, Review, meaningful_review_text
from common.validators import pull_request_links as extract_pr_links

from .factories import ReportFactory


@pytest.fixture
def period(camp):
    return camp.cohort.periods.first()


def write(client, period, action, **fields):
    data = {"work": "", "questions": "", "next_work": "", "action": action, **fields}
    return client.post(reverse("camp:write", args=[period.pk]), data)


def test_mentee_saves_draft_then_submits(camp, period, client_for):
    client = client_for(camp.users["mentee"])
    response = write(
        client, period, "save", work="草稿 https://github.com/PaddlePaddle/Paddle/pull/1"
    )
    assert response.status_code == 302
    report = Report.objects.get(mentorship=camp.mentorship, period=period)
    assert report.state == Report.State.DRAFT
    assert report.pr_links == ["https://github.com/PaddlePaddle/Paddle/pull/1"]
    assert not mail.outbox

    response = write(
        client,
        period,
        "submit",
        work="完成 https://github.com/PaddlePaddle/Paddle/pull/2",
        next_work="继续",
    )
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert report.submitted_at is not None
    assert response["Location"] == report.get_absolute_url()
    assert report.pr_links == ["https://github.com/PaddlePaddle/Paddle/pull/2"]
    # the mentor hears about it
    assert [message.to for message in mail.outbox] == [[camp.users["mentor"].email]]
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert actions == ["create", "submit"]


def test_preview_renders_without_saving(camp, period, client_for):
    client = client_for(camp.users["mentee"])
    response = write(client, period, "preview", work="**粗体**")
    assert response.status_code == 200
    assert "<strong>粗体</strong>" in response.content.decode()
    assert not Report.objects.exists()


def test_submit_requires_work(camp, period, client_for):
    response = write(client_for(camp.users["mentee"]), period, "submit", work="  ")
    assert response.status_code == 200
    assert not Report.objects.filter(state=Report.State.SUBMITTED).exists()


def test_edit_after_submit_keeps_submitted(camp, period, client_for):
    client = client_for(camp.users["mentee"])
    write(client, period, "submit", work="v1")
    write(client, period, "save", work="v2")
    report = Report.objects.get()
    assert (report.work, report.state) == ("v2", Report.State.SUBMITTED)


def test_review_locks_report(camp, period, client_for):
    report = ReportFactory(mentorship=camp.mentorship, period=period)
    transitions.submit_report(report, camp.users["mentee"])
    mail.outbox.clear()
    client = client_for(camp.users["mentor"])
    response = client.post(report.get_absolute_url(), {"text": "很好，继续加油"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.REVIEWED
    assert report.review.mentor == camp.persons["mentor"]
    assert [message.to for message in mail.outbox] == [[camp.users["mentee"].email]]

    # locked: the mentee can no longer edit, the form redirects, the service refuses
    client = client_for(camp.users["mentee"])
    response = write(client, period, "save", work="changed")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.work != "changed"
    with pytest.raises(transitions.TransitionError):
        transitions.save_report(
            camp.mentorship, period, camp.users["mentee"], work="x", questions="", next_work=""
        )
    # and a second review is refused
    with pytest.raises(transitions.TransitionError):
        transitions.review_report(report, camp.users["mentor"], "again")


@pytest.mark.parametrize(
    "text", ["请联系导师填写", "请联系导师填写。", "none", "None", "", "   ", "\n\n"]
)
def test_placeholder_review_refused(camp, period, client_for, text):
    report = ReportFactory(mentorship=camp.mentorship, period=period)
    transitions.submit_report(report, camp.users["mentee"])
    client = client_for(camp.users["mentor"])
    response = client.post(report.get_absolute_url(), {"text": text}, follow=True)
    assert (
        "does not count as a review" in response.content.decode()
        or "不算" in response.content.decode()
    )
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert not Review.objects.exists()
    with pytest.raises(transitions.TransitionError):
        transitions.review_report(report, camp.users["mentor"], text)


def test_only_own_mentor_reviews(camp, period, client_for):
    report = ReportFactory(mentorship=camp.mentorship, period=period)
    transitions.submit_report(report, camp.users["mentee"])
    for role in ["other_mentor", "ta", "staff", "mentee"]:
        with pytest.raises(transitions.TransitionError):
            transitions.review_report(report, camp.users[role], "评价")
    response = client_for(camp.users["other_mentor"]).post(
        report.get_absolute_url(), {"text": "评价"}
    )
    assert response.status_code == 403
    response = client_for(camp.users["ta"]).post(report.get_absolute_url(), {"text": "评价"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED


def test_draft_cannot_be_reviewed(camp, period):
    report = ReportFactory(mentorship=camp.mentorship, period=period)
    with pytest.raises(transitions.TransitionError):
        transitions.review_report(report, camp.users["mentor"], "好")


def test_one_report_per_mentee_per_period(camp, period):
    ReportFactory(mentorship=camp.mentorship, period=period)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(mentorship=camp.mentorship, period=period)


def test_future_period_cannot_be_written(camp, client_for):
    future = camp.cohort.periods.filter(start_date__gt=timezone.localdate()).first()
    response = write(client_for(camp.users["mentee"]), future, "save", work="early")
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_review_queue_oldest_first(camp, client_for):
    periods = list(camp.cohort.periods.filter(start_date__lte=timezone.localdate()))
    assert len(periods) >= 2
    newer = ReportFactory(mentorship=camp.mentorship, period=periods[1])
    older = ReportFactory(mentorship=camp.mentorship, period=periods[0])
    for report, days in [(newer, 1), (older, 5)]:
        report.state = Report.State.SUBMITTED
        report.submitted_at = timezone.now() - timedelta(days=days)
        report.save()
    ReportFactory(
        mentorship=camp.other_mentorship,
        period=periods[0],
        state="submitted",
        submitted_at=timezone.now(),
    )
    response = client_for(camp.users["mentor"]).get(reverse("camp:reviews"))
    assert [r.pk for r in response.context["reports"]] == [older.pk, newer.pk]
    assert (
        not client_for(camp.users["other_mentee"]).get(reverse("camp:reviews")).context["reports"]
    )


def test_me_page_shows_due_and_history(camp, period, client_for):
    report = ReportFactory(mentorship=camp.mentorship, period=period, state="reviewed")
    Review.objects.create(report=report, mentor=camp.persons["mentor"], text="好")
    response = client_for(camp.users["mentee"]).get(reverse("camp:my_camp"))
    content = response.content.decode()
    assert period.label in content
    assert "@mentor" in content
    (entry,) = response.context["camps"]
    assert entry["current"] is not None
    assert all(item["period"] != period for item in entry["due"])


def test_export_uses_camp_template(camp, period, client_for):
    report = ReportFactory(mentorship=camp.mentorship, period=period, questions="问？答。")
    response = client_for(camp.users["mentee"]).get(reverse("camp:report_export", args=[report.pk]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    for heading in ["### 姓名", "### 实习项目", "### 本周工作", "### 下周工作", "### 导师点评"]:
        assert heading in text
    assert "请联系导师填写" in text
    assert "问题疑惑与解答" in text


def test_period_summary(camp, period, client_for):
    ReportFactory(mentorship=camp.mentorship, period=period, state="submitted")
    response = client_for(camp.users["ta"]).get(
        reverse("camp:period_summary", args=["9th", period.number])
    )
    text = response.content.decode()
    assert "周报摘要" in text
    assert "@mentee" in text and "@other-mentee" in text
    assert "本期未提交周报" in text


def test_pr_links_and_placeholder_helpers():
    text = "see https://github.com/PaddlePaddle/Paddle/pull/5 and https://github.com/a/b/pull/5 and https://github.com/PaddlePaddle/Paddle/pull/5 and https://github.com/a/b/issues/3"
    assert extract_pr_links(text) == [
        "https://github.com/PaddlePaddle/Paddle/pull/5",
        "https://github.com/a/b/pull/5",
    ]
    assert meaningful_review_text("请联系导师填写\n\n1. 做得好") == "1. 做得好"
    assert meaningful_review_text("请联系导师填写。") == ""
    assert meaningful_review_text("NONE") == ""
    assert meaningful_review_text("none of the tests fail") == "none of the tests fail"


def test_mentor_sees_mentee_history(camp, period, client_for):
    report = ReportFactory(mentorship=camp.mentorship, period=period, state="reviewed")
    response = client_for(camp.users["mentor"]).get(reverse("camp:reviews"))
    (mentorship,) = response.context["mentees"]
    assert mentorship == camp.mentorship
    assert report.get_absolute_url() in response.content.decode()
    assert (
        not client_for(camp.users["other_mentee"]).get(reverse("camp:reviews")).context["mentees"]
    )


def test_finished_cohort_is_archived(camp, period, client_for):
    camp.cohort.state = "finished"
    camp.cohort.save()
    with pytest.raises(transitions.TransitionError):
        transitions.save_report(
            camp.mentorship, period, camp.users["mentee"], work="x", questions="", next_work=""
        )
    response = client_for(camp.users["mentee"]).get(reverse("camp:write", args=[period.pk]))
    assert response.status_code == 302
    (entry,) = client_for(camp.users["mentee"]).get(reverse("camp:my_camp")).context["camps"]
    assert entry["due"] == []


def test_submit_draft_button(camp, period, client_for):
    report = ReportFactory(mentorship=camp.mentorship, period=period)
    url = reverse("camp:submit", args=[report.pk])
    assert client_for(None).post(url).status_code == 302
    client_for(camp.users["other_mentee"]).post(url)
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    assert client_for(camp.users["mentee"]).get(url).status_code == 405
    client_for(camp.users["mentee"]).post(url)
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED


def test_review_as_a_conversation(camp, period, client_for):
    """The mentor asks for changes; the mentee revises and resubmits; the mentor reviews, then
    corrects the review (the earlier text kept); the mentee replies. Each step tells the other."""
    report = ReportFactory(mentorship=camp.mentorship, period=period)
    transitions.submit_report(report, camp.users["mentee"])
    mail.outbox.clear()
    mentor = client_for(camp.users["mentor"])
    url = report.get_absolute_url()
    response = mentor.post(url, {"action": "changes", "changes-text": "请补充 PR 链接"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.CHANGES_REQUESTED
    assert [m.to for m in mail.outbox] == [[camp.users["mentee"].email]]
    assert "请补充 PR 链接" in mail.outbox[0].body

    mentee = client_for(camp.users["mentee"])
    page = mentee.get(url).content.decode()
    assert "请补充 PR 链接" in page
    response = write(mentee, period, "submit", work="补充了 https://github.com/a/b/pull/3")
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert report.pr_links == ["https://github.com/a/b/pull/3"]

    mentor = client_for(camp.users["mentor"])
    mentor.post(url, {"action": "review", "text": "第一版点评"})
    mail.outbox.clear()
    response = mentor.post(url, {"action": "edit_review", "edit-text": "改正后的点评"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review.text == "改正后的点评"
    assert [r.text for r in report.review.revisions.all()] == ["第一版点评"]
    assert "改正后的点评" in mail.outbox[0].body
    page = mentor.get(url).content.decode()
    assert "第一版点评" in page and "改正后的点评" in page

    mail.outbox.clear()
    mentee = client_for(camp.users["mentee"])
    response = mentee.post(url, {"action": "reply", "reply-text": "谢谢导师"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[camp.users["mentor"].email]]
    assert "谢谢导师" in mentee.get(url).content.decode()
    actions = [e.action for e in report.events.all()]
    assert actions[-5:] == ["request_changes", "submit", "review", "edit_review", "reply"]
    # the other mentor of another mentee may do none of it
    other = client_for(camp.users["other_mentor"])
    assert other.post(url, {"action": "edit_review", "edit-text": "x"}).status_code == 403
    # and the mentee may not correct the review
    mentee = client_for(camp.users["mentee"])
    assert mentee.post(url, {"action": "edit_review", "edit-text": "x"}).status_code == 403


@pytest.mark.parametrize(
    "role", ["anonymous", "other_mentee", "mentor", "other_mentor", "ta", "staff", "outsider"]
)
def test_only_the_mentee_withdraws_a_submitted_report(camp, period, client_for, role):
    report = ReportFactory(mentorship=camp.mentorship, period=period)
    transitions.submit_report(report, camp.users["mentee"])
    client = client_for(None if role == "anonymous" else camp.users[role])
    response = client.post(reverse("camp:withdraw_report", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED


def test_mentee_withdraws_edits_and_resubmits(camp, period, client_for):
    """Taken back before review: a draft again, out of the mentor's queue, the mentor told;
    edited and submitted anew. A reviewed report cannot be withdrawn."""
    report = ReportFactory(mentorship=camp.mentorship, period=period)
    transitions.submit_report(report, camp.users["mentee"])
    mail.outbox.clear()
    mentee = client_for(camp.users["mentee"])
    page = mentee.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="withdraw-form"' in page
    response = mentee.post(reverse("camp:withdraw_report", args=[report.pk]))
    assert response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert (report.state, report.submitted_at) == (Report.State.DRAFT, None)
    assert [m.to for m in mail.outbox] == [[camp.users["mentor"].email]]
    assert report.label in mail.outbox[0].body and "/camp/reviews/" in mail.outbox[0].body
    assert report.events.last().action == "withdraw"
    assert "withdraw-form" not in mentee.get(report.get_absolute_url()).content.decode()
    assert not Report.objects.awaiting_review_by(camp.persons["mentor"]).exists()
    # edited and submitted again
    mentee = client_for(camp.users["mentee"])
    write(mentee, period, "submit", work="改好了 https://github.com/a/b/pull/9")
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED and "pull/9" in report.work
    transitions.review_report(report, camp.users["mentor"], "很好")
    with pytest.raises(transitions.TransitionError):
        transitions.withdraw_report(report, camp.users["mentee"])
    # a draft cannot be withdrawn either
    draft = ReportFactory(mentorship=camp.mentorship, period=camp.cohort.periods.all()[1])
    with pytest.raises(transitions.TransitionError):
        transitions.withdraw_report(draft, camp.users["mentee"])
