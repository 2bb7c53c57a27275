"""Link a GitHub login to its Person, whatever way the social account is saved."""

from allauth.socialaccount.models import SocialAccount
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Person


def link_person_to_github_account(account: SocialAccount) -> Person:
    """The Person for this GitHub account, linked to its user and refreshed from GitHub's data.

    Keyed on GitHub's numeric id first (logins can be renamed), then on the login."""
    data = account.extra_data or {}
    login = data.get("login") or ""
    uid = int(account.uid)
    with transaction.atomic():
        person = (
            Person.objects.select_for_update().filter(github_id=uid).first()
            or Person.objects.select_for_update().by_login(login).first()
        )
        if person is None:
            person = Person(github=login)
        person.github = login or person.github
        person.github_id = uid
        person.name = person.name or data.get("name") or ""
        person.avatar_url = data.get("avatar_url") or person.avatar_url
        # A person belongs to one account: another user's earlier link is moved to this one.
        Person.objects.filter(user=account.user).exclude(pk=person.pk).update(user=None)
        person.user = account.user
        person.save()
    if not account.user.name and person.name:
        account.user.name = person.name
        account.user.save(update_fields=["name"])
    return person


@receiver(post_save, sender=SocialAccount)
def on_social_account_saved(sender, instance: SocialAccount, **kwargs):
    if instance.provider == "github" and instance.user_id:
        link_person_to_github_account(instance)
