"""RSS 2.0 and Atom feeds with the full content of each post and every author."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import feedgenerator
from django.utils.translation import gettext_lazy as _

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


class PostsFeed(Feed):
    feed_type = AuthorsRssFeed
    title = _("PFCC Blog")
    description = _("Stories from the Paddle Framework Contributor Club.")
    link = reverse_lazy("blog:index")
    feed_url = reverse_lazy("blog:feed_rss")

    def items(self):
        return Post.objects.published().with_relations().newest_first()[:FEED_SIZE]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.body_html

    def item_pubdate(self, post):
        return post.publish_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_categories(self, post):
        names = [post.category.name] if post.category else []
        return names + [tag.name for tag in post.tags.all()]

    def item_extra_kwargs(self, post):
        site = settings.SITE_URL
        return {
            "authors": [credit.name for credit in post.credits],
            "author_links": [
                (credit.name, site + credit.person.get_absolute_url()) for credit in post.credits
            ],
            "content": post.body_html,
        }


class PostsAtomFeed(PostsFeed):
    feed_type = AuthorsAtomFeed
    feed_url = reverse_lazy("blog:feed_atom")
    subtitle = PostsFeed.description

    def item_description(self, post):
        return post.excerpt_html or None
