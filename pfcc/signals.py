"""Link a GitHub login to its Person, whatever way the social account is saved."""

from allauth.socialaccount.models import SocialAccount
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Person


def _person_for_login(login: str, uid: int, user) -> Person | None:
    """The person a proven GitHub sign-in (numeric id `uid`, login `login`) may take over by its
    login: one nobody has proven yet (no GitHub id) and that no other account typed in. A person
    proven for another GitHub id (a recycled login) or typed by another account is not."""
    holder = Person.objects.select_for_update().by_login(login).first() if login else None
    if holder is None or holder.github_id not in (None, uid):
        return None
    if holder.user_id is not None and holder.user_id != user.pk:
        return None
    return holder


def link_person_to_github_account(account: SocialAccount) -> Person:
    """The Person for this GitHub account, linked to its user and refreshed from GitHub's data.

    Keyed on GitHub's numeric id (logins can be renamed and recycled); the login is only a
    fallback for a person nobody has proven. Whoever else holds the login loses it (see
    `Person.objects.free_login`) and keeps their claims, results and certificates."""
    data = account.extra_data or {}
    login = data.get("login") or ""
    uid = int(account.uid)
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(
            github_id=uid
        ).first() or _person_for_login(login, uid, account.user)
        if login:
            Person.objects.free_login(login, keep=person)
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
