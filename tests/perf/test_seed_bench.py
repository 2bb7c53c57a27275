"""`manage.py seed_bench`: the load benchmark's data set, at the sizes the issue asks for."""

import pytest
from django.core.management import call_command

from blog.models import Post, PostAuthor
from camp.models import Cohort, Mentorship, Report, ReportPeriod
from hackathon.models import Claim, Edition, Task
from membership.models import MembershipApplication
from pfcc.models import Person, User

pytestmark = pytest.mark.django_db


def test_scale_1_sizes_and_a_second_run_changes_nothing(capsys):
    call_command("seed_bench", "--scale", "1")
    assert Post.objects.filter(slug__startswith="bench-", state="published").count() == 2000
    assert PostAuthor.objects.filter(post__slug__startswith="bench-").count() >= 2000
    assert not Post.objects.filter(slug__startswith="bench-", body_html="").exists()
    assert Edition.objects.filter(number__gte=1000).count() == 10
    assert Task.objects.filter(edition__number=1000).count() == 200
    per_task = Claim.objects.filter(task__edition__number=1000).count()
    assert 200 <= per_task <= 600
    assert Cohort.objects.filter(slug__startswith="bench-").count() == 21
    # the TA checklist at its largest: 300 mentees × 10 periods, bench-ta its TA
    assert Mentorship.objects.filter(cohort__slug="bench-big").count() == 300
    assert ReportPeriod.objects.filter(cohort__slug="bench-big").count() == 10
    assert (
        Cohort.objects.get(slug="bench-big")
        .teaching_assistants.filter(user__username="bench-ta")
        .exists()
    )
    assert Mentorship.objects.filter(cohort__slug="bench-c0").count() == 30
    assert ReportPeriod.objects.filter(cohort__slug="bench-c0").count() == 8
    assert Report.objects.filter(mentorship__cohort__slug="bench-c1").count() > 200
    assert MembershipApplication.objects.filter(github__startswith="bench-").count() == 5000
    assert Person.objects.filter(github__startswith="bench-").count() == 5000
    assert set(
        User.objects.filter(username__in=["bench-ta", "bench-mentor", "bench-mentee"])
        .exclude(person=None)
        .values_list("username", flat=True)
    ) == {"bench-ta", "bench-mentor", "bench-mentee"}
    first = list(Claim.objects.order_by("pk").values_list("task__number", "state")[:50])

    call_command("seed_bench", "--scale", "1")
    assert "already present" in capsys.readouterr().out
    assert Post.objects.filter(slug__startswith="bench-").count() == 2000
    assert list(Claim.objects.order_by("pk").values_list("task__number", "state")[:50]) == first
