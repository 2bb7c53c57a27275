"""State changes of posts: publish now, schedule, withdraw to draft; and the ordered authors.

    draft ──publish (time now or past)──> published (live)
    draft ──publish (a future time)─────> published (scheduled: it appears then)
    published ──publish again───────────> published (a new time)
    published ──unpublish───────────────> draft

Each change goes through `common.transitions.transition()`: the row is locked, the actor must be
staff with the right to change posts (or the system, for imports), the change and its audit
entry (`PostEvent`) are saved in one transaction. The admin's actions and its form call these.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from common.transitions import (
    Actor,
    NotAllowed,
    TransitionError,
    as_actor,
    record,
    require,
    transition,
)

from .models import Post, PostAuthor

State = Post.State
CHANGE_PERMISSION = "blog.change_post"
ADD_PERMISSION = "blog.add_post"

__all__ = [
    "NotAllowed",
    "TransitionError",
    "create_draft",
    "publish",
    "record_import",
    "set_authors",
    "unpublish",
]


def _may_edit(actor: Actor, _post) -> bool:
    return actor.has_perm(CHANGE_PERMISSION)


def publish(post: Post, actor, when: datetime | None = None, note: str = "") -> Post:
    """Publish now, or schedule for `when` (a future time)."""
    when = when or timezone.now()
    return transition(
        post,
        actor,
        to=State.PUBLISHED,
        may=_may_edit,
        action="schedule" if when > timezone.now() else "publish",
        changes={"publish_at": when},
        note=note,
    )


def unpublish(post: Post, actor, note: str = "") -> Post:
    """Back to draft: hidden from everyone but staff."""
    return transition(
        post,
        actor,
        to=State.DRAFT,
        allowed_from=(State.PUBLISHED,),
        may=_may_edit,
        action="unpublish",
        note=note,
    )


def create_draft(actor, *, title: str, slug: str, body: str, note: str = "", **fields) -> Post:
    """A new post in draft, written by a feature for staff to edit and publish (a progress
    report drafted from live data): staff who may add posts, or the system."""
    actor = as_actor(actor)
    require(actor.has_perm(ADD_PERMISSION))
    with transaction.atomic():
        post = Post.objects.create(title=title, slug=slug, body=body, **fields)
        record(post, actor, "draft", from_state="", note=note)
    return post


def record_import(post: Post, from_state: str, source: str) -> None:
    """The importer brings a post in as published (as it was on the old blog): recorded."""
    record(post, Actor.system("blog import"), "import", from_state=from_state, note=source)


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
