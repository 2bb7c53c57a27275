from decimal import Decimal

import factory

from hackathon.models import Claim, Direction, Edition, Task, Track
from tests.factories import PersonFactory


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: 20 + n)
    name = factory.LazyAttribute(lambda e: f"第 {e.number} 期")
    state = Edition.State.OPEN


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"赛道 {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Direction

    track = factory.SubFactory(TrackFactory)
    name = factory.Sequence(lambda n: f"方向 {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    edition = factory.SubFactory(EditionFactory)
    direction = None
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"任务 {n}")
    difficulty = Decimal("1")
    description = "**详细描述：**\n\n做一件事。"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    task = factory.SubFactory(TaskFactory)
    person = factory.SubFactory(PersonFactory)
