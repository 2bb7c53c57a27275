"""The site's addresses: each app's own urls.py, mounted here."""

from django.contrib import admin
from django.urls import include, path, re_path

from pfcc.media import serve_media
from pfcc.sitemaps import sitemap
from pfcc.views import healthz

urlpatterns = [
    path("", include("pfcc.urls")),
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("blog/", include("blog.urls")),
    path("hackathon/", include("hackathon.urls")),
    path("camp/", include("camp.urls")),
    path("events/", include("events.urls")),
    path("search/", include("search.urls")),
    path("judging/", include("judging.urls")),
    path("progress/", include("progress.urls")),
    path("webhooks/github/", include("hackathon.webhook_urls")),
    path("", include("membership.urls")),
    # Addresses of the old static blog keep working (/posts/<slug>, /feed.rss).
    path("", include("blog.legacy_urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    re_path(r"^media/(?P<path>.+)$", serve_media, name="media"),
]

# A lost database answers 503 (common/middleware.py), any other uncaught error Django's 500.
handler500 = "common.middleware.server_error"
