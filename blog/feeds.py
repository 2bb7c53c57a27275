"""RSS 2.0 and Atom feeds with the full content of each post and every author."""

import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import gettext_lazy as _

from common.site import absolute_url

from .models import Post

FEED_SIZE = 20
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"


class AuthorsRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with one <dc:creator> per author and the full HTML in <content:encoded>."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC, "xmlns:content": CONTENT}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "author_name": None})
        for name in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AuthorsAtomFeed(feedgenerator.Atom1Feed):
    """Atom with one <author> per author and the full HTML in <content>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "author_name": None})
        for name, link in item.get("author_links", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", link)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


# src="/media/…" and href="/blog/…" in stored HTML: feed readers show the content away from the
# site, where a path means nothing.
_SITE_PATH = re.compile(r'(\s(?:src|href|poster)=")/(?!/)')


def with_absolute_urls(html: str) -> str:
    return _SITE_PATH.sub(lambda match: match.group(1) + absolute_url("/"), html)


class PostsFeed(Feed):
    feed_type = AuthorsRssFeed
    title = _("PFCC Blog")
    description = _("Stories from the Paddle Framework Contributor Club.")
    feed_url_name = "blog:feed_rss"

    # Links from SITE_URL, never the request's host (a proxy's internal name, or http).
    def link(self):
        return absolute_url(reverse("blog:index"))

    def feed_url(self):
        return absolute_url(reverse(self.feed_url_name))

    def item_link(self, post):
        return absolute_url(post)

    def items(self):
        return Post.objects.published().with_relations().newest_first()[:FEED_SIZE]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return with_absolute_urls(post.body_html)

    def item_pubdate(self, post):
        return post.publish_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_categories(self, post):
        names = [post.category.name] if post.category else []
        return names + [tag.name for tag in post.tags.all()]

    def item_extra_kwargs(self, post):
        return {
            "authors": [credit.name for credit in post.credits],
            "author_links": [(credit.name, absolute_url(credit.person)) for credit in post.credits],
            "content": with_absolute_urls(post.body_html),
        }


class PostsAtomFeed(PostsFeed):
    feed_type = AuthorsAtomFeed
    feed_url_name = "blog:feed_atom"
    subtitle = PostsFeed.description

    def item_description(self, post):
        return with_absolute_urls(post.excerpt_html) if post.excerpt_html else None
