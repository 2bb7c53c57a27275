"""State changes of posts: publish now, schedule, withdraw to draft; set the authors."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Post, PostAuthor


def _check_staff(actor):
    if actor is not None and not (actor.is_authenticated and actor.is_staff):
        raise PermissionDenied


def publish(post: Post, actor=None, when: datetime | None = None) -> Post:
    """Publish now, or schedule for `when` (a future time)."""
    _check_staff(actor)
    post.status = Post.Status.PUBLISHED
    post.publish_at = when or timezone.now()
    post.save(update_fields=["status", "publish_at", "updated_at"])
    return post


def unpublish(post: Post, actor=None) -> Post:
    """Back to draft: hidden from everyone but staff."""
    _check_staff(actor)
    post.status = Post.Status.DRAFT
    post.save(update_fields=["status", "updated_at"])
    return post


@transaction.atomic
def set_authors(post: Post, persons, names=None) -> None:
    """Lead author first, then the co-authors, in this order; duplicates are ignored.
    `names` are the names credited on this post, in the same order ("" for the person's)."""
    names = list(names or [])
    wanted = []
    for index, person in enumerate(persons):
        if person.pk in {existing.pk for existing, _ in wanted}:
            continue
        name = names[index] if index < len(names) else ""
        wanted.append((person, "" if name == person.display_name else name))
    current = list(post.authorships.order_by("order", "id"))
    if [(a.person_id, a.credited_name) for a in current] == [(p.pk, n) for p, n in wanted]:
        return
    post.authorships.all().delete()
    PostAuthor.objects.bulk_create(
        PostAuthor(post=post, person=person, order=index, credited_name=name)
        for index, (person, name) in enumerate(wanted)
    )
