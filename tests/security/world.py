"""One sample world with every role, shared by the security tests.

Roles: anonymous, contributor (a claim on the open edition), applicant (an open membership
application and a camp application with a résumé), mentee / other_mentee (one mentor each),
mentor / other_mentor, ta (the cohort's teaching assistant) and staff."""

import io
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from blog.models import Category, Page, Post, PostImage
from camp.models import CampApplication, Cohort, Report, ReportPeriod
from hackathon.models import Certificate, Claim, Edition, Objection, PullRequest, Result, TaskSet
from tests.blog.factories import PostFactory, TagFactory
from tests.camp.factories import CohortFactory, MentorshipFactory, ProjectFactory, ReportFactory
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.hackathon.factories import DirectionFactory, EditionFactory, TaskFactory
from tests.membership.factories import MembershipApplicationFactory, MembershipFactory

ROLES = [
    "anonymous",
    "contributor",
    "applicant",
    "mentee",
    "other_mentee",
    "mentor",
    "other_mentor",
    "ta",
    "staff",
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RESUME = b"%PDF-1.4\n% resume-secret-marker\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# What only staff (and the applicant, about themselves) may ever see.
APPLICANT_SECRETS = [
    "applicant-private@example.org",
    "wechat-applicant-secret",
    "camp-statement-secret",
    "membership-statement-secret",
]


def png_bytes(size=(8, 8), color=(200, 10, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class World:
    users: dict = field(default_factory=dict)
    persons: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def _person_with_user(login, **person):
    user = UserFactory(username=login)
    return PersonFactory(github=login, user=user, **person), user


def build_world() -> World:
    world = World()
    for role in ROLES[1:-1]:
        world.persons[role], world.users[role] = _person_with_user(role.replace("_", "-"))
    world.users["staff"] = StaffFactory(username="staff")
    world.users["anonymous"] = None
    o = world.objects

    # Blog: a published post with an image, a draft, a category and a tag.
    Category.objects.ensure_defaults()
    o["category"] = Category.objects.order_by("pk").first()
    o["tag"] = TagFactory(slug="paddle", name="Paddle")
    o["post"] = PostFactory(
        slug="hello", category=o["category"], tags=[o["tag"]], authors=[world.persons["mentor"]]
    )
    o["draft"] = PostFactory(slug="draft-post", state=Post.State.DRAFT)
    o["about"] = Page.objects.create(slug="about", title="关于我们", body="## 关于我们")
    image = PostImage(post=o["post"], alt="a")
    image.image.save("dot.png", ContentFile(png_bytes()), save=False)
    image.save()
    o["image"] = image

    # Hackathon: edition 7 open (claims), 6 with published results, 9 a draft.
    o["edition"] = EditionFactory(number=7, state=Edition.State.OPEN)
    direction = DirectionFactory(track__edition=o["edition"], name="框架开发")
    o["tasks"] = [
        TaskFactory(edition=o["edition"], direction=direction, number=n) for n in range(1, 4)
    ]
    o["claim"] = Claim.objects.create(task=o["tasks"][0], person=world.persons["contributor"])
    o["pull"] = PullRequest.objects.create(
        claim=o["claim"], url="https://github.com/PaddlePaddle/Paddle/pull/1"
    )
    o["published"] = EditionFactory(
        number=6,
        state=Edition.State.RESULTS_PUBLISHED,
        objection_deadline=timezone.now() + timedelta(days=7),
    )
    result = Result.objects.create(
        edition=o["published"],
        person=world.persons["contributor"],
        rank=1,
        completed_tasks=1,
        task_numbers=[1],
        stars=Decimal("1"),
        reward=Decimal("2000"),
    )
    o["certificate"] = Certificate.objects.create(result=result)
    o["objection"] = Objection.objects.create(
        edition=o["published"],
        person=world.persons["contributor"],
        user=world.users["contributor"],
        text="wrong",
    )
    o["draft_edition"] = EditionFactory(number=9, state=Edition.State.DRAFT)
    # A standalone activity (no edition) and a set of the draft edition.
    o["task_set"] = TaskSet.objects.create(
        slug="api-compatibility", name="API", title_tags="API Compatibility"
    )
    TaskFactory(task_set=o["task_set"], edition=None, number=1)
    o["draft_set"] = TaskSet.main_of(o["draft_edition"])
    # A standalone activity with published results (快乐开源): a result, a certificate and an
    # objection of the contributor.
    o["published_set"] = TaskSet.objects.create(
        slug="happy-open-source",
        name="快乐开源",
        star_value=Decimal("500"),
        state=TaskSet.State.RESULTS_PUBLISHED,
        objection_deadline=timezone.now() + timedelta(days=7),
    )
    TaskFactory(task_set=o["published_set"], edition=None, number=1)
    set_result = Result.objects.create(
        task_set=o["published_set"],
        person=world.persons["contributor"],
        rank=1,
        completed_tasks=1,
        task_numbers=[1],
        by_set=[
            {"set": "happy-open-source", "name": "快乐开源", "tasks": [1], "stars": "1",
             "reward": "500.00"}
        ],
        stars=Decimal("1"),
        reward=Decimal("500"),
    )  # fmt: skip
    o["set_certificate"] = Certificate.objects.create(result=set_result)
    o["set_objection"] = Objection.objects.create(
        task_set=o["published_set"],
        person=world.persons["contributor"],
        user=world.users["contributor"],
        text="wrong",
    )

    # Camp: cohort 9th running, with two mentorships, a TA, a submitted and a draft report.
    o["cohort"] = CohortFactory(slug="9th", edition=o["edition"])
    o["draft_cohort"] = CohortFactory(slug="draft", state=Cohort.State.DRAFT)
    o["project"] = ProjectFactory(cohort=o["cohort"], number=1)
    o["project"].mentors.add(world.persons["mentor"])
    o["mentorship"] = MentorshipFactory(
        project=o["project"], mentee=world.persons["mentee"], mentors=[world.persons["mentor"]]
    )
    o["other_mentorship"] = MentorshipFactory(
        project=o["project"],
        mentee=world.persons["other_mentee"],
        mentors=[world.persons["other_mentor"]],
    )
    o["cohort"].teaching_assistants.add(world.persons["ta"])
    periods = list(ReportPeriod.objects.filter(cohort=o["cohort"]).order_by("number"))
    o["period"] = periods[0]
    o["second_period"] = periods[1]
    o["report"] = ReportFactory(
        mentorship=o["mentorship"],
        period=periods[0],
        state=Report.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    o["draft_report"] = ReportFactory(
        mentorship=o["mentorship"], period=periods[1], state=Report.State.DRAFT
    )
    application = CampApplication(
        cohort=o["cohort"],
        applicant=world.persons["applicant"],
        user=world.users["applicant"],
        first_choice=o["project"],
        statement="camp-statement-secret",
    )
    application.resume.save("resume.pdf", ContentFile(RESUME), save=False)
    application.save()
    o["camp_application"] = application

    # Membership: the applicant's open application; the mentor is a listed member.
    o["membership_application"] = MembershipApplicationFactory(
        applicant=world.users["applicant"],
        person=world.persons["applicant"],
        other_contact="wechat-applicant-secret",
        email="applicant-private@example.org",
        statement="membership-statement-secret",
    )
    world.persons["mentor"].public_profile = True
    world.persons["mentor"].save()
    MembershipFactory(person=world.persons["mentor"])
    return world
