"""Camp reports show each recognised PR link with its state, as last heard from GitHub."""

import re
from datetime import UTC, datetime

import pytest

from camp.models import Report
from hackathon.models import PullRequestStatus
from tests.hackathon.test_webhook_payloads import SECRET, deliver, pr_payload
from tests.queries import assert_flat_queries

from .factories import ReportFactory

BASE = "https://github.com/PaddlePaddle/Paddle/pull"


def status(number, state, repo="PaddlePaddle/Paddle", title=""):
    return PullRequestStatus.objects.create(
        key=f"{repo}/{number}".lower(),
        url=f"https://github.com/{repo}/pull/{number}",
        repository=repo,
        number=number,
        title=title or f"PR {number}",
        state=state,
        event_at=datetime(2026, 11, 20, 8, tzinfo=UTC),
    )


def report_with(camp, *links):
    return ReportFactory(
        mentorship=camp.mentorship, work="完成：\n\n" + "\n".join(f"- {link}" for link in links)
    )


def badges(html):
    """(link, badge text) for each item of the report's PR list."""
    block = html.split('data-testid="pull-requests"', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r'<a href="([^"]+)"[^>]*>.*?</a>\s*<span class="badge ([^"]+)"', block, re.S)
    return items


def test_report_shows_each_pr_state(camp, client_for):
    status(1, "open")
    status(2, "merged")
    status(3, "closed")
    report = report_with(camp, f"{BASE}/1", f"{BASE}/2", f"{BASE}/3", f"{BASE}/4")
    html = client_for(camp.users["mentee"]).get(report.get_absolute_url()).content.decode()
    assert badges(html) == [
        (f"{BASE}/1", "pr-open"),
        (f"{BASE}/2", "pr-merged"),
        (f"{BASE}/3", "pr-closed"),
        (f"{BASE}/4", "pr-unknown"),
    ]


def test_states_are_shown_in_the_readers_language(camp, client_for):
    status(2, "merged")
    report = report_with(camp, f"{BASE}/2", f"{BASE}/9")
    client = client_for(camp.users["mentor"])
    html = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已合入" in html
    assert "状态未知" in html
    html = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">merged<" in html
    assert "state unknown" in html


def test_links_match_whatever_their_case(camp, client_for):
    status(5, "merged")
    report = report_with(camp, "https://github.com/paddlepaddle/paddle/pull/5")
    html = client_for(camp.users["mentee"]).get(report.get_absolute_url()).content.decode()
    assert badges(html) == [("https://github.com/paddlepaddle/paddle/pull/5", "pr-merged")]


def test_report_without_links_shows_no_list(camp, client_for):
    report = ReportFactory(mentorship=camp.mentorship, work="读论文")
    html = client_for(camp.users["mentee"]).get(report.get_absolute_url()).content.decode()
    assert 'data-testid="pull-requests"' not in html


def test_a_fixed_number_of_queries_whatever_the_number_of_links(camp, client_for):
    client = client_for(camp.users["mentee"])
    report = report_with(camp, f"{BASE}/1")

    def grow(total):
        existing = PullRequestStatus.objects.count()
        PullRequestStatus.objects.bulk_create(
            PullRequestStatus(
                key=f"paddlepaddle/paddle/{n}",
                url=f"{BASE}/{n}",
                repository="PaddlePaddle/Paddle",
                number=n,
                state=["open", "merged", "closed"][n % 3],
                event_at=datetime(2026, 11, 20, 8, tzinfo=UTC),
            )
            for n in range(existing + 1, total + 1)
        )
        # Half the links are known to the webhook, half are not.
        links = [f"{BASE}/{n}" for n in range(1, 2 * total + 1, 2)]
        Report.objects.filter(pk=report.pk).update(pr_links=links)

    queries = assert_flat_queries(client, report.get_absolute_url(), grow)
    assert queries <= 12


def test_webhook_events_update_the_report_page(camp, client_for, settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    report = report_with(camp, f"{BASE}/70001")
    client = client_for(camp.users["mentee"])
    assert badges(client.get(report.get_absolute_url()).content.decode())[0][1] == "pr-unknown"
    # Any repository where the webhook is installed: camp PRs need no hackathon tag.
    deliver(client, "pull_request", pr_payload("opened", "Add docs", login="mentee"))
    assert badges(client.get(report.get_absolute_url()).content.decode())[0][1] == "pr-open"
    deliver(
        client,
        "pull_request",
        pr_payload(
            "closed", "Add docs", login="mentee", merged=True, updated_at="2026-11-21T08:00:00Z"
        ),
    )
    assert badges(client.get(report.get_absolute_url()).content.decode())[0][1] == "pr-merged"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://github.com/PaddlePaddle/Paddle/pull/42", "paddlepaddle/paddle/42"),
        ("https://github.com/PaddlePaddle/Paddle/pull/42/", "paddlepaddle/paddle/42"),
        ("http://github.com/a/b.c/pull/007", "a/b.c/7"),
        ("https://github.com/a/b/issues/1", None),
        ("not a url", None),
    ],
)
def test_status_keys(url, key):
    assert PullRequestStatus.key_for(url) == key
