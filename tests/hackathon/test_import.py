from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hackathon.importer import parse_difficulty, parse_document
from hackathon.models import Edition, Task

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("import_tasks", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("⭐️", Decimal(1)),
        ("🌟🌟", Decimal(2)),
        ("⭐⭐⭐", Decimal(3)),
        ("0.5⭐️", Decimal("0.5")),
        ("0.025", Decimal("0.025")),
        ("⭐⭐⭐⭐⭐", None),
        ("", None),
        ("基础", None),
    ],
)
def test_difficulty(text, value):
    assert parse_difficulty(text) == value


def test_parse_task_document():
    report = parse_document((DATA / "tasks.md").read_text())
    numbers = [task.number for task in report.tasks]
    assert numbers == [1, 42]
    first = report.tasks[0]
    assert first.title == "为 Paddle 新增 AdaptiveLogSoftmaxWithLoss API"
    assert "**提交内容：**" in first.description and "验收说明" in first.description
    assert report.tasks[1].difficulty == Decimal(2) and report.tasks[1].needs_rfc is True
    assert len(report.problems) == 2  # "No.x 坏标题" and "NO.43" without a title


def test_import_creates_the_edition_is_idempotent_and_reports(tmp_path):
    output = run("9", str(DATA / "tasks.md"), str(DATA / "rfc.md"), "--direction", "框架开发")
    assert "Created edition 9" in output
    assert "not parsed" in output
    assert "3 created" in output.splitlines()[-1]
    assert "No.45" in output and "cannot read the difficulty" in output
    edition = Edition.objects.get(number=9)
    tasks = {task.number: task for task in Task.objects.filter(edition=edition)}
    assert sorted(tasks) == [1, 42, 44]
    assert tasks[1].difficulty == Decimal(1) and tasks[1].needs_rfc
    assert "<strong>详细描述：</strong>" in tasks[1].description_html
    assert tasks[44].title == "为 Paddle 新增 ormqr API" and tasks[44].difficulty == Decimal("0.5")
    assert tasks[42].direction.name == "框架开发"
    assert tasks[42].direction.track.name == "开源贡献个人挑战赛"
    again = run("9", str(DATA / "tasks.md"), str(DATA / "rfc.md"), "--direction", "框架开发")
    assert "0 created, 0 updated" in again
    assert Task.objects.filter(edition=edition).count() == 3
    changed = tmp_path / "rfc.md"
    changed.write_text(
        "| 序号 | 难度 | 任务标题 | 是否需要提交 RFC |\n|---|---|---|---|\n| 44 | ⭐️⭐️⭐️ | 新标题 | 是 |\n"
    )
    output = run("9", str(changed))
    assert "1 updated" in output
    task = Task.objects.get(edition=edition, number=44)
    assert (task.title, task.difficulty, task.needs_rfc) == ("新标题", Decimal(3), True)


def test_dry_run_and_bad_files(tmp_path):
    output = run("10", str(DATA / "rfc.md"), "--dry-run")
    assert "dry run" in output and not Edition.objects.filter(number=10).exists()
    with pytest.raises(CommandError):
        run("10", str(tmp_path / "missing.md"))
    binary = tmp_path / "bad.md"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError):
        run("10", str(binary))


def test_rfc_list_sections_become_directions():
    output = run("11", str(DATA / "rfc_sections.md"))
    assert "4 created" in output.splitlines()[-1]
    tasks = {
        t.number: t for t in Task.objects.filter(edition__number=11).select_related("direction")
    }
    assert tasks[7].title == "为 Paddle 新增 PolynomialLR / sinc / sinc_ API"
    assert tasks[7].difficulty == Decimal(2) and tasks[7].needs_rfc
    assert tasks[8].title == "为 paddle.nn.LSTM 功能增强 | 对齐" and not tasks[8].needs_rfc
    assert tasks[7].direction.name == "框架开发"
    assert tasks[36].direction.name == "科学计算模型复现" and tasks[36].difficulty == Decimal(2)
    assert tasks[37].difficulty == Decimal(1) and not tasks[37].needs_rfc
    assert (
        run("11", str(DATA / "rfc_sections.md"))
        .splitlines()[-1]
        .startswith("Edition 11: 0 created, 0 updated, 4 unchanged")
    )
