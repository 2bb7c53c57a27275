"""The mentee submits a report, the mentor finds it in the queue and reviews it, the TA's
checklist turns "reviewed"."""

from tests.camp.factories import CohortFactory, MentorshipFactory, ProjectFactory
from tests.factories import PersonFactory, UserFactory


def make_person(login):
    user = UserFactory(username=login)
    return PersonFactory(github=login, user=user), user


def test_report_submit_review_checklist(page, login):
    cohort = CohortFactory(slug="9th")
    project = ProjectFactory(cohort=cohort, number=1)
    mentee, mentee_user = make_person("mentee")
    mentor, mentor_user = make_person("mentor")
    ta, ta_user = make_person("ta")
    cohort.teaching_assistants.add(ta)
    mentorship = MentorshipFactory(project=project, mentee=mentee, mentors=[mentor])
    period = cohort.periods.first()

    # the mentee writes, previews and submits
    login(mentee_user)
    page.goto("/camp/me/")
    page.click(f'a[href="/camp/periods/{period.pk}/report/"]')
    page.fill(
        "textarea[name=work]", "完成 **算子** https://github.com/PaddlePaddle/Paddle/pull/70001"
    )
    page.fill("textarea[name=next_work]", "继续")
    page.click("button[value=preview]")
    assert page.locator("[data-testid=preview] strong").inner_text() == "算子"
    page.click("button[value=submit]")
    page.wait_for_url("**/camp/reports/*/")
    assert "pull/70001" in page.content()
    report = mentorship.reports.get()
    assert report.state == "submitted"

    # the mentor sees it in the queue and reviews it
    page.context.clear_cookies()
    login(mentor_user)
    page.goto("/camp/reviews/")
    page.click(f'table.camp-queue a[href="/camp/reports/{report.pk}/"]')
    page.fill("textarea[name=text]", "请联系导师填写")
    page.click("form.camp-form button[type=submit]")
    report.refresh_from_db()
    assert report.state == "submitted"  # a placeholder is refused
    page.fill("textarea[name=text]", "做得很好，继续加油")
    page.click("form.camp-form button[type=submit]")
    page.wait_for_selector("[data-testid=review]")
    report.refresh_from_db()
    assert report.state == "reviewed"
    page.goto("/camp/reviews/")
    assert page.locator(f'table.camp-queue a[href="/camp/reports/{report.pk}/"]').count() == 0

    # the TA's checklist shows it reviewed
    page.context.clear_cookies()
    login(ta_user)
    page.goto("/camp/9th/checklist/")
    cell = page.locator(f'[data-testid=checklist] a[href="/camp/reports/{report.pk}/"]')
    assert cell.count() == 1
    assert cell.locator("xpath=..").get_attribute("data-state") == "reviewed"
