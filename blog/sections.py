"""The blog's pieces of other pages: a person's posts, the latest posts on the home page, the
site map. Registered in BlogConfig.ready(); each runs a fixed number of queries."""

from django.contrib.sitemaps import Sitemap

from .models import Post

PERSON_POSTS = 50
HOME_POSTS = 5


def person_posts(person, request):
    posts = Post.objects.published().by_person(person)
    listed = list(posts.select_related("category").newest_first()[:PERSON_POSTS])
    if not listed:
        return None
    total = posts.count()
    return {"blog_posts": listed, "blog_posts_total": total, "blog_posts_more": total - len(listed)}


def latest_posts(request):
    posts = list(Post.objects.published().newest_first()[:HOME_POSTS])
    return {"blog_latest_posts": posts}


class PostSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return Post.objects.published().newest_first().only("slug", "updated_at")

    def lastmod(self, post):
        return post.updated_at
