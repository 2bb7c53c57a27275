"""Staff see deliveries, retry failed ones and list each edition's repositories in the admin."""

import pytest

from hackathon import github
from hackathon.models import Claim, ClaimState, PullRequestStatus, Repository, WebhookDelivery
from tests.factories import PersonFactory

from .factories import ClaimFactory
from .test_webhook_payloads import SECRET, deliver, pr_payload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET


@pytest.fixture
def failed(client, edition, tasks, monkeypatch):
    """A delivery for a claimed task that failed (the services broke for a moment)."""
    Repository.objects.create(edition=edition, full_name="PaddlePaddle/Paddle")
    ClaimFactory(task=tasks[0], person=PersonFactory(github="alice-gh"))
    original = github.transitions.record_pull_request

    def broken(*args, **kwargs):
        raise RuntimeError("lock timeout")

    monkeypatch.setattr(github.transitions, "record_pull_request", broken)
    deliver(
        client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x"), delivery_id="f"
    )
    monkeypatch.setattr(github.transitions, "record_pull_request", original)
    return WebhookDelivery.objects.get(delivery_id="f")


def test_delivery_pages_open(staff_client, edition, failed):
    assert failed.state == WebhookDelivery.State.FAILED
    for url in (
        "/admin/hackathon/webhookdelivery/",
        "/admin/hackathon/webhookdelivery/?state__exact=failed",
        f"/admin/hackathon/webhookdelivery/{failed.pk}/change/",
        "/admin/hackathon/pullrequeststatus/",
        "/admin/hackathon/repository/",
        "/admin/hackathon/repository/add/",
        f"/admin/hackathon/edition/{edition.pk}/change/",
    ):
        assert staff_client.get(url).status_code == 200, url
    page = staff_client.get("/admin/hackathon/webhookdelivery/").content.decode()
    assert "PaddlePaddle/Paddle/pull/70001" in page
    detail = staff_client.get(f"/admin/hackathon/webhookdelivery/{failed.pk}/change/")
    assert "lock timeout" in detail.content.decode()
    edition_page = staff_client.get(f"/admin/hackathon/edition/{edition.pk}/change/")
    assert "PaddlePaddle/Paddle" in edition_page.content.decode()


def test_staff_retry_a_failed_delivery(staff_client, failed, edition):
    response = staff_client.post(
        "/admin/hackathon/webhookdelivery/",
        {"action": "retry", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.state == WebhookDelivery.State.PROCESSED
    assert failed.attempts == 2
    assert Claim.objects.get(task__number=1).state == ClaimState.PR_SUBMITTED
    assert PullRequestStatus.objects.count() == 1


def test_retrying_a_processed_delivery_says_there_is_nothing_to_do(staff_client, edition, tasks):
    deliver(staff_client, "pull_request", pr_payload("opened", "no tag"), delivery_id="i")
    delivery = WebhookDelivery.objects.get(delivery_id="i")
    response = staff_client.post(
        "/admin/hackathon/webhookdelivery/",
        {"action": "retry", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "nothing to retry" in response.content.decode()
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1


def test_staff_list_repositories_per_edition(staff_client, edition):
    response = staff_client.post(
        "/admin/hackathon/repository/add/",
        {"edition": edition.pk, "full_name": "PaddlePaddle/Paddle"},
    )
    assert response.status_code == 302
    again = staff_client.post(
        "/admin/hackathon/repository/add/",
        {"edition": edition.pk, "full_name": "paddlepaddle/PADDLE"},
    )
    assert again.status_code == 200  # the same repository (any case) once per edition
    bad = staff_client.post(
        "/admin/hackathon/repository/add/",
        {"edition": edition.pk, "full_name": "https://github.com/PaddlePaddle/Paddle"},
    )
    assert bad.status_code == 200
    assert list(Repository.objects.values_list("full_name", flat=True)) == ["PaddlePaddle/Paddle"]


def test_deliveries_are_staff_only(client, user, failed):
    client.force_login(user)
    response = client.get("/admin/hackathon/webhookdelivery/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
