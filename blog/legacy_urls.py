"""Addresses of the old static blog keep working: /posts/<slug> and /feed.rss."""

from django.urls import path, re_path

from . import views
from .feeds import PostsFeed

urlpatterns = [
    path("feed.rss", PostsFeed(), name="legacy_feed_rss"),
    re_path(r"^posts/(?P<slug>[^/]+?)(?:\.html)?/?$", views.legacy_post, name="legacy_post"),
]
