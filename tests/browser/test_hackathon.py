"""A contributor's whole hackathon, in a real browser: claim, PR, results, objection,
certificate."""

from hackathon.models import Claim, ClaimState, Edition, Task
from pfcc.models import Person
from tests.factories import StaffFactory, UserFactory

PR = "https://github.com/PaddlePaddle/Paddle/pull/68123"


def _setup():
    edition = Edition.objects.create(
        number=7, name="飞桨黑客马拉松第七期", state=Edition.State.OPEN
    )
    for number in range(1, 6):
        Task.objects.create(edition=edition, number=number, title=f"浏览器任务 {number}")
    user = UserFactory(username="walker", email="walker@example.org")
    Person.objects.create(github="walker-gh", user=user)
    return edition, user, StaffFactory(username="boss", email="boss@example.org")


def _logout(page):
    page.goto("/hackathon/")
    page.click("[data-testid=account] form button")
    page.wait_for_load_state()


def test_claim_pr_results_objection_certificate(page, login):
    edition, user, staff = _setup()
    login(user)

    # Claim two tasks with a Chinese list.
    page.goto("/hackathon/7/tasks/")
    page.fill("input[name=numbers]", "2、3")
    page.click("#claim button[type=submit]")
    page.wait_for_load_state()
    assert "@walker-gh" in page.inner_text("#task-2")
    assert "@walker-gh" in page.inner_text("#task-3")
    assert "@walker-gh" not in page.inner_text("#task-1")
    assert Claim.objects.filter(person__github="walker-gh").count() == 2

    # Add a PR link on task 2: the board shows it and the state 提交PR.
    page.click("#task-2 td:nth-child(3) a")
    page.fill("[data-testid=pr-form] input[type=url]", PR)
    page.click("[data-testid=pr-form] button[type=submit]")
    page.wait_for_load_state()
    page.goto("/hackathon/7/tasks/")
    row = page.inner_text("#task-2")
    assert "Paddle#68123" in row and "提交PR" in row
    assert page.locator("#task-2 .badge.state-4").count() == 1

    # Staff complete the claim and publish the results from the admin.
    _logout(page)
    login(staff)
    claim = Claim.objects.get(task__number=2, person__github="walker-gh")
    page.goto("/admin/hackathon/claim/")
    page.check(f"input[name=_selected_action][value='{claim.pk}']")
    page.select_option("select[name=action]", "mark_completed")
    page.click("button[name=index]")
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.state == ClaimState.COMPLETED
    page.goto("/admin/hackathon/edition/")
    page.check(f"input[name=_selected_action][value='{edition.pk}']")
    page.select_option("select[name=action]", "publish_results")
    page.click("button[name=index]")
    page.wait_for_load_state()
    # The publishing page shows the table and the e-mails, and asks first.
    assert "@walker-gh" in page.inner_text("[data-testid=publish-results]")
    page.click("button[name=confirm]")
    page.wait_for_load_state()
    edition.refresh_from_db()
    assert edition.state == Edition.State.RESULTS_PUBLISHED

    # The contributor sees the results, files an objection and downloads the certificate.
    _logout(page)
    login(user)
    page.goto("/hackathon/7/results/")
    assert "@walker-gh" in page.inner_text("[data-testid=results]")
    page.fill("textarea[name=text]", "No.3 也已提交 PR，请复核。")
    page.click("form[action$='objection/'] button[type=submit]")
    page.wait_for_load_state()
    assert "No.3 也已提交 PR" in page.inner_text("[data-testid=my-objection]")

    page.click("[data-testid=results] a[href*='/certificates/']")
    page.wait_for_load_state()
    assert page.locator("[data-testid=valid]").count() == 1
    with page.expect_download() as download_info:
        page.click("[data-testid=download]")
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
