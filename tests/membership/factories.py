"""Factories for the membership models."""

import factory

from membership.models import Membership, MembershipApplication, MembershipApplicationEvent
from tests.factories import PersonFactory, UserFactory

PR_URL = "https://github.com/PaddlePaddle/Paddle/pull/{}"


class MembershipApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipApplication
        skip_postgeneration_save = True

    applicant = factory.SubFactory(UserFactory)
    person = factory.SubFactory(PersonFactory)
    github = factory.LazyAttribute(lambda application: application.person.github)
    name = factory.LazyAttribute(lambda application: application.person.display_name)
    email = factory.LazyAttribute(lambda application: application.applicant.email)
    contributions = factory.Sequence(lambda n: [PR_URL.format(60000 + n)])
    statement = "I fixed bugs in the PaddlePaddle framework and would like to join."
    language = "en"
    state = MembershipApplication.State.SUBMITTED

    @factory.post_generation
    def history(application, create, extracted, **kwargs):
        if create and extracted is not False:
            MembershipApplicationEvent.objects.create(
                application=application,
                actor=application.applicant,
                from_state="",
                to_state=MembershipApplication.State.SUBMITTED,
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory, public_profile=True)
