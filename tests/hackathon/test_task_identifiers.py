"""Tasks named by text (`C-115`, `1.3`) where a set numbers its items so, and sets whose PR
titles write the number right after the tag: what staff, contributors and the webhook see.

Integer-numbered sets keep working as they did: their tasks have no identifier, their addresses
are /…/tasks/<number>/, and a number never names a task that has an identifier."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from hackathon import transitions
from hackathon.models import Claim, ClaimState, Edition, GitHubReply, Task, TaskSet, WebhookDelivery
from tests.factories import PersonFactory, UserFactory

from .factories import EditionFactory
from .test_task_sets import comment_payload, uid
from .test_webhook_payloads import SECRET, deliver, pr_payload

pytestmark = pytest.mark.django_db

CAMP_ISSUE = "https://github.com/PaddlePaddle/Paddle/issues/65279"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    settings.GITHUB_TOKEN = ""


@pytest.fixture
def sets(db):
    """Edition 9's main set (numbers 1-3), a set named by text (C-1, C-2, 1.3, 1.10: numbers 1-4
    underneath) and a standalone activity whose titles write the number after the tag."""
    edition = EditionFactory(number=9, state=Edition.State.OPEN)
    main = TaskSet.main_of(edition)
    main.repositories = "PaddlePaddle/Paddle"
    main.save()
    text = TaskSet.objects.create(
        edition=edition,
        slug="hackathon-9-code-camp",
        name="Code Camp",
        title_tags="Hackathon 9th Code Camp",
        repositories="PaddlePaddle/Paddle",
        issue_url="https://github.com/PaddlePaddle/Paddle/issues/74775",
    )
    starter = TaskSet.objects.create(
        slug="starter-code-camp",
        name="飞桨启航计划集训营",
        title_tags="Starter Code Camp",
        number_follows_tag=True,
        repositories="PaddlePaddle/Paddle",
        issue_url=CAMP_ISSUE,
    )
    for number in (1, 2, 3):
        Task.objects.create(task_set=main, number=number, title=f"主赛题 {number}")
        Task.objects.create(task_set=starter, number=number, title=f"启航 {number}")
    for identifier in ("C-1", "C-2", "1.3", "1.10"):
        Task.objects.create(task_set=text, identifier=identifier, title=f"营 {identifier}")
    return {"main": main, "text": text, "starter": starter}


@pytest.fixture
def alice(db):
    return PersonFactory(github="alice-gh", github_id=uid("alice-gh"), user=UserFactory())


def claimed(task_set):
    return sorted(
        (claim.task.label, claim.state)
        for claim in Claim.objects.filter(task__task_set=task_set).select_related("task")
    )


def last():
    return WebhookDelivery.objects.order_by("-pk").first()


# --- The model ---------------------------------------------------------------------------------


def test_a_task_named_by_text_gets_the_next_number_and_keeps_its_identifier(sets):
    text = sets["text"]
    assert list(text.tasks.values_list("number", "identifier")) == [
        (1, "C-1"),
        (2, "C-2"),
        (3, "1.3"),
        (4, "1.10"),
    ]
    task = Task(task_set=text, identifier="c－5", title="小写、全角")
    task.full_clean()
    task.save()
    assert (task.number, task.identifier, task.label, str(task)) == (
        5,
        "C-5",
        "C-5",
        "No.C-5 小写、全角",
    )
    plain = sets["main"].tasks.get(number=2)
    assert (plain.identifier, plain.label, str(plain)) == ("", "2", "No.2 主赛题 2")


def test_an_identifier_is_unique_in_its_set_whatever_the_case(sets):
    duplicate = Task(task_set=sets["text"], identifier="c-1", title="again")
    with pytest.raises(ValidationError, match="already has a task with this identifier"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(task_set=sets["text"], identifier="C-1", number=99, title="again")
    # Another set may use the same identifier; several tasks may have none.
    Task.objects.create(task_set=sets["starter"], identifier="C-1", title="other set")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"identifier": "42"}, "identifier"),  # a number goes in "number"
        ({"identifier": "C-1-2"}, "identifier"),
        ({}, "number"),  # neither number nor identifier
    ],
)
def test_the_admin_form_explains_a_wrong_identifier(sets, values, field):
    task = Task(task_set=sets["text"], title="x", **values)
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert field in error.value.message_dict


def test_a_number_never_names_a_task_that_has_an_identifier(sets):
    found = Task.objects.filter(task_set=sets["text"]).by_keys(["2", "C-2", "c-1", "1.10", "x"])
    assert sorted(found) == ["1.10", "C-1", "C-2"]  # task number 2 is "C-2": "2" names nothing


# --- The webhook: PR titles and comments -------------------------------------------------------


def test_a_pr_names_a_task_by_its_identifier(client, sets, alice):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 9th Code Camp No.C-2】x"))
    assert claimed(sets["text"]) == [("C-2", ClaimState.PR_SUBMITTED)]
    merged = pr_payload("closed", "【Hackathon 9th Code Camp No.1.3】y", number=2, merged=True)
    deliver(client, "pull_request", merged)
    assert claimed(sets["text"]) == [
        ("1.3", ClaimState.COMPLETED),
        ("C-2", ClaimState.PR_SUBMITTED),
    ]
    assert not claimed(sets["main"])


def test_a_number_in_a_set_named_by_text_is_answered_not_guessed(client, sets, alice):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 9th Code Camp No.2】x"))
    assert not Claim.objects.exists()
    assert last().state == WebhookDelivery.State.NEEDS_REVIEW
    assert "PR赛题编号【2】不存在" in GitHubReply.objects.get().body
    deliver(
        client,
        "pull_request",
        pr_payload("opened", "【Hackathon 9th Code Camp No.C-9】x", number=3),
    )
    assert GitHubReply.objects.filter(body__contains="PR赛题编号【C-9】不存在").exists()


def test_a_title_edited_from_one_identifier_to_another_moves_the_link(client, sets, alice):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 9th Code Camp No.C-1】x"))
    edited = pr_payload(
        "edited",
        "【Hackathon 9th Code Camp No.C-2】x",
        changes={"title": {"from": "【Hackathon 9th Code Camp No.C-1】x"}},
    )
    deliver(client, "pull_request", edited)
    links = {
        claim.task.label: claim.pull_requests.count()
        for claim in Claim.objects.select_related("task")
    }
    assert links == {"C-1": 0, "C-2": 1}


def test_comments_claim_and_withdraw_by_identifier(client, sets, alice):
    body = "【报名】：C-1、1.3、C-9"
    deliver(client, "issue_comment", comment_payload(body, issue=74775, comment_id=1))
    assert claimed(sets["text"]) == [("1.3", ClaimState.CLAIMED), ("C-1", ClaimState.CLAIMED)]
    bodies = list(GitHubReply.objects.values_list("body", flat=True))
    assert any("报名赛题编号【C-9】不存在" in b for b in bodies)
    assert any("报名成功：C-1、1.3" in b for b in bodies)
    deliver(
        client, "issue_comment", comment_payload("【取消报名】：c-1", issue=74775, comment_id=2)
    )
    assert claimed(sets["text"]) == [("1.3", ClaimState.CLAIMED)]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("【Starter Code Camp 3】修复文档", [("3", ClaimState.PR_SUBMITTED)]),
        ("【Starter Code Camp】2、3 修复文档", [("2", 4), ("3", 4)]),
        ("【Starter Code Camp No.1】修复文档", [("1", ClaimState.PR_SUBMITTED)]),
    ],
)
def test_a_set_configured_so_reads_the_number_right_after_its_tag(
    client, sets, alice, title, expected
):
    deliver(client, "pull_request", pr_payload("opened", title))
    assert claimed(sets["starter"]) == expected
    assert not claimed(sets["main"])


@pytest.mark.parametrize(
    "title",
    [
        "【Starter Code Camp】fix issue 3",  # the bot took the first digit after the prefix
        "【Hackathon 9th Code Camp 2】x",  # the set requires "No."
        "【Hackathon 9th 2】x",  # the main set requires "No."
    ],
)
def test_a_number_anywhere_else_credits_nothing(client, sets, alice, title):
    deliver(client, "pull_request", pr_payload("opened", title))
    assert not Claim.objects.exists()
    assert last().state == WebhookDelivery.State.NEEDS_REVIEW


def test_without_the_setting_the_number_after_the_tag_is_no_task(client, sets, alice):
    sets["starter"].number_follows_tag = False
    sets["starter"].save()
    deliver(client, "pull_request", pr_payload("opened", "【Starter Code Camp 3】修复文档"))
    assert not Claim.objects.exists()
    assert last().state == WebhookDelivery.State.IGNORED


# --- The claim form, pages and exports --------------------------------------------------------


def test_the_claim_form_takes_identifiers(sets, alice):
    outcome = transitions.claim_tasks(sets["text"], alice.user, "C-2、1.10、2")
    assert sorted(claim.task.label for claim in outcome.claimed) == ["1.10", "C-2"]
    assert dict(outcome.rejected) == {"No.2": "There is no task No.2."}


def test_board_task_page_and_exports_show_the_identifier(client, sets):
    board = client.get("/hackathon/sets/hackathon-9-code-camp/").content.decode()
    assert '<td class="num">C-2</td>' in board and '<td class="num">1.10</td>' in board
    # The identifier is shown; the address keeps the number.
    page = client.get("/hackathon/sets/hackathon-9-code-camp/tasks/3/").content.decode()
    assert "No.1.3 营 1.3" in page
    data = json.loads(client.get("/hackathon/sets/hackathon-9-code-camp/tasks.json").content)
    rows = data["tasks"] if isinstance(data, dict) else data
    assert [(row["number"], row["identifier"]) for row in rows] == [
        (1, "C-1"),
        (2, "C-2"),
        (3, "1.3"),
        (4, "1.10"),
    ]
    table = list(
        csv.reader(
            io.StringIO(
                client.get("/hackathon/sets/hackathon-9-code-camp/tasks.csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert table[0][-1] == "identifier" and [row[-1] for row in table[1:]] == [
        "C-1",
        "C-2",
        "1.3",
        "1.10",
    ]
    markdown = client.get("/hackathon/sets/hackathon-9-code-camp/tasks.md").content.decode()
    assert "| C-1 |" in markdown
    # An integer-numbered set: as before, an empty identifier.
    main = json.loads(client.get("/hackathon/9/tasks.json").content)
    main_rows = main["tasks"] if isinstance(main, dict) else main
    assert [(row["number"], row["identifier"]) for row in main_rows] == [(1, ""), (2, ""), (3, "")]
    assert client.get("/hackathon/9/tasks/2/").status_code == 200


# --- Import ------------------------------------------------------------------------------------

DOCUMENT = """## 营员项目
### No.C-115：为 Paddle 新增 A
难度：⭐⭐
### NO.C-2 为 Paddle 新增 B
### No.1.3：第一部分第三题
**是否需要提交 RFC：** 是
"""


def test_import_reads_identifiers_in_natural_order_and_updates_on_rerun(tmp_path):
    path = tmp_path / "tasks.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    args = [
        "import_tasks",
        "9",
        str(path),
        "--set",
        "Code Camp",
        "--tag",
        "Hackathon 9th Code Camp",
    ]
    call_command(*args, stdout=StringIO())
    task_set = TaskSet.objects.get(name="Code Camp")
    assert list(task_set.tasks.values_list("number", "identifier", "needs_rfc")) == [
        (1, "1.3", True),
        (2, "C-2", False),
        (3, "C-115", False),
    ]
    path.write_text(
        DOCUMENT.replace("为 Paddle 新增 A", "为 Paddle 新增 A（改）"), encoding="utf-8"
    )
    out = StringIO()
    call_command(*args, stdout=out)
    assert "updated No.C-115" in out.getvalue()
    assert task_set.tasks.count() == 3
    assert task_set.tasks.get(identifier="C-115").title == "为 Paddle 新增 A（改）"


def test_an_rfc_table_never_reads_c_115_as_115(tmp_path):
    path = tmp_path / "rfc.md"
    path.write_text(
        "| 序号 | 难度 | 任务标题 | 是否需要提交 RFC |\n| --- | --- | --- | --- |\n"
        "| C-115 | ⭐ | 文本编号 | 是 |\n| 115 | ⭐ | 数字编号 | 否 |\n",
        encoding="utf-8",
    )
    call_command("import_tasks", "9", str(path), stdout=StringIO())
    main = TaskSet.objects.get(slug="hackathon-9")
    assert sorted(main.tasks.values_list("number", "identifier", "needs_rfc")) == [
        (115, "", False),
        (116, "C-115", True),
    ]


def test_import_task_sets_marks_a_prefix_without_no(tmp_path):
    path = tmp_path / "config.py"
    path.write_text(
        "configs = [\n"
        "  {'issue_name': '【HACKATHON 预备营】飞桨启航计划集训营（第三期）',\n"
        "   'issue_url': 'https://api.github.com/repos/PaddlePaddle/Paddle/issues/65279',\n"
        "   'repo_urls': ['https://api.github.com/repos/PaddlePaddle/Paddle/pulls'],\n"
        "   'type_names': ['Starter Code Camp'], 'task_types': [['1-5']],\n"
        "   'pr_prefix': 'Starter Code Camp'},\n"
        "  {'issue_name': 'PaddleX 快乐开源活动',\n"
        "   'issue_url': 'https://api.github.com/repos/PaddlePaddle/PaddleX/issues/3557',\n"
        "   'repo_urls': [], 'pr_prefix': 'PaddleX No.'},\n"
        "]\n",
        encoding="utf-8",
    )
    call_command("import_task_sets", str(path), stdout=StringIO())
    flags = dict(TaskSet.objects.values_list("title_tags", "number_follows_tag"))
    assert flags == {"starter code camp": True, "paddlex": False}
    assert TaskSet.objects.direct_tags() == {"starter code camp"}


# --- Migration ---------------------------------------------------------------------------------

BEFORE = [("hackathon", "0007_github_replies")]


@pytest.mark.django_db(transaction=True)
def test_existing_tasks_migrate_untouched():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        OldEdition = old.get_model("hackathon", "Edition")
        OldTaskSet = old.get_model("hackathon", "TaskSet")
        OldTask = old.get_model("hackathon", "Task")
        edition = OldEdition.objects.create(number=5, state="open")
        task_set = OldTaskSet.objects.create(
            edition=edition,
            slug="hackathon-5",
            name="主赛题",
            is_main=True,
            title_tags="Hackathon 5th",
        )
        for number in (1, 2, 42):
            OldTask.objects.create(
                task_set=task_set, edition=edition, number=number, title=f"t{number}"
            )

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("hackathon", "0008_task_identifiers_and_direct_numbers")])
        new = (
            MigrationExecutor(connection)
            .loader.project_state([("hackathon", "0008_task_identifiers_and_direct_numbers")])
            .apps
        )
        NewTask = new.get_model("hackathon", "Task")
        NewTaskSet = new.get_model("hackathon", "TaskSet")
        assert sorted(NewTask.objects.values_list("number", "identifier", "title")) == [
            (1, "", "t1"),
            (2, "", "t2"),
            (42, "", "t42"),
        ]
        assert NewTaskSet.objects.get().number_follows_tag is False
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
