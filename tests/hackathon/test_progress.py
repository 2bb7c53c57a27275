import csv
import io
import json
import re

import pytest

from hackathon import stats
from hackathon.models import Task
from tests.factories import StaffFactory

from .factories import ClaimFactory, TaskFactory
from .helpers import published_row_direction

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("part", "total", "text"),
    [(7, 16, "43.75%"), (6, 16, "37.5%"), (85, 120, "70.83%"), (0, 0, "0%"), (3, 3, "100%")],
)
def test_rates(part, total, text):
    assert stats.format_rate(part, total) == text


def test_the_published_row(edition, direction):
    published_row_direction(edition, direction, StaffFactory())
    withdrawn = TaskFactory(edition=edition, direction=direction, number=99)
    ClaimFactory(task=withdrawn)
    Task.objects.filter(pk=withdrawn.pk).update(state=Task.State.WITHDRAWN)
    (row,) = stats.direction_progress(edition)
    assert (row.tasks, row.submitted, row.claimed, row.completed) == (16, 7, 13, 6)
    assert (row.submission_rate, row.completion_rate) == ("43.75%", "37.5%")
    totals = stats.edition_totals(edition)
    assert (totals.tasks, totals.claimed, totals.submitted, totals.completed) == (16, 13, 7, 6)


def test_progress_exports_parse_back_to_the_same_numbers(client, edition, direction):
    published_row_direction(edition, direction, StaffFactory())
    markdown = client.get("/hackathon/7/progress.md").content.decode()
    assert "| 框架开发 | 16 | 7 / 13 | 43.75% | 6 | 37.5% |" in markdown
    row = re.search(
        r"\| 框架开发 \| (\d+) \| (\d+) / (\d+) \| ([\d.]+)% \| (\d+) \| ([\d.]+)% \|", markdown
    )
    assert row.groups() == ("16", "7", "13", "43.75", "6", "37.5")

    response = client.get("/hackathon/7/progress.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["direction"] == "框架开发"
    assert (rows[0]["tasks"], rows[0]["submitted"], rows[0]["claimed"]) == ("16", "7", "13")
    assert (rows[0]["completed"], rows[0]["completion_rate"]) == ("6", "37.5%")

    data = json.loads(client.get("/hackathon/7/progress.json").content)
    assert data["directions"][0] | {} == {
        "set": "hackathon-7",
        "set_name": "主赛题",
        "track": "开源贡献个人挑战赛",
        "direction": "框架开发",
        "tasks": 16,
        "submitted": 7,
        "claimed": 13,
        "submission_rate": "43.75%",
        "completed": 6,
        "completion_rate": "37.5%",
    }
    assert data["total"]["completed"] == 6
    assert sum(person["completed"] for person in data["people"]) == 6


def test_progress_page_shows_the_table_people_and_chart(client, edition, direction):
    published_row_direction(edition, direction, StaffFactory())
    html = client.get("/hackathon/7/progress/").content.decode()
    assert "43.75%" in html and "37.5%" in html
    assert "<polyline" in html and 'class="series completed"' in html
    assert 'data-testid="people"' in html


def test_timeline_counts_tasks_once(edition, direction):
    published_row_direction(edition, direction, StaffFactory())
    points = stats.timeline(edition)
    last = points[-1]
    assert (last["claimed"], last["submitted"], last["completed"]) == (13, 7, 6)
