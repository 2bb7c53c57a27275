import pytest

from hackathon.models import Claim

from .factories import ClaimFactory

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/hackathon/{HUGE}/",
        f"/hackathon/7/tasks/{HUGE}/",
        f"/hackathon/{HUGE}/tasks.json",
        "/hackathon/certificates/%00%ff/",
        "/hackathon/certificates/x/certificate.png",
    ],
)
def test_absurd_addresses_are_404(client, tasks, url):
    assert client.get(url).status_code == 404


def test_absurd_filters_are_ignored(client, tasks):
    for query in (
        "state=99",
        f"direction={HUGE}",
        "difficulty=abc",
        "track=%00",
        "state=1&state=2",
    ):
        assert client.get(f"/hackathon/7/tasks/?{query}").status_code == 200


def test_absurd_claims_are_explained(client, tasks, contributor):
    client.force_login(contributor)
    typed = f"{HUGE}、1、１-２、" + "x" * 400
    response = client.post("/hackathon/7/claim/", {"numbers": typed})
    # A list with absurd tokens claims nothing; the form comes back with the list and each
    # token's reason, so the good numbers need not be typed again.
    assert response.status_code == 200
    assert not Claim.objects.exists()
    errors = response.context["form"].errors["numbers"]
    assert any(HUGE in error for error in errors) and any("xxxx" in error for error in errors)
    assert response.context["form"]["numbers"].value() == typed
    response = client.post("/hackathon/7/claim/", {"numbers": "1、１-２"})
    assert response.status_code == 302
    assert sorted(Claim.objects.values_list("task__number", flat=True)) == [1, 2]
    claim = ClaimFactory(task=tasks[3], person=contributor.person)
    url = f"/hackathon/7/claims/{claim.pk}/advance/"
    for value in ("abc", HUGE, "-1", ""):
        assert client.post(url, {f"c{claim.pk}-state": value}).status_code == 302
    assert client.post(f"/hackathon/7/claims/{HUGE}/advance/").status_code == 404
