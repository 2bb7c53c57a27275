"""Factories for the judging models. Rows are written as they stand (counters kept right by
`enter()`), without the transitions' e-mail."""

import factory
from django.db.models import F

from judging.models import (
    Contest,
    Criterion,
    Direction,
    Judge,
    Prize,
    Registration,
    Submission,
    SubmissionViews,
)
from tests.factories import UserFactory


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"llm-apps-{n}")
    name = factory.Sequence(lambda n: f"大模型应用与创意赛 {n}")
    state = Contest.State.OPEN
    summary = "基于文心大模型，开发 AI 原生应用。"
    description = "## 赛题\n\n- 趣味创意\n- 生产力工具"


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Direction

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"方向 {n}")
    slug = factory.Sequence(lambda n: f"direction-{n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"标准 {n}")
    weight = 1
    max_score = 10


class PrizeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prize

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"奖项 {n}")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration
        skip_postgeneration_save = True

    contest = factory.SubFactory(ContestFactory)
    user = factory.SubFactory(UserFactory)
    kind = Registration.Kind.INDIVIDUAL
    name = factory.LazyAttribute(lambda registration: registration.user.display_name)
    language = "en"

    @factory.post_generation
    def members(registration, create, extracted, **kwargs):
        if create and extracted:
            registration.members.set(extracted)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        registration = super()._create(model_class, *args, **kwargs)
        Contest.objects.filter(pk=registration.contest_id).update(
            registration_count=F("registration_count") + 1,
            participant_count=F("participant_count") + 1,
        )
        return registration


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    registration = factory.SubFactory(RegistrationFactory)
    contest = factory.SelfAttribute("registration.contest")
    direction = factory.LazyAttribute(
        lambda submission: (
            submission.registration.contest.directions.first()
            or DirectionFactory(contest=submission.registration.contest)
        )
    )
    title = factory.Sequence(lambda n: f"基于文心一言的应用 {n}")
    summary = "一句话介绍。"
    app_url = "https://aistudio.baidu.com/application/detail/10863"
    repository_url = "https://github.com/example/app"
    description = "## 功能\n\n- 文档问答\n- **日报**生成"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        submission = super()._create(model_class, *args, **kwargs)
        SubmissionViews.objects.create(submission=submission)
        Contest.objects.filter(pk=submission.contest_id).update(
            submission_count=F("submission_count") + 1
        )
        return submission


class JudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judge

    contest = factory.SubFactory(ContestFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda judge: judge.user.display_name)
