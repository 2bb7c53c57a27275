from django.contrib.sitemaps import Sitemap

from .models import Cohort, Project


class CampSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        cohorts = list(Cohort.objects.visible().select_related("edition", "programme"))
        projects = list(
            Project.objects.filter(cohort__in=cohorts).select_related("cohort").order_by("pk")
        )
        return cohorts + projects

    def location(self, item):
        return item.get_absolute_url()
