"""Demo data for every area: `manage.py seed_demo`. Idempotent: run it as often as you like.

The core (this file) makes persons and the demo accounts; each app adds its own data through a
`<app>/seed.py` module with `seed(command)`, run in INSTALLED_APPS order.
"""

import importlib
import secrets

from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from pfcc.models import Person, User

DEMO_PERSONS = [
    ("Ligoml", "梦师傅"),
    ("Tulip-hua", "花花"),
    ("SigureMo", "Nyakku Shigure"),
    ("luotao1", "涛姐"),
    ("sunzhongkai588", "sunzhongkai588"),
    ("GreatV", "GreatV"),
    ("megemini", "megemini"),
    ("gouzil", "gouzil"),
]

# (username, e-mail, name, GitHub login, is staff)
DEMO_ACCOUNTS = [
    ("admin", "admin@pfcc.example.org", "管理员", None, True),
    ("mentor", "mentor@pfcc.example.org", "导师 Mentor", "SigureMo", False),
    ("mentee", "mentee@pfcc.example.org", "营员 Mentee", "gouzil", False),
    ("contributor", "contributor@pfcc.example.org", "贡献者 Contributor", "megemini", False),
]


class Command(BaseCommand):
    help = "Fill the database with demo data for every area (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.seed_core()
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.seed")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.seed":
                    raise
                continue
            with transaction.atomic():
                module.seed(self)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def seed_core(self):
        for login, name in DEMO_PERSONS:
            Person.objects.get_or_create_by_login(login, name=name)
        for username, email, name, github, is_staff in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username=username,
                    email=email,
                    password=password,
                    name=name,
                    is_staff=is_staff,
                    is_superuser=is_staff,
                )
                # Shown once: the password is stored only as a hash.
                self.stdout.write(f"Created account {email} with password: {password}")
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if github:
                person, _ = Person.objects.get_or_create_by_login(github)
                if person.user_id is None:
                    person.user = user
                    person.save(update_fields=["user"])
