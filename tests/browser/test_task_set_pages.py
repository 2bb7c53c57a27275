"""A task set's pages on a phone (390 px), in Chinese and English, with axe: the set's board,
a task, the claim form, the set's 看板 and its results."""

from decimal import Decimal

import pytest

from hackathon import transitions
from hackathon.models import Claim, ClaimState, Edition, Task, TaskSet
from pfcc.models import Person
from tests.factories import StaffFactory, UserFactory

from .test_fit_and_finish import Walk


def _sprint():
    edition = Edition.objects.create(
        number=9, name="飞桨黑客马拉松第九期", state=Edition.State.OPEN
    )
    main = TaskSet.main_of(edition)
    sprint = TaskSet.objects.create(
        edition=edition,
        slug="hackathon-9-sprint",
        name="Sprint",
        title_tags="Hackathon 9th Sprint",
        star_value=Decimal("1000"),
        order=1,
    )
    for task_set in (main, sprint):
        for number in range(1, 6):
            Task.objects.create(
                task_set=task_set,
                number=number,
                title=f"{task_set.name} 浏览器任务 {number}：为 paddle.nn 新增一个很长的标题",
                needs_rfc=number == 3,
            )
    return edition, sprint


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_contributor_walks_a_task_sets_pages_on_a_phone(browser, live_server, language):
    edition, sprint = _sprint()
    user = UserFactory(username=f"setwalker-{language}", email=f"sw-{language}@example.org")
    Person.objects.create(github=f"setwalker-{language}", user=user)
    walker = Walk(browser, live_server.url, "contributor-sets", language).sign_in(user)
    try:
        page = walker.visit("/hackathon/sets/hackathon-9-sprint/")
        assert page.locator("[data-testid=set-nav]").count() == 1
        # The set's claim form claims the Sprint's No.2, not the main set's.
        page.fill("#claim input[name=numbers]", "2")
        page.click("#claim button[type=submit]")
        walker.check("sprint-claimed")
        assert f"@setwalker-{language}" in page.inner_text("#task-2")
        claim = Claim.objects.get(person__user=user)
        assert claim.task.task_set == sprint

        page = walker.visit("/hackathon/sets/hackathon-9-sprint/tasks/2/")
        assert f"@setwalker-{language}" in page.inner_text("main")

        page = walker.visit("/hackathon/sets/hackathon-9-sprint/progress/")
        assert page.locator("[data-testid=progress]").count() == 1
        assert "0 / 1" in page.inner_text("[data-testid=progress]")  # 1 of 5 claimed

        # Staff complete the claim and publish the results: the set's results rank it.
        staff = StaffFactory()
        transitions.advance_claim(claim, ClaimState.COMPLETED, staff)
        transitions.publish_results(edition, staff)
        page = walker.visit("/hackathon/sets/hackathon-9-sprint/results/")
        table = page.inner_text("[data-testid=results]")
        assert f"@setwalker-{language}" in table and "Sprint" in table
        assert "¥1000" in page.inner_text("[data-testid=set-rule]").replace(",", "")
        page = walker.visit("/hackathon/9/results/?set=hackathon-9")
        assert f"@setwalker-{language}" not in page.inner_text("[data-testid=results]")
    finally:
        walker.close()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_contributor_reads_a_standalone_activitys_results_on_a_phone(
    browser, live_server, language
):
    """快乐开源 (no edition) publishes its own results: the table, its rule, the certificate,
    and an objection filed from the phone."""
    happy = TaskSet.objects.create(
        slug="happy-open-source", name="快乐开源", star_value=Decimal("500")
    )
    task = Task.objects.create(task_set=happy, number=1, title="快乐开源 浏览器任务 1")
    user = UserFactory(username=f"happy-{language}", email=f"happy-{language}@example.org")
    person = Person.objects.create(github=f"happy-{language}", user=user)
    staff = StaffFactory()
    claim = Claim.objects.create(task=task, person=person)
    transitions.advance_claim(claim, ClaimState.COMPLETED, staff)
    transitions.publish_results(happy, staff)
    walker = Walk(browser, live_server.url, "contributor-activity", language).sign_in(user)
    try:
        page = walker.visit("/hackathon/sets/happy-open-source/results/")
        assert page.locator("[data-testid=set-nav]").count() == 1
        assert f"@happy-{language}" in page.inner_text("[data-testid=results]")
        assert "¥500" in page.inner_text("[data-testid=set-rule]")
        page.fill("textarea[name=text]", "No.1 的 PR 合入时间有误。")
        page.click("#objection ~ form button[type=submit]")
        walker.check("activity-objection-filed")
        assert page.locator("[data-testid=my-objection]").count() == 1
        page.click("[data-testid=results] a[href^='/hackathon/certificates/']")
        walker.check("activity-certificate")
        assert page.locator("[data-testid=valid]").count() == 1
        assert "快乐开源" in page.inner_text("[data-testid=activity]")
    finally:
        walker.close()
