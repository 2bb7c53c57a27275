"""The search index over the load benchmark's data set: the other apps bulk-insert their rows
(no signals), so `seed_bench` rebuilds the index after them (this app comes last)."""

from . import signals
from .index import rebuild
from .models import Document


def is_seeded(bench, scale) -> bool:
    # Every bench post is indexed (the index follows the posts' own bench check).
    return (
        Document.objects.filter(kind="post", url__contains="/bench-post-").count() == 2000 * scale
    )


def wipe(bench):
    # This app comes last, so its wipe runs first and its seed last: the other apps' bulk
    # deletions and inserts need no index writes of their own, the rebuild covers them.
    signals.suspended = True
    Document.objects.all().delete()


def seed(bench, scale):
    signals.suspended = False
    rebuild()


def summary(bench) -> str:
    return f"{Document.objects.count()} search documents"
