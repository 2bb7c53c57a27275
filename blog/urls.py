from django.urls import path

from . import views
from .feeds import PostsAtomFeed, PostsFeed

app_name = "blog"
urlpatterns = [
    path("", views.post_list, name="index"),
    path("feed.rss", PostsFeed(), name="feed_rss"),
    path("feed.atom", PostsAtomFeed(), name="feed_atom"),
    path("search/", views.search, name="search"),
    path("preview/", views.preview, name="preview"),
    path("about/", views.about, name="about"),
    path("category/<slug:slug>/", views.category_detail, name="category"),
    path("tag/<str:slug>/", views.tag_detail, name="tag"),
    path("archive/<int:year>/", views.archive_year, name="archive"),
    path("<str:slug>/", views.post_detail, name="detail"),
]
