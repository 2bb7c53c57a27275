from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from . import account_views, views
from .media import serve_media
from .sitemaps import sitemaps

pfcc_patterns = (
    [
        path("", views.home, name="home"),
        path("people/<str:github>/", views.person_detail, name="person"),
        path("account/", account_views.overview, name="account"),
        path("account/data/", account_views.download_data, name="account_data"),
        path("account/delete/", account_views.delete_account, name="account_delete"),
    ],
    "pfcc",
)

urlpatterns = [
    path("", include(pfcc_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("blog/", include("blog.urls")),
    path("hackathon/", include("hackathon.urls")),
    path("camp/", include("camp.urls")),
    path("webhooks/github/", include("hackathon.webhook_urls")),
    path("", include("pfcc.membership_urls")),
    # Addresses of the old static blog keep working (/posts/<slug>, /feed.rss).
    path("", include("blog.legacy_urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    re_path(r"^media/(?P<path>.+)$", serve_media, name="media"),
]

# A lost database answers 503 (pfcc/middleware.py), any other uncaught error Django's 500.
handler500 = "pfcc.middleware.server_error"
