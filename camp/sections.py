"""The camp's sections on the person page and the home page (registered in apps.py)."""

from django.utils import timezone

from .models import Cohort, Mentorship


def person_camp_history(person, request=None):
    mentorships = list(
        Mentorship.objects.filter(mentee=person)
        .select_related("project", "cohort__edition", "cohort__programme", "grade")
        .prefetch_related("mentors")
        .order_by("-cohort__start_date")
    )
    mentored = list(
        Mentorship.objects.filter(mentors=person)
        .select_related("project", "cohort__edition", "cohort__programme", "mentee")
        .order_by("-cohort__start_date", "project__number")
    )
    if not mentorships and not mentored:
        return None
    return {"camp_mentorships": mentorships, "camp_mentored": mentored}


def home_camp_section(request):
    cohort = Cohort.objects.current()
    if cohort is None:
        return None
    today = timezone.localdate()
    period = cohort.periods.filter(start_date__lte=today, end_date__gte=today).first()
    return {"camp_cohort": cohort, "camp_period": period}
