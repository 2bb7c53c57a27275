"""Factories for the core models. Each app's tests add theirs in tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress

from pfcc.models import Person, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


# Staff need a second factor to reach the admin (common.middleware.StaffMFAMiddleware): every
# factory-made staff account has this TOTP secret. `tests.mfa.totp_code(user)` gives its code.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        """StaffFactory(totp=False) makes staff without a second factor."""
        if create and extracted is not False:
            from allauth.mfa.totp.internal.auth import TOTP

            TOTP.activate(user, STAFF_TOTP_SECRET)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    github = factory.Sequence(lambda n: f"dev-{n}")
    name = factory.Sequence(lambda n: f"开发者 {n}")
