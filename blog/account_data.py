"""An author's posts, for the account download."""

from .models import Post


def export(user, person):
    if person is None:
        return []
    return [
        {"title": post.title, "slug": post.slug, "state": post.state}
        for post in Post.objects.filter(authorships__person=person).distinct()
    ]
