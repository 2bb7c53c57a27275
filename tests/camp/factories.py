from datetime import timedelta

import factory
from django.utils import timezone

from camp.models import Cohort, Mentorship, Project, Report
from camp.periods import generate_periods
from hackathon.models import Edition
from tests.factories import PersonFactory


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: 50 + n)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory)
    slug = factory.Sequence(lambda n: f"c{n}th")
    state = Cohort.State.RUNNING
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=81))

    @factory.post_generation
    def periods(cohort, create, extracted, **kwargs):
        if create and extracted is not False:
            generate_periods(cohort)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    cohort = factory.SubFactory(CohortFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"项目 {n}")
    introduction = "介绍"
    requirements = "要求"


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    mentee = factory.SubFactory(PersonFactory)
    locked_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=40))

    @factory.post_generation
    def mentors(mentorship, create, extracted, **kwargs):
        if create and extracted:
            mentorship.mentors.set(extracted)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    mentorship = factory.SubFactory(MentorshipFactory)
    period = factory.LazyAttribute(lambda report: report.mentorship.cohort.periods.first())
    work = "完成了 https://github.com/PaddlePaddle/Paddle/pull/123"
    next_work = "继续"
