"""Addresses of the old static blog keep working: /posts/<slug> and /feed.rss."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import path, re_path

from . import views
from .feeds import PostsFeed

urlpatterns = [
    path("feed.rss", PostsFeed(), name="legacy_feed_rss"),
    re_path(r"^posts/(?P<slug>[^/]+?)(?:\.html)?/?$", views.legacy_post, name="legacy_post"),
]

if settings.DEBUG:
    # Development only (`make run`): uploaded and imported post images under MEDIA_URL. In
    # production the web server serves MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
