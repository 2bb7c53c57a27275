"""Query budgets: camp pages cost the same number of queries at any size."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from camp.models import Mentorship, Project, Report, Review
from pfcc.models import Person
from tests.queries import assert_flat_queries

from .factories import CohortFactory

STATES = [Report.State.DRAFT, Report.State.SUBMITTED, Report.State.REVIEWED, None]


@pytest.fixture
def big_camp(camp):
    """The camp fixture's cohort, lengthened to eight periods."""
    cohort = camp.cohort
    cohort.start_date = timezone.localdate() - timedelta(days=50)
    cohort.end_date = cohort.start_date + timedelta(days=8 * 14 - 1)
    cohort.save()
    from camp.periods import generate_periods

    generate_periods(cohort)
    assert cohort.periods.count() == 8
    return camp


def grower(camp, mentor=None):
    """grow(n): bring the cohort to n extra mentees, each with reports in mixed states for every
    period (and reviews), mentored by `mentor` (default: the camp's mentor)."""
    cohort = camp.cohort
    periods = list(cohort.periods.all())
    mentor = mentor or camp.persons["mentor"]

    def grow(total):
        existing = Mentorship.objects.filter(
            cohort=cohort, mentee__github__startswith="bulk-"
        ).count()
        new = total - existing
        if new <= 0:
            return
        persons = Person.objects.bulk_create(
            [Person(github=f"bulk-{existing + i}") for i in range(new)]
        )
        number = Project.objects.filter(cohort=cohort).count() + 1
        project = Project.objects.create(cohort=cohort, number=number, title=f"P{number}")
        project.mentors.add(mentor)
        mentorships = Mentorship.objects.bulk_create(
            [Mentorship(cohort=cohort, project=project, mentee=person) for person in persons]
        )
        Mentorship.mentors.through.objects.bulk_create(
            [Mentorship.mentors.through(mentorship=m, person=mentor) for m in mentorships]
        )
        reports = []
        now = timezone.now()
        for index, mentorship in enumerate(mentorships):
            for p_index, period in enumerate(periods):
                state = STATES[(index + p_index) % len(STATES)]
                if state is None:
                    continue
                reports.append(
                    Report(
                        mentorship=mentorship,
                        period=period,
                        start_date=period.start_date,
                        end_date=period.end_date,
                        state=state,
                        work="工作 https://github.com/a/b/pull/1",
                        work_html="<p>工作</p>",
                        pr_links=["https://github.com/a/b/pull/1"],
                        submitted_at=None
                        if state == Report.State.DRAFT
                        else now - timedelta(days=p_index),
                    )
                )
        reports = Report.objects.bulk_create(reports)
        Review.objects.bulk_create(
            [
                Review(report=report, mentor=mentor, text="好", text_html="<p>好</p>")
                for report in reports
                if report.state == Report.State.REVIEWED
            ]
        )

    return grow


def test_checklist_30_and_300_by_8(big_camp, client_for):
    client = client_for(big_camp.users["ta"])
    url = reverse("camp:checklist", args=["9th"])
    queries = assert_flat_queries(client, url, grower(big_camp), small=30, large=300)
    assert queries <= 10
    response = client.get(url)
    assert len(response.context["rows"]) == 302
    assert len(response.context["periods"]) == 8


def test_checklist_for_staff(big_camp, client_for):
    client = client_for(big_camp.users["staff"])
    queries = assert_flat_queries(
        client, reverse("camp:checklist", args=["9th"]), grower(big_camp), small=30, large=300
    )
    assert queries <= 10


def test_review_queue(big_camp, client_for):
    client = client_for(big_camp.users["mentor"])
    queries = assert_flat_queries(
        client, reverse("camp:reviews"), grower(big_camp), small=10, large=200
    )
    assert queries <= 8
    assert len(client.get(reverse("camp:reviews")).context["reports"]) > 100


def test_cohort_and_index_pages(big_camp, client_for):
    client = client_for(None)
    grow = grower(big_camp)
    assert (
        assert_flat_queries(client, reverse("camp:cohort", args=["9th"]), grow, small=10, large=300)
        <= 10
    )
    assert assert_flat_queries(client, reverse("camp:index"), grow, small=10, large=300) <= 4
    assert (
        assert_flat_queries(
            client, reverse("camp:project", args=["9th", 1]), grow, small=10, large=300
        )
        <= 8
    )


def test_me_page(big_camp, client_for):
    """The mentee's page does not grow with the cohort, nor with their own cohorts."""
    camp = big_camp
    client = client_for(camp.users["mentee"])
    url = reverse("camp:my_camp")
    mentee = camp.persons["mentee"]
    for period in camp.cohort.periods.all():
        Report.objects.create(
            mentorship=camp.mentorship, period=period, state="submitted", work="x"
        )

    def grow(total):
        grower(camp)(total)
        # the mentee also took part in earlier cohorts
        while Mentorship.objects.filter(mentee=mentee).count() < total // 10 + 1:
            old = CohortFactory(state="finished")
            project = Project.objects.create(cohort=old, number=1, title="old")
            mentorship = Mentorship.objects.create(project=project, mentee=mentee)
            mentorship.mentors.add(camp.persons["mentor"])
            for period in old.periods.all():
                report = Report.objects.create(
                    mentorship=mentorship, period=period, state="reviewed", work="y"
                )
                Review.objects.create(report=report, mentor=camp.persons["mentor"], text="好")

    assert assert_flat_queries(client, url, grow, small=10, large=40) <= 10


def test_person_and_home_sections(big_camp, client_for):
    camp = big_camp
    client = client_for(None)
    grow = grower(camp)
    url = reverse("pfcc:person", args=["mentor"])
    assert assert_flat_queries(client, url, grow, small=10, large=100) <= 20
    assert "@bulk-" in client.get(url).content.decode()
    assert assert_flat_queries(client, reverse("pfcc:home"), grow, small=10, large=100) <= 20
    home = client.get(reverse("pfcc:home")).content.decode()
    assert camp.cohort.get_absolute_url() in home


def test_grades_csv_with_due_counts(big_camp, client_for):
    """The grades CSV with each mentee's reports due, submitted and missing: flat."""
    client = client_for(big_camp.users["staff"])
    queries = assert_flat_queries(
        client, reverse("camp:grades_csv", args=["9th"]), grower(big_camp), small=10, large=300
    )
    assert queries <= 12
