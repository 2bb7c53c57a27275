from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    """Judged contests (大模型应用与创意赛): registration, submitted apps in a public gallery with
    views and likes, judges scoring on weighted criteria, prizes published like results, and
    certificates.

    A contest may be a track of a hackathon edition: this app reads hackathon.Edition's id,
    name and number and draws certificates with hackathon.certificates, nothing else."""

    name = "judging"
    verbose_name = _("Judged contests")

    def ready(self):
        from common import cache
        from hackathon.sections import edition_sections
        from pfcc.account_data import account_data
        from pfcc.certificates import certificate_lookups
        from pfcc.sections import home_sections, person_sections
        from pfcc.sitemaps import sitemaps

        from . import account_data as account_data_module
        from . import search  # noqa: F401 - registers its site-wide search provider
        from .queries import certificate_page, edition_section, home_section, person_section
        from .sitemaps import ContestSitemap, SubmissionSitemap

        home_sections.register("judging/home_section.html", home_section, order=25)
        person_sections.register("judging/person_section.html", person_section, order=55)
        # The edition page lists its judged contests; /hackathon/certificates/<code>/ verifies
        # the contests' certificates too (hackathon does not import judging).
        edition_sections.register("judging/edition_section.html", edition_section, order=50)
        certificate_lookups.register(
            "judging",
            find=certificate_page,
            hint=_(
                "The certificate of a judged contest's prize has a code of 17 characters: the "
                "letter J, then 16 letters and digits (0–9 and A–F)."
            ),
            link=(_("Judged contests"), "judging:index"),
        )
        sitemaps["judging"] = ContestSitemap
        sitemaps["judging-entries"] = SubmissionSitemap
        # Private: contact details, who liked what, view counts (shown at most a minute late
        # rather than invalidating every cached page on each view), scorecards before
        # publication, and the history rows. What visitors see of them (likes, counts) is
        # kept on the Contest and Submission rows, whose writes do invalidate.
        cache.register_public_app(
            self.label,
            private_models=(
                "like",
                "submissionviews",
                "scorecard",
                "score",
                "judge",
                "contestchange",
                "registrationchange",
                "submissionchange",
                "judgechange",
                "scorecardchange",
            ),
        )
        account_data.register(
            "judging", export=account_data_module.export, erase=account_data_module.erase
        )
