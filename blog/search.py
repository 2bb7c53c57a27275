"""Published posts in the site-wide search (scheduled ones are found from their publish time)."""

from django.utils.translation import gettext_lazy as _

from pfcc.search_registry import (
    SearchDocument,
    SearchProvider,
    guess_language,
    plain_text,
    search_providers,
)

from .models import Post


def post_document(post: Post) -> SearchDocument | None:
    if post.state != Post.State.PUBLISHED:
        return None
    body = plain_text(post.body_html)
    return SearchDocument(
        title=post.title,
        body=body,
        url=post.get_absolute_url(),
        language=guess_language(post.title + body),
        visible_from=post.publish_at,
        updated=post.updated_at,
    )


post_provider = SearchProvider(
    kind="post",
    label=_("Blog posts"),
    model=Post,
    queryset=lambda: Post.objects.all(),
    document=post_document,
    order=10,
)
search_providers.register(post_provider)
