"""A large, realistic data set for the load benchmark: `manage.py seed_bench --scale N`.

At scale 1: 5,000 persons and the signed-in bench accounts (this command), then each app's part
from its `<app>/bench.py` (in INSTALLED_APPS order): 2,000 posts with authors and tags; 10
hackathon editions × 200 tasks with 1–3 claims each (pull requests, history, results and
certificates); 20 camp cohorts × 30 mentees × 8 report periods with reports and reviews; 5,000
membership applications. Scale N has N times as many; a board (200 tasks) and a cohort (30 × 8)
keep their size.

Bulk inserts, a fixed random seed, and idempotent: bench rows carry a `bench-` prefix; a second
run at the same scale does nothing, at another scale it replaces them. Stored HTML is rendered
once per distinct text. The signed-in bench accounts are `bench-ta`, `bench-mentor` and
`bench-mentee` (TA of, mentor in and mentee of the first bench cohort).

An app's `bench.py` has `seed(bench, scale)`, `wipe(bench)`, `is_seeded(bench, scale)` and
`summary(bench)`; `bench` (a BenchData) carries the random generator, the dates, the persons and
what earlier apps left for later ones (the hackathon's editions for the camp's cohorts).
"""

import importlib
import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from pfcc.models import Person, User

SEED = 20261122
PREFIX = "bench-"
BATCH = 2000


class BenchData:
    prefix = PREFIX
    batch = BATCH

    def __init__(self):
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.persons: list[Person] = []
        self.accounts: dict[str, Person] = {}

    def bulk(self, model, rows):
        created = []
        for start in range(0, len(rows), self.batch):
            created.extend(model.objects.bulk_create(rows[start : start + self.batch]))
        return created

    def pick(self, count, start=3):
        """`count` bench persons at random, never the three signed-in bench accounts."""
        return self.rng.sample(self.persons[start:], count)


def bench_modules():
    modules = []
    for config in apps.get_app_configs():
        try:
            modules.append(importlib.import_module(f"{config.name}.bench"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.bench":
                raise
    return modules


class Command(BaseCommand):
    help = "Fill the database with the load benchmark's data set (idempotent, deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 = 2,000 posts, … (default 1)")

    def handle(self, *args, scale, **options):
        if scale < 1:
            self.stderr.write("--scale must be at least 1")
            raise SystemExit(2)
        bench = BenchData()
        modules = bench_modules()
        if self._seeded(bench, modules, scale):
            self.stdout.write(f"bench data at scale {scale} already present")
            return
        started = time.monotonic()
        with transaction.atomic():
            for module in reversed(modules):  # later apps may point at earlier apps' rows
                module.wipe(bench)
            User.objects.filter(username__startswith=PREFIX).delete()
            Person.objects.filter(github__startswith=PREFIX).delete()
            self._persons(bench, scale)
            for module in modules:
                module.seed(bench, scale)
        parts = [part for part in (module.summary(bench) for module in modules) if part]
        self.stdout.write(
            f"bench data at scale {scale}: {', '.join(parts)}, {len(bench.persons)} persons "
            f"in {time.monotonic() - started:.1f} s"
        )

    def _seeded(self, bench, modules, scale) -> bool:
        return (
            Person.objects.filter(github__startswith=PREFIX).count() == 5000 * scale
            and User.objects.filter(username="bench-ta").exists()
            and all(module.is_seeded(bench, scale) for module in modules)
        )

    def _persons(self, bench, scale):
        bench.persons = bench.bulk(
            Person,
            [
                Person(
                    github=f"{PREFIX}p{n}",
                    name=f"贡献者 {n}" if n % 3 else "",
                    public_profile=n % 2 == 0,
                )
                for n in range(5000 * scale)
            ],
        )
        for index, name in enumerate(("ta", "mentor", "mentee")):
            user = User(username=f"bench-{name}", email=f"bench-{name}@bench.invalid", name=name)
            user.set_unusable_password()
            user.save()
            Person.objects.filter(pk=bench.persons[index].pk).update(user=user)
            bench.accounts[name] = bench.persons[index]
