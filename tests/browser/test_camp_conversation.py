"""On a phone, in Chinese and English, with the axe check of the other walks: the mentee writes a
report, edits it, withdraws it (a draft again) and submits it anew; the mentor asks for changes,
the mentee revises, the mentor reviews, the mentee replies, the mentor corrects the review."""

import pytest

from camp.models import Report
from tests.browser.test_fit_and_finish import Walk
from tests.camp.factories import CohortFactory, MentorshipFactory, ProjectFactory
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def pair(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cohort = CohortFactory(slug="9th")
    project = ProjectFactory(cohort=cohort, number=1, title="算子开发")
    users = {}
    for role in ("mentee", "mentor"):
        users[role] = UserFactory(username=role, email=f"{role}@example.org")
        PersonFactory(github=f"{role}-gh", user=users[role])
    mentorship = MentorshipFactory(
        project=project, mentee=users["mentee"].person, mentors=[users["mentor"].person]
    )
    return mentorship, users


def state_of(mentorship):
    return mentorship.reports.get().state


@pytest.mark.parametrize("language", ["zh", "en"])
def test_edit_withdraw_and_the_review_conversation_on_a_phone(browser, live_server, pair, language):
    mentorship, users = pair
    period = mentorship.cohort.periods.first()
    mentee = Walk(browser, live_server.url, "camp-mentee", language).sign_in(users["mentee"])
    mentor = Walk(browser, live_server.url, "camp-mentor", language).sign_in(users["mentor"])
    try:
        # The mentee writes and submits.
        page = mentee.visit("/camp/me/")
        page.click(f'main a[href="/camp/periods/{period.pk}/report/"]')
        mentee.check("report-form")
        page.fill("textarea[name=work]", "完成 https://github.com/PaddlePaddle/Paddle/pull/70001")
        page.fill("textarea[name=next_work]", "继续")
        page.click("main button[value=submit]")
        page.wait_for_url("**/camp/reports/*/")
        mentee.check("submitted")
        assert state_of(mentorship) == Report.State.SUBMITTED
        report_url = page.url

        # Edits it (still submitted), then withdraws it: a draft again.
        page.click("main .camp-actions a.button[href*='?report=']")
        page.fill("textarea[name=work]", "完成 https://github.com/PaddlePaddle/Paddle/pull/70002")
        page.click("main button[value=save]")
        page.wait_for_url("**/camp/reports/*/")
        mentee.check("edited")
        assert "pull/70002" in mentorship.reports.get().work
        page.click("[data-testid=withdraw-form] button")
        page.wait_for_load_state()
        mentee.check("withdrawn")
        assert state_of(mentorship) == Report.State.DRAFT
        assert page.locator("[data-testid=withdraw-form]").count() == 0
        page.click("main form[action$='/submit/'] button")
        page.wait_for_load_state()
        assert state_of(mentorship) == Report.State.SUBMITTED

        # The mentor asks for changes.
        page = mentor.visit(report_url.removeprefix(live_server.url))
        page.click("details.camp-ask-changes summary")
        page.fill("textarea[name=changes-text]", "请补充单测的 PR 链接")
        page.click("[data-testid=changes-form] button")
        page.wait_for_load_state()
        mentor.check("changes-requested")
        assert state_of(mentorship) == Report.State.CHANGES_REQUESTED

        # The mentee revises and submits again.
        page = mentee.visit(report_url.removeprefix(live_server.url))
        assert "请补充单测的 PR 链接" in page.inner_text("[data-testid=conversation]")
        page.click("main .camp-actions a.button[href*='?report=']")
        page.fill(
            "textarea[name=work]",
            "完成 https://github.com/PaddlePaddle/Paddle/pull/70002 和单测 "
            "https://github.com/PaddlePaddle/Paddle/pull/70003",
        )
        page.click("main button[value=submit]")
        page.wait_for_url("**/camp/reports/*/")
        assert state_of(mentorship) == Report.State.SUBMITTED

        # The mentor reviews.
        page = mentor.visit(report_url.removeprefix(live_server.url))
        page.fill("[data-testid=review-form] textarea[name=text]", "思路清晰")
        page.click("[data-testid=review-form] button")
        page.wait_for_selector("[data-testid=review]")
        mentor.check("reviewed")
        assert state_of(mentorship) == Report.State.REVIEWED

        # The mentee replies under the review.
        page = mentee.visit(report_url.removeprefix(live_server.url))
        page.click("details.camp-reply summary")
        page.fill("textarea[name=reply-text]", "谢谢导师，下次附上测试结果")
        page.click("[data-testid=reply-form] button")
        page.wait_for_load_state()
        mentee.check("replied")
        assert "谢谢导师" in page.inner_text("[data-testid=conversation]")

        # The mentor corrects the review; the earlier text stays in its history.
        page = mentor.visit(report_url.removeprefix(live_server.url))
        page.click("details.camp-edit-review summary")
        page.fill("textarea[name=edit-text]", "思路清晰，单测也补上了")
        page.click("[data-testid=edit-review-form] button")
        page.wait_for_load_state()
        page.click("[data-testid=review-revisions] summary")
        mentor.check("review-corrected")
        assert "单测也补上了" in page.inner_text("[data-testid=review]")
        assert "思路清晰" in page.inner_text("[data-testid=review-revisions]")
        assert mentorship.reports.get().review.revisions.count() == 1
    finally:
        mentee.close()
        mentor.close()
