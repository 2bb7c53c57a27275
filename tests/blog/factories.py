import datetime as dt

import factory
from django.utils import timezone

from blog.models import Category, Post, PostAuthor, Tag
from tests.factories import PersonFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"分类 {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.Sequence(lambda n: f"Tag {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"post-{n}")
    title = factory.Sequence(lambda n: f"Post number {n}")
    date = factory.Sequence(lambda n: dt.date(2020, 1, 1) + dt.timedelta(days=n))
    body = factory.Sequence(
        lambda n: f"Opening {n}.\n\n<!-- more -->\n\n## Part\n\nText of post {n}."
    )
    state = Post.State.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))

    @factory.post_generation
    def authors(post, create, extracted, **kwargs):
        if not create:
            return
        persons = extracted if extracted is not None else [PersonFactory()]
        for order, person in enumerate(persons):
            PostAuthor.objects.create(post=post, person=person, order=order)

    @factory.post_generation
    def tags(post, create, extracted, **kwargs):
        if create and extracted:
            post.tags.set(extracted)
