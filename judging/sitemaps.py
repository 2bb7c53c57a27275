from django.contrib.sitemaps import Sitemap

from .models import Contest, Submission


class ContestSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 5000

    def items(self):
        return Contest.objects.listed().order_by("-created_at", "pk").only("slug")


class SubmissionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4
    limit = 5000

    def items(self):
        return (
            Submission.objects.shown()
            .filter(contest__state__in=["open", "judging", "published"])
            .select_related("contest")
            .only("pk", "updated_at", "contest__slug")
            .order_by("pk")
        )

    def lastmod(self, submission):
        return submission.updated_at
