"""The camp's header links, only for those they concern: a mentee's reports, a mentor's
reviews, a TA's checklist (pfcc.nav). One query."""

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pfcc.models import Person

from .models import CampApplication, Cohort, Mentorship

LABELS = {
    "camp-reports": _("My camp"),
    "camp-reviews": _("Reviews to write"),
    "camp-checklist": _("Checklist"),
}


def camp_links(user) -> list[tuple[str, str]]:
    roles = (
        Person.objects.filter(user=user)
        .annotate(
            mentee=Exists(Mentorship.objects.filter(mentee=OuterRef("pk"))),
            # applicants follow their application on /camp/me/ too
            applicant=Exists(CampApplication.objects.filter(applicant=OuterRef("pk"))),
            mentor=Exists(Mentorship.objects.filter(mentors=OuterRef("pk"))),
            ta_cohort=Subquery(
                Cohort.objects.filter(teaching_assistants=OuterRef("pk"))
                .order_by("-pk")
                .values("slug")[:1]
            ),
        )
        .values("mentee", "applicant", "mentor", "ta_cohort")
        .first()
    )
    if roles is None:
        return []
    links = []
    if roles["mentee"] or roles["applicant"]:
        links.append(("camp-reports", reverse("camp:my_camp")))
    if roles["mentor"]:
        links.append(("camp-reviews", reverse("camp:reviews")))
    if roles["ta_cohort"]:
        links.append(
            ("camp-checklist", reverse("camp:checklist", kwargs={"cohort": roles["ta_cohort"]}))
        )
    return links
