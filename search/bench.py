"""The search index over the load benchmark's data set: the other apps bulk-insert their rows
(no signals), so `seed_bench` rebuilds the index after them (this app comes last)."""

from .index import rebuild
from .models import Document


def is_seeded(bench, scale) -> bool:
    # Every bench post is indexed (the index follows the posts' own bench check).
    return (
        Document.objects.filter(kind="post", url__contains="/bench-post-").count() == 2000 * scale
    )


def wipe(bench):
    Document.objects.all().delete()


def seed(bench, scale):
    rebuild()


def summary(bench) -> str:
    return f"{Document.objects.count()} search documents"
