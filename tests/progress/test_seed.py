import io
from types import SimpleNamespace

import pytest

from blog.models import Post
from progress import seed
from progress.models import ProgressReport
from tests.hackathon.factories import DirectionFactory, EditionFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_the_demo_drafts_one_report_once():
    edition = EditionFactory(number=9)
    TaskFactory(edition=edition, direction=DirectionFactory(track__edition=edition), number=1)
    command = SimpleNamespace(stdout=io.StringIO())
    seed.seed(command)
    seed.seed(command)
    report = ProgressReport.objects.get()
    assert report.post.state == Post.State.DRAFT and report.scope_key == "edition:9"
    assert report.post.events.get().actor_label == "seed_demo"
    assert "Progress: drafted" in command.stdout.getvalue()
