import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hackathon import transitions
from hackathon.models import Claim, ClaimState, Edition, Objection, TaskSet
from pfcc.models import OutgoingEmail
from tests.factories import PersonFactory, StaffFactory

from .factories import ClaimFactory, EditionFactory, TaskFactory
from .helpers import published_row_direction

pytestmark = pytest.mark.django_db
PR = "https://github.com/PaddlePaddle/Paddle/pull/68000"

READ_ONLY_PAGES = [
    "/hackathon/",
    "/hackathon/7/",
    "/hackathon/7/tasks/",
    "/hackathon/7/tasks/1/",
    "/hackathon/7/progress/",
    "/hackathon/7/results/",
    "/hackathon/7/tasks.md",
    "/hackathon/7/tasks.csv",
    "/hackathon/7/tasks.json",
    "/hackathon/7/progress.md",
    "/hackathon/7/progress.csv",
    "/hackathon/7/progress.json",
]


@pytest.mark.parametrize("url", READ_ONLY_PAGES)
def test_visitors_read_every_page(client, tasks, url):
    assert client.get(url).status_code == 200


def test_missing_things_are_404(client, tasks):
    for url in ("/hackathon/70/", "/hackathon/7/tasks/99/", "/hackathon/7/results.csv"):
        assert client.get(url).status_code == 404
    EditionFactory(number=8, state=Edition.State.DRAFT)
    assert client.get("/hackathon/8/").status_code == 404


def test_staff_see_drafts(staff_client, db):
    EditionFactory(number=8, state=Edition.State.DRAFT)
    assert staff_client.get("/hackathon/8/").status_code == 200


def test_overview_shows_the_headline(client, edition, direction):
    published_row_direction(edition, direction, StaffFactory())
    html = client.get("/hackathon/7/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "13 个任务完成认领，7 个任务提交作品，6 个任务顺利完成，完成率 37.5%" in html


@pytest.mark.parametrize("url", ["/hackathon/7/claim/", "/hackathon/7/results/objection/"])
def test_anonymous_posts_go_to_login(client, tasks, url):
    response = client.post(url, {"numbers": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Claim.objects.exists()


def test_anonymous_cannot_touch_claims(client, tasks):
    claim = ClaimFactory(task=tasks[0])
    response = client.post(f"/hackathon/7/claims/{claim.pk}/advance/", {f"c{claim.pk}-state": 4})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_contributor_claims_a_list_and_sees_a_message_per_bad_number(client, tasks, contributor):
    client.force_login(contributor)
    response = client.post(
        "/hackathon/7/claim/", {"numbers": "2、3、42", "next": "/hackathon/7/tasks/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/hackathon/7/tasks/"
    texts = [str(m) for m in response.context["messages"]]
    assert any("2、3" in text for text in texts)
    assert any("42" in text for text in texts)
    assert set(
        Claim.objects.filter(person=contributor.person).values_list("task__number", flat=True)
    ) == {2, 3}
    html = response.content.decode()
    assert f"@{contributor.person.github}" in html


def test_claim_redirect_stays_on_site(client, tasks, contributor):
    client.force_login(contributor)
    response = client.post("/hackathon/7/claim/", {"numbers": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/hackathon/7/tasks/"


def test_contributor_updates_own_claim_up_to_pr_submitted(client, tasks, contributor):
    claim = ClaimFactory(task=tasks[0], person=contributor.person)
    client.force_login(contributor)
    page = client.get("/hackathon/7/tasks/1/").content.decode()
    assert 'data-testid="advance-form"' in page and 'data-testid="pr-form"' in page
    assert 'value="5"' not in page  # 部分完成 is not offered to the claimant
    url = f"/hackathon/7/claims/{claim.pk}/advance/"
    client.post(url, {f"c{claim.pk}-state": 2, f"c{claim.pk}-note": "RFC"})
    claim.refresh_from_db()
    assert claim.state == 2
    client.post(url, {f"c{claim.pk}-state": 6})
    claim.refresh_from_db()
    assert claim.state == 2  # refused: not offered
    response = client.post(
        f"/hackathon/7/claims/{claim.pk}/pull-requests/", {f"c{claim.pk}-url": PR}, follow=True
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.PR_SUBMITTED
    assert claim.pull_requests.get().url == PR
    assert "Paddle#68000" in client.get("/hackathon/7/tasks/").content.decode()
    response = client.post(
        f"/hackathon/7/claims/{claim.pk}/pull-requests/",
        {f"c{claim.pk}-url": "https://example.com/x"},
    )
    # Refused: the task page again, with the link as typed and the reason beside the field.
    page = response.content.decode()
    assert response.status_code == 200 and 'value="https://example.com/x"' in page
    assert "pull request" in page and 'class="errorlist' in page
    assert claim.pull_requests.count() == 1


def test_another_contributor_gets_403(client, tasks, contributor, other_contributor):
    claim = ClaimFactory(task=tasks[0], person=contributor.person)
    client.force_login(other_contributor)
    page = client.get("/hackathon/7/tasks/1/").content.decode()
    assert 'data-testid="advance-form"' not in page
    for url, data in (
        (f"/hackathon/7/claims/{claim.pk}/advance/", {f"c{claim.pk}-state": 2}),
        (f"/hackathon/7/claims/{claim.pk}/pull-requests/", {f"c{claim.pk}-url": PR}),
    ):
        assert client.post(url, data).status_code == 403
    claim.refresh_from_db()
    assert claim.state == 1 and not claim.pull_requests.exists()


def test_claim_urls_are_checked_against_the_edition(client, tasks, contributor):
    other = TaskFactory(edition=EditionFactory(number=9), number=1)
    claim = ClaimFactory(task=other, person=contributor.person)
    client.force_login(contributor)
    url = f"/hackathon/7/claims/{claim.pk}/advance/"
    assert client.post(url, {f"c{claim.pk}-state": 2}).status_code == 404


def test_staff_complete_a_claim_from_the_task_page(staff_client, tasks):
    claim = ClaimFactory(task=tasks[0])
    staff_client.post(f"/hackathon/7/claims/{claim.pk}/advance/", {f"c{claim.pk}-state": 6})
    tasks[0].refresh_from_db()
    assert tasks[0].completed_claim == claim
    assert "✅" in staff_client.get("/hackathon/7/tasks.md").content.decode()


def test_board_filters_apply_to_exports(client, edition, direction):
    published_row_direction(edition, direction, StaffFactory())
    TaskFactory(edition=edition, number=40, difficulty="0.5")
    board = client.get("/hackathon/7/tasks/?state=unclaimed").content.decode()
    assert len(re.findall(r'data-task="\d+"', board)) == 4
    data = json.loads(client.get("/hackathon/7/tasks.json?state=6").content)
    assert len(data["tasks"]) == 6 and all(t["completed_by"] for t in data["tasks"])
    data = json.loads(client.get("/hackathon/7/tasks.json?difficulty=0.5").content)
    assert [t["number"] for t in data["tasks"]] == [40]
    data = json.loads(client.get(f"/hackathon/7/tasks.json?direction={direction.pk}").content)
    assert len(data["tasks"]) == 16
    slug = direction.track.slug
    data = json.loads(client.get(f"/hackathon/7/tasks.json?track={slug}").content)
    assert len(data["tasks"]) == 16
    # A bad filter value is ignored, not a 500.
    assert client.get("/hackathon/7/tasks/?state=nonsense&direction=x").status_code == 200


def test_board_exports_parse_back(client, edition, direction):
    published_row_direction(edition, direction, StaffFactory())
    claim = Claim.objects.filter(state=ClaimState.COMPLETED).first()
    claim.pull_requests.create(url=PR)
    markdown = client.get("/hackathon/7/tasks.md").content.decode()
    rows = [line for line in markdown.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == 16
    assert sum(1 for row in rows if row.rstrip(" |").endswith(")") or "✅" in row) >= 6
    assert f"[Paddle#68000]({PR})" in markdown
    assert (
        "| 序号 | 难度 | 任务标题 | 队伍/状态/PR | 完成队伍 |"
        in client.get("/hackathon/7/tasks.md", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )
    table = list(
        csv.DictReader(
            io.StringIO(client.get("/hackathon/7/tasks.csv").content.decode("utf-8-sig"))
        )
    )
    assert len(table) == 16 and sum(1 for row in table if row["completed_by"]) == 6
    data = json.loads(client.get("/hackathon/7/tasks.json").content)
    assert sum(1 for task in data["tasks"] if task["claims"]) == 13
    assert sum(1 for task in data["tasks"] if any(c["state"] >= 4 for c in task["claims"])) == 7


def test_csv_cells_cannot_be_formulas(client, edition):
    TaskFactory(edition=edition, number=1, title='=HYPERLINK("http://x")')
    TaskFactory(edition=edition, number=2, title="@SUM(A1)")
    text = client.get("/hackathon/7/tasks.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["title"].startswith("'=") and rows[1]["title"].startswith("'@")


def _publish(edition, persons, staff, deadline_days=3):
    number = 100
    for person, count in persons:
        for _ in range(count):
            number += 1
            claim = ClaimFactory(task=TaskFactory(edition=edition, number=number), person=person)
            transitions.advance_claim(claim, ClaimState.COMPLETED, staff)
    transitions.publish_results(
        edition, staff, objection_deadline=timezone.now() + timedelta(days=deadline_days)
    )
    edition.refresh_from_db()


def test_results_page_table_exports_and_objection(client, edition, contributor):
    staff = StaffFactory()
    results_page = client.get("/hackathon/7/results/").content.decode()
    assert 'data-testid="not-published"' in results_page
    _publish(edition, [(contributor.person, 2), (PersonFactory(github="zed"), 1)], staff)
    html = client.get("/hackathon/7/results/").content.decode()
    assert 'data-testid="deadline"' in html and f"@{contributor.person.github}" in html
    data = json.loads(client.get("/hackathon/7/results.json").content)
    assert [
        (r["rank"], r["completed_tasks"], r["stars"], r["reward"]) for r in data["results"]
    ] == [
        (1, 2, "2", "4000.00"),
        (2, 1, "1", "2000.00"),
    ]
    assert data["results"][0]["certificate"].startswith("http://testserver/hackathon/certificates/")
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/hackathon/7/results.csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[0]["reward"] == "4000.00" and rows[0]["open_source_star"] == "yes"

    client.force_login(contributor)
    assert "<textarea" in client.get("/hackathon/7/results/").content.decode()
    response = client.post(
        "/hackathon/7/results/objection/", {"text": "No.102 is 2 stars"}, follow=True
    )
    assert 'data-testid="my-objection"' in response.content.decode()
    response = client.post("/hackathon/7/results/objection/", {"text": "again"}, follow=True)
    assert any("already" in str(m) for m in response.context["messages"])
    transitions.answer_objection(Objection.objects.get(), staff, "Checked: it is 1 star.")
    assert "Checked: it is 1 star." in client.get("/hackathon/7/results/").content.decode()


def test_objection_after_the_deadline_is_refused_clearly(client, edition, contributor):
    _publish(edition, [(contributor.person, 1)], StaffFactory())
    Edition.objects.filter(pk=edition.pk).update(
        objection_deadline=timezone.now() - timedelta(hours=1)
    )
    client.force_login(contributor)
    page = client.get("/hackathon/7/results/").content.decode()
    assert 'data-testid="objections-closed"' in page and "<textarea" not in page
    assert 'data-testid="deadline"' not in page  # no "accepted until" a time that has passed
    response = client.post("/hackathon/7/results/objection/", {"text": "late"}, follow=True)
    page = response.content.decode()
    assert "ended" in page and "late</textarea>" in page  # the text is kept to copy elsewhere
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    "language, reason", [("en", "at most 5000 characters"), ("zh-hans", "不超过 5000 字符")]
)
def test_a_refused_objection_keeps_what_was_typed(client, edition, contributor, language, reason):
    _publish(edition, [(contributor.person, 1)], StaffFactory())
    client.force_login(contributor)
    long_text = "No.102 的星级算错了。" * 400
    response = client.post(
        "/hackathon/7/results/objection/", {"text": long_text}, HTTP_ACCEPT_LANGUAGE=language
    )
    page = response.content.decode()
    assert response.status_code == 200 and reason in page
    assert "No.102 的星级算错了。" * 3 in page and 'data-testid="deadline"' in page
    assert not Objection.objects.exists()


def test_certificate_verification_and_download(client, edition, contributor):
    _publish(edition, [(contributor.person, 1)], StaffFactory())
    certificate = edition.results.get().certificate
    page = client.get(f"/hackathon/certificates/{certificate.code}/")
    assert page.status_code == 200 and 'data-testid="valid"' in page.content.decode()
    image = client.get(f"/hackathon/certificates/{certificate.code}/certificate.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/hackathon/certificates/NOPE/").status_code == 404
    certificate.revoked = True
    certificate.save()
    assert 'data-testid="revoked"' in client.get(certificate.get_absolute_url()).content.decode()
    assert (
        client.get(f"/hackathon/certificates/{certificate.code}/certificate.png").status_code == 404
    )


def test_person_and_home_sections(client, edition, tasks, contributor):
    ClaimFactory(task=tasks[0], person=contributor.person)
    page = client.get(f"/people/{contributor.person.github}/").content.decode()
    assert 'id="hackathon"' in page and "No.1" in page
    assert "/hackathon/7/" in client.get("/").content.decode()


def test_admin_pages_open(staff_client, edition, tasks):
    claim = ClaimFactory(task=tasks[0])
    for url in (
        "/admin/hackathon/edition/",
        f"/admin/hackathon/edition/{edition.pk}/change/",
        "/admin/hackathon/task/",
        f"/admin/hackathon/task/{tasks[0].pk}/change/",
        "/admin/hackathon/claim/",
        f"/admin/hackathon/claim/{claim.pk}/change/",
        "/admin/hackathon/result/",
        "/admin/hackathon/objection/",
        "/admin/hackathon/certificate/",
        "/admin/hackathon/track/",
        "/admin/hackathon/direction/",
        "/admin/hackathon/claimstatechange/",
        "/admin/hackathon/pullrequest/",
    ):
        assert staff_client.get(url).status_code == 200, url


def test_admin_actions_and_correction(staff_client, edition, tasks):
    claim = ClaimFactory(task=tasks[0])
    staff_client.post(
        "/admin/hackathon/claim/",
        {"action": "mark_completed", "_selected_action": [claim.pk]},
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.COMPLETED
    response = staff_client.post(
        f"/admin/hackathon/claim/{claim.pk}/change/",
        {
            "task": tasks[0].pk,
            "person": claim.person.pk,
            "team_name": "",
            "state": 4,
            "created_at_0": claim.created_at.strftime("%Y-%m-%d"),
            "created_at_1": claim.created_at.strftime("%H:%M:%S"),
            "correction_note": "reverted",
            "pull_requests-TOTAL_FORMS": 0,
            "pull_requests-INITIAL_FORMS": 0,
            "history-TOTAL_FORMS": 0,
            "history-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    claim.refresh_from_db()
    tasks[0].refresh_from_db()
    assert claim.state == 4 and tasks[0].completed_claim is None
    last = claim.history.last()
    assert last.is_correction and last.note == "reverted"
    response = staff_client.post(
        "/admin/hackathon/edition/",
        {"action": "publish_results", "_selected_action": [edition.pk]},
    )
    # The bulk action only leads to the publishing page, which asks first.
    page = f"/admin/hackathon/edition/{edition.pk}/publish/"
    assert response.status_code == 302 and response["Location"] == page
    edition.refresh_from_db()
    assert edition.state == Edition.State.OPEN
    staff_client.post(page, {"confirm": "yes"})
    edition.refresh_from_db()
    assert edition.state == Edition.State.RESULTS_PUBLISHED
    assert edition.events.filter(action="publish_results").exists()


def test_publishing_shows_the_table_certificates_and_emails_before_it_asks(
    staff_client, edition, contributor
):
    claim = ClaimFactory(task=TaskFactory(edition=edition, number=60), person=contributor.person)
    transitions.advance_claim(claim, ClaimState.COMPLETED, StaffFactory())
    transitions.compute_results(edition, StaffFactory())
    page = staff_client.get(f"/admin/hackathon/edition/{edition.pk}/publish/").content.decode()
    assert f"@{contributor.person.github}" in page
    assert contributor.email in page
    assert "publish-certificates" in page
    assert re.search(r"publish-subject\"><strong>[^<]*第 7 期", page)
    edition.refresh_from_db()
    assert (
        not edition.results_published
        and not OutgoingEmail.objects.filter(subject__contains="published").exists()
    )


def test_staff_answer_objections_in_the_admin(staff_client, edition, contributor):
    _publish(edition, [(contributor.person, 1)], StaffFactory())
    objection = transitions.file_objection(edition, contributor, "missing task")
    response = staff_client.post(
        f"/admin/hackathon/objection/{objection.pk}/change/",
        {"answer": "Added.", "events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.state == Objection.State.ANSWERED and objection.answered_by is not None


def test_an_account_without_github_login_names_one_on_the_form(client, tasks):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    assert 'name="github_login"' in client.get("/hackathon/7/tasks/").content.decode()
    client.post("/hackathon/7/claim/", {"numbers": "1", "github_login": "brand-new"})
    assert Claim.objects.get().person.github == "brand-new"


def test_closed_edition_takes_no_claims(client, edition, tasks, contributor):
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    client.force_login(contributor)
    assert 'name="numbers"' not in client.get("/hackathon/7/tasks/").content.decode()
    response = client.post("/hackathon/7/claim/", {"numbers": "1"})
    assert response.status_code == 200
    assert "This edition does not accept claims now." in response.content.decode()
    assert not Claim.objects.exists()


def test_claimant_removes_a_wrong_pr_link_others_cannot(
    client, tasks, contributor, other_contributor
):
    claim = ClaimFactory(task=tasks[0], person=contributor.person)
    pull = transitions.record_pull_request(claim, PR, contributor)
    url = f"/hackathon/7/claims/{claim.pk}/pull-requests/{pull.pk}/remove/"
    client.force_login(other_contributor)
    assert client.post(url).status_code == 403
    client.force_login(contributor)
    assert 'data-testid="remove-pr"' in client.get("/hackathon/7/tasks/1/").content.decode()
    client.post(url)
    assert not claim.pull_requests.exists()


def test_seed_is_idempotent(db):
    from io import StringIO

    from hackathon import seed
    from hackathon.models import Result, Task

    class Command:
        stdout = StringIO()

    seed.seed(Command())
    counts = (Task.objects.count(), Claim.objects.count(), Result.objects.count())
    seed.seed(Command())
    assert (Task.objects.count(), Claim.objects.count(), Result.objects.count()) == counts
    assert Task.objects.filter(edition__number=5).count() == 124
    five = Edition.objects.get(number=5)
    assert five.state == Edition.State.RESULTS_PUBLISHED
    # 快乐开源, a standalone activity, has its own published results.
    happy = TaskSet.objects.get(slug="happy-open-source")
    assert happy.edition is None and happy.results_published
    assert Result.objects.filter(task_set=happy, certificate__isnull=False).exists()
    assert set(Claim.objects.filter(task__edition=five).values_list("state", flat=True)) == set(
        range(1, 7)
    )
    from hackathon.stats import direction_progress, edition_totals

    totals = edition_totals(five)
    assert (totals.tasks, totals.claimed, totals.submitted, totals.completed) == (124, 120, 96, 85)
    row = direction_progress(Edition.objects.get(number=8))[0]
    assert (row.tasks, row.submitted, row.claimed, row.completed) == (16, 7, 13, 6)


def test_admin_adds_a_completed_claim_and_publishes_by_status(staff_client, edition, tasks):
    person = PersonFactory()
    response = staff_client.post(
        "/admin/hackathon/claim/add/",
        {
            "task": tasks[1].pk,
            "person": person.pk,
            "team_name": "",
            "state": 6,
            "created_at_0": "2026-01-02",
            "created_at_1": "10:00:00",
            "correction_note": "merged before the site existed",
            "pull_requests-TOTAL_FORMS": 0,
            "pull_requests-INITIAL_FORMS": 0,
            "history-TOTAL_FORMS": 0,
            "history-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    tasks[1].refresh_from_db()
    assert tasks[1].completed_claim.person == person
    data = {
        "number": 7,
        "name": edition.name,
        "state": "results_published",
        "star_value": "2000",
        "reward_cap": "30000",
        "tracks-TOTAL_FORMS": 0,
        "tracks-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    response = staff_client.post(f"/admin/hackathon/edition/{edition.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # Choosing "results published" leads to the page that asks first.
    assert response["Location"].endswith(f"/admin/hackathon/edition/{edition.pk}/publish/")
    edition.refresh_from_db()
    assert not edition.results_published
    staff_client.post(response["Location"], {"confirm": "yes"})
    edition.refresh_from_db()
    assert edition.results_published and edition.objection_deadline
    assert edition.results.get().certificate


def test_staff_preview_results_before_publishing(staff_client, edition, contributor):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff = StaffFactory()
    claim = ClaimFactory(task=TaskFactory(edition=edition, number=50), person=contributor.person)
    transitions.advance_claim(claim, ClaimState.COMPLETED, staff)
    transitions.compute_results(edition, staff)
    visitor = client.get("/hackathon/7/results/").content.decode()
    assert 'data-testid="preview"' not in visitor and f"@{contributor.person.github}" not in visitor
    page = staff_client.get("/hackathon/7/results/").content.decode()
    assert 'data-testid="preview"' in page and f"@{contributor.person.github}" in page
