# Old static-blog addresses (/posts/<slug>, /feed.rss) are added by the blog issue.
urlpatterns = []
