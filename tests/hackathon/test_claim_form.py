"""The claim form keeps what was typed: a claim that claims nothing shows the form again (the
edition's /hackathon/<n>/claim/ and a set's /hackathon/sets/<slug>/claim/) with every field's
value and each error under a summary that names its field, in both languages."""

import html as htmllib
import re

import pytest
from django.test import Client

from hackathon.models import Claim, Edition, Task, TaskSet
from tests.factories import UserFactory
from tests.queries import assert_flat_queries

from .factories import EditionFactory

pytestmark = pytest.mark.django_db

LABELS = {
    "en": {
        "numbers": "Task numbers",
        "team_name": "Team name (optional)",
        "github_login": "Your GitHub login",
        "summary": "Please correct what is marked below:",
        "title": "Claim tasks",
        "no_task": "There is no task No.42.",
        "bad_token": "“x” is not a task number.",
        "closed": "This edition does not accept claims now.",
    },
    "zh-hans": {
        "numbers": "任务序号",
        "team_name": "队伍名称（可选）",
        "github_login": "你的 GitHub 用户名",
        "summary": "请修改下面标出的内容：",
        "title": "认领任务",
        "no_task": "没有 No.42 任务。",
        "bad_token": "“x”不是任务序号。",
        "closed": "本期活动现在不接受认领。",
    },
}


@pytest.fixture
def edition(db):
    edition = EditionFactory(number=7, state=Edition.State.OPEN)
    main = TaskSet.main_of(edition)
    for number in range(1, 4):
        Task.objects.create(task_set=main, number=number, title=f"任务 {number}")
    return edition


@pytest.fixture
def standalone(db):
    task_set = TaskSet.objects.create(
        slug="api-compatibility", name="API兼容性增强", title_tags="API Compatibility"
    )
    for number in range(1, 4):
        Task.objects.create(task_set=task_set, number=number, title=f"API {number}")
    return task_set


def _client(user, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _value(page, name):
    form = re.search(r'data-testid="claim-form">(.*?)</form>', page, re.S)
    assert form, "no claim form"
    match = re.search(rf'<input [^>]*name="{name}"[^>]*>', form.group(1))
    assert match, f"no {name} field"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return htmllib.unescape(value.group(1)) if value else ""


def _summary(page):
    match = re.search(r'data-testid="form-errors">(.*?)</div>', page, re.S)
    assert match, "no error summary"
    return htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def _with_person():
    user = UserFactory()
    from tests.factories import PersonFactory

    PersonFactory(github=f"gh-{user.username}", user=user)
    return user


URLS = {
    "edition": "/hackathon/7/claim/",
    "set": "/hackathon/sets/api-compatibility/claim/",
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("where", ["edition", "set"])
def test_a_bad_number_keeps_every_field_and_names_it(edition, standalone, where, language):
    client = _client(_with_person(), language)
    labels = LABELS[language]
    back = "/hackathon/7/tasks/1/" if where == "edition" else "/hackathon/sets/api-compatibility/"
    response = client.post(
        URLS[where], {"numbers": "2、x", "team_name": "飞桨小队 Team", "next": back}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert _value(page, "numbers") == "2、x"
    assert _value(page, "team_name") == "飞桨小队 Team"
    assert _value(page, "next") == back  # a successful retry still goes back there
    summary = _summary(page)
    assert labels["summary"] in summary
    assert f"{labels['numbers']}: {labels['bad_token']}" in summary
    # The field itself is marked for screen readers and points at its error.
    field = re.search(r'<input [^>]*name="numbers"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="' in field
    assert f"<title>{labels['title']} · " in page and f"<h1>{labels['title']} · " in page
    assert not Claim.objects.exists()

    # Corrected, the same form claims and goes back where the user came from.
    response = client.post(
        URLS[where], {"numbers": "2", "team_name": "飞桨小队 Team", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Claim.objects.get().team_name == "飞桨小队 Team"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("where", ["edition", "set"])
def test_numbers_that_claim_nothing_stay_on_the_form(edition, standalone, where, language):
    client = _client(_with_person(), language)
    response = client.post(URLS[where], {"numbers": "42", "team_name": "A"})
    page = response.content.decode()
    assert response.status_code == 200
    assert _value(page, "numbers") == "42" and _value(page, "team_name") == "A"
    assert f"{LABELS[language]['numbers']}: {LABELS[language]['no_task']}" in _summary(page)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_account_without_github_sees_its_login_error_on_the_login_field(
    edition, standalone, language
):
    """An e-mail account types its GitHub login; a bad one is named on that field, and the
    numbers and team name stay."""
    client = _client(UserFactory(), language)
    response = client.post(
        URLS["edition"], {"numbers": "1、3", "team_name": "T", "github_login": "bad login!"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert _value(page, "numbers") == "1、3"
    assert _value(page, "team_name") == "T"
    assert _value(page, "github_login") == "bad login!"
    summary = _summary(page)
    assert f"{LABELS[language]['github_login']}: " in summary
    assert response.context["form"].errors.keys() == {"github_login"}
    assert not Claim.objects.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_claim_page_opens_and_says_when_claims_are_closed(edition, language):
    client = _client(_with_person(), language)
    page = client.get("/hackathon/7/claim/?numbers=3").content.decode()
    assert _value(page, "numbers") == "3"
    assert 'data-testid="form-errors"' not in page

    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    response = client.get("/hackathon/7/claim/")
    page = response.content.decode()
    assert response.status_code == 200
    assert LABELS[language]["closed"] in page and 'name="numbers"' not in page
    # A claim posted from a page left open shows the reason on the form, the input kept.
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.OPEN)
    form_page = client.get("/hackathon/7/claim/")
    assert form_page.status_code == 200
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    response = client.post("/hackathon/7/claim/", {"numbers": "2"})
    assert response.status_code == 200
    assert LABELS[language]["closed"] in response.content.decode()


def test_the_claim_page_query_budget(edition):
    client = _client(_with_person(), "en")
    main = TaskSet.main_of(edition)

    def grow(count):
        Task.objects.bulk_create(
            Task(task_set=main, number=number, title=f"任务 {number}")
            for number in range(main.tasks.count() + 1, count + 1)
        )

    assert assert_flat_queries(client, "/hackathon/7/claim/", grow, small=10, large=1000) <= 12
