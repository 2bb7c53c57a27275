"""The permission matrix: every URL pattern of the URLconf, as every role, with the status each
must get. A route without an entry fails the test: add it to MATRIX (or to EXEMPT, with why).

Statuses: a number, LOGIN (302 to the sign-in page) or ADMIN_LOGIN (302 to the admin's).
POST cases also check that a refused request changed nothing (`world_state`)."""

from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from blog.models import Post, PostImage
from camp.models import CampApplication, Mentorship, Reminder, Report, Review
from events.models import Event, Registration
from hackathon.models import (
    Claim,
    ClaimStateChange,
    Objection,
    PullRequest,
    TaskSet,
    WebhookDelivery,
)
from judging.models import Award, Contest, Judge, Like, Scorecard, Submission
from judging.models import Registration as ContestRegistration
from membership.models import MembershipApplication
from pfcc.models import OutgoingEmail, Person, User
from progress.models import ProgressReport, ReportChart
from tests.events.world import add_events
from tests.factories import StaffFactory
from tests.judging.world import ENTRANT_SECRETS, add_judging
from tests.security.mfa import totp_code

from .world import APPLICANT_SECRETS, ROLES, build_world

pytestmark = pytest.mark.django_db

LOGIN, ADMIN_LOGIN = "login", "admin-login"
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def expect(default, anonymous=LOGIN, **roles):
    """Every signed-in role gets `default` unless named; anonymous gets `anonymous`."""
    table = dict.fromkeys(SIGNED_IN, default) | {"anonymous": anonymous}
    unknown = set(roles) - set(ROLES)
    assert not unknown, unknown
    return table | roles


def everyone(status):
    return dict.fromkeys(ROLES, status)


def staff_only(status=200, others=403):
    return expect(others, staff=status)


@dataclass
class Case:
    route: str
    kwargs: object = lambda world: {}  # world -> reverse() kwargs
    expected: dict = field(default_factory=lambda: everyone(200))
    method: str = "get"
    query: str = ""
    data: object = lambda world: {}  # world -> POST data
    writes: tuple = ()  # roles whose POST may change data


def K(**names):
    """kwargs from the world: K(number="edition.number") → {"number": world.edition.number}."""

    def build(world):
        values = {}
        for key, path in names.items():
            if not isinstance(path, str):
                values[key] = path
                continue
            value = world
            for part in path.split("."):
                value = value[part] if isinstance(value, dict) else getattr(value, part)
            values[key] = value
        return values

    return build


ED = K(number="edition.number")
PUB = K(number="published.number")
CLAIM = K(number="edition.number", claim_id="claim.pk")
REPORT = K(pk="report.pk")
COHORT = K(cohort="cohort.slug")
APPLICATION = K(pk="camp_application.pk")
EVENT = K(slug="event.slug")
DRAFT_EVENT = K(slug="draft_event.slug")
CHECK_IN = K(slug="event.slug", pk="event_registration.pk")
JD_OPEN = K(slug="jd_open.slug")
JD_JUDGING = K(slug="jd_judging.slug")
JD_PUBLISHED = K(slug="jd_published.slug")
JD_DRAFT = K(slug="jd_draft.slug")
JD_ENTRY = K(slug="jd_open.slug", pk="jd_entry.pk")
JD_JUDGED_ENTRY = K(slug="jd_judging.slug", pk="jd_judged_entry.pk")
JD_AWARD = K(slug="jd_judging.slug", award_id="jd_award.pk")
REPORT_READERS = expect(403, mentee=200, mentor=200, ta=200, staff=200)
TA_AND_STAFF = expect(403, ta=200, staff=200)
NON_STAFF_404 = expect(404, anonymous=404, staff=200)
POST_ONLY = expect(405)  # login_required, then require_POST

MATRIX: dict[str, list[Case]] = {
    # --- pfcc ------------------------------------------------------------------------------
    "pfcc:home": [Case("pfcc:home")],
    "pfcc:person": [
        Case("pfcc:person", K(github="persons.mentee.github")),
        Case("pfcc:person", K(github="persons.applicant.github")),
        Case("pfcc:person", lambda w: {"github": "nobody-here"}, everyone(404)),
    ],
    "healthz": [Case("healthz"), Case("healthz", method="post", expected=everyone(405))],
    "sitemap": [Case("sitemap")],
    "media": [
        Case("media", K(path="image.image.name")),
        # Résumés live outside MEDIA_ROOT: no /media/ address reaches them, not even for staff.
        Case("media", K(path="resume_media_path"), everyone(404)),
        Case("media", K(path="resume_escape_path"), everyone(400)),  # ../ refused
        Case("media", K(path="image.image.name"), everyone(405), method="post"),
    ],
    "set_language": [
        Case(
            "set_language",
            method="post",
            data=lambda w: {"language": "en", "next": "/"},
            expected=everyone(302),
        ),
    ],
    # --- membership --------------------------------------------------------------------------
    "membership:apply": [
        # The applicant has an open application, the mentor is a member: both sent to status.
        Case("membership:apply", expected=expect(200, anonymous=200, applicant=302, mentor=302)),
        Case(
            "membership:apply",
            method="post",
            data=lambda w: {"name": ""},
            expected=expect(200, applicant=302, mentor=302),
        ),
    ],
    "membership:status": [Case("membership:status", expected=expect(200))],
    "membership:withdraw": [
        # The confirmation page: the applicant's own application only.
        Case("membership:withdraw", K(pk="membership_application.pk"), expect(404, applicant=200)),
        Case(
            "membership:withdraw",
            K(pk="membership_application.pk"),
            method="post",
            expected=expect(404, applicant=302),
            writes=("applicant",),
        ),
    ],
    "membership:directory": [
        Case("membership:directory"),
        Case("membership:directory", query="?page=abc&q=%E2%80%AE"),
    ],
    "membership:profile": [
        Case("membership:profile", expected=POST_ONLY),
        Case(
            "membership:profile",
            method="post",
            data=lambda w: {"public_profile": "on"},
            expected=expect(302),
            writes=("mentor",),
        ),
    ],
    # --- search (tests/search checks which reports each role finds) ---------------------------
    "search:results": [
        Case("search:results"),
        Case("search:results", query="?q=%E5%AE%8C%E6%88%90"),  # 完成: the reports' text
        Case("search:results", query="?q=x&kind=report&page=2"),
    ],
    # --- blog ----------------------------------------------------------------------------------
    "blog:index": [
        Case("blog:index"),
        Case("blog:index", query="?page=999&category=nope", expected=everyone(404)),
    ],
    "blog:feed_rss": [Case("blog:feed_rss")],
    "blog:feed_atom": [Case("blog:feed_atom")],
    "blog:search": [Case("blog:search", query="?q=hello", expected=everyone(302))],
    "blog:preview": [
        Case("blog:preview", expected=expect(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, staff=405)),
        Case(
            "blog:preview",
            method="post",
            data=lambda w: {"body": "# hi"},
            expected=expect(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, staff=200),
        ),
        Case(
            "blog:preview",
            method="post",
            data=lambda w: {"body": "[" * 200_001},  # over common.limits.DOCUMENT
            expected=expect(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, staff=400),
        ),
    ],
    "blog:about": [Case("blog:about")],
    "blog:category": [Case("blog:category", K(slug="category.slug"))],
    "blog:tag": [Case("blog:tag", K(slug="tag.slug"))],
    "blog:archive": [Case("blog:archive", K(year="post.date.year"))],
    "blog:detail": [
        Case("blog:detail", K(slug="post.slug")),
        Case("blog:detail", K(slug="draft.slug"), NON_STAFF_404),
    ],
    "legacy_feed_rss": [Case("legacy_feed_rss")],
    "legacy_post": [Case("legacy_post", K(slug="post.slug"), everyone(301))],
    # --- hackathon -----------------------------------------------------------------------------
    "hackathon:index": [Case("hackathon:index")],
    "hackathon:certificate": [
        Case("hackathon:certificate", K(code="certificate.code")),
        # One address verifies every certificate: a judged contest's too (pfcc.certificates).
        Case("hackathon:certificate", K(code="jd_certificate.code")),
        Case("hackathon:certificate", lambda w: {"code": "J" + "0" * 16}, everyone(404)),
    ],
    "hackathon:certificate_image": [
        Case("hackathon:certificate_image", K(code="certificate.code"), everyone("image"))
    ],
    "hackathon:edition": [
        Case("hackathon:edition", ED),
        Case("hackathon:edition", K(number="draft_edition.number"), NON_STAFF_404),
    ],
    "hackathon:board": [Case("hackathon:board", ED)],
    "hackathon:board_md": [Case("hackathon:board_md", ED)],
    "hackathon:board_csv": [Case("hackathon:board_csv", ED)],
    "hackathon:board_json": [
        Case("hackathon:board_json", ED),
        Case("hackathon:board_json", K(number="draft_edition.number"), NON_STAFF_404),
    ],
    "hackathon:task": [Case("hackathon:task", K(number="edition.number", task=1))],
    "hackathon:set_board": [
        Case("hackathon:set_board", K(slug="task_set.slug")),
        Case("hackathon:set_board", K(slug="draft_set.slug"), NON_STAFF_404),
    ],
    "hackathon:set_board_md": [Case("hackathon:set_board_md", K(slug="task_set.slug"))],
    "hackathon:set_board_csv": [Case("hackathon:set_board_csv", K(slug="task_set.slug"))],
    "hackathon:set_board_json": [
        Case("hackathon:set_board_json", K(slug="task_set.slug")),
        Case("hackathon:set_board_json", K(slug="draft_set.slug"), NON_STAFF_404),
    ],
    "hackathon:set_task": [Case("hackathon:set_task", K(slug="task_set.slug", task=1))],
    "hackathon:set_progress": [
        Case("hackathon:set_progress", K(slug="task_set.slug")),
        Case("hackathon:set_progress", lambda w: {"slug": TaskSet.main_of(w.edition).slug}),
        Case("hackathon:set_progress", K(slug="draft_set.slug"), NON_STAFF_404),
    ],
    "hackathon:set_progress_md": [Case("hackathon:set_progress_md", K(slug="task_set.slug"))],
    "hackathon:set_progress_csv": [
        Case("hackathon:set_progress_csv", K(slug="task_set.slug")),
        Case("hackathon:set_progress_csv", K(slug="draft_set.slug"), NON_STAFF_404),
    ],
    "hackathon:set_progress_json": [
        Case("hackathon:set_progress_json", K(slug="task_set.slug")),
    ],
    "hackathon:set_results": [
        Case("hackathon:set_results", K(slug="task_set.slug")),  # standalone, not published
        Case("hackathon:set_results", K(slug="published_set.slug")),  # standalone, published
        Case("hackathon:set_results", lambda w: {"slug": TaskSet.main_of(w.published).slug}),
        Case("hackathon:set_results", K(slug="draft_set.slug"), NON_STAFF_404),
    ],
    "hackathon:set_results_csv": [
        Case("hackathon:set_results_csv", K(slug="published_set.slug")),
        Case("hackathon:set_results_csv", K(slug="task_set.slug"), everyone(404)),  # not yet
        # An edition's set: its lines of the edition's export.
        Case(
            "hackathon:set_results_csv",
            lambda w: {"slug": TaskSet.main_of(w.published).slug},
            everyone(302),
        ),
        Case(
            "hackathon:set_results_csv",
            K(slug="draft_set.slug"),
            expect(404, anonymous=404, staff=302),
        ),
    ],
    "hackathon:set_results_json": [
        Case("hackathon:set_results_json", K(slug="published_set.slug")),
        Case("hackathon:set_results_json", K(slug="task_set.slug"), everyone(404)),
    ],
    "hackathon:set_objection": [
        Case("hackathon:set_objection", K(slug="published_set.slug"), POST_ONLY),
        Case(
            "hackathon:set_objection",
            K(slug="published_set.slug"),
            # As the edition's: the contributor has filed one already, staff have no person.
            expect(302, contributor=200, staff=200),
            method="post",
            data=lambda w: {"text": "My result is wrong."},
            writes=tuple(r for r in SIGNED_IN if r not in ("contributor", "staff")),
        ),
        Case(
            "hackathon:set_objection",
            lambda w: {"slug": TaskSet.main_of(w.published).slug},
            expect(404),  # an edition's set: objections go to the edition
            method="post",
            data=lambda w: {"text": "My result is wrong."},
        ),
    ],
    "hackathon:set_claim": [
        Case("hackathon:set_claim", K(slug="task_set.slug"), expect(200)),  # the form page
        Case(
            "hackathon:set_claim",
            K(slug="task_set.slug"),
            # Staff have no GitHub login here: the form comes back asking for it (200).
            expect(302, staff=200),
            method="post",
            data=lambda w: {"numbers": "1", "team_name": ""},
            writes=tuple(SIGNED_IN),
        ),
    ],
    "hackathon:claim": [
        Case("hackathon:claim", ED, expect(200)),  # the form page
        Case(
            "hackathon:claim",
            ED,
            # Staff have no GitHub login here: the form comes back asking for it (200).
            expect(302, staff=200),
            method="post",
            data=lambda w: {"numbers": "2", "team_name": ""},
            writes=tuple(SIGNED_IN),
        ),
    ],
    "hackathon:advance": [
        Case("hackathon:advance", CLAIM, POST_ONLY),
        Case(
            "hackathon:advance",
            CLAIM,
            expect(403, contributor=302, staff=302),
            method="post",
            data=lambda w: {f"c{w.claim.pk}-state": "2"},
            writes=("contributor", "staff"),
        ),
    ],
    "hackathon:add_pull_request": [
        Case("hackathon:add_pull_request", CLAIM, POST_ONLY),
        Case(
            "hackathon:add_pull_request",
            CLAIM,
            expect(403, contributor=302, staff=302),
            method="post",
            data=lambda w: {f"c{w.claim.pk}-url": "https://github.com/PaddlePaddle/Paddle/pull/2"},
            writes=("contributor", "staff"),
        ),
    ],
    "hackathon:remove_pull_request": [
        Case(
            "hackathon:remove_pull_request",
            K(number="edition.number", claim_id="claim.pk", pull_id="pull.pk"),
            POST_ONLY,
        ),
        Case(
            "hackathon:remove_pull_request",
            K(number="edition.number", claim_id="claim.pk", pull_id="pull.pk"),
            expect(403, contributor=302, staff=302),
            method="post",
            writes=("contributor", "staff"),
        ),
    ],
    "hackathon:progress": [Case("hackathon:progress", ED)],
    "hackathon:progress_md": [Case("hackathon:progress_md", ED)],
    "hackathon:progress_csv": [Case("hackathon:progress_csv", ED)],
    "hackathon:progress_json": [Case("hackathon:progress_json", ED)],
    "hackathon:results": [Case("hackathon:results", PUB), Case("hackathon:results", ED)],
    "hackathon:results_csv": [
        Case("hackathon:results_csv", PUB),
        Case("hackathon:results_csv", ED, everyone(404)),  # not published yet
    ],
    "hackathon:results_json": [Case("hackathon:results_json", PUB)],
    "hackathon:objection": [
        Case("hackathon:objection", PUB, POST_ONLY),
        Case(
            "hackathon:objection",
            PUB,
            # The contributor has filed one already and staff have no person: refused, the
            # results page again with the reason (the text kept), and nothing written.
            expect(302, contributor=200, staff=200),
            method="post",
            data=lambda w: {"text": "My result is wrong."},
            writes=tuple(r for r in SIGNED_IN if r not in ("contributor", "staff")),
        ),
    ],
    # --- camp ------------------------------------------------------------------------------------
    "camp:index": [Case("camp:index")],
    "camp:my_camp": [Case("camp:my_camp", expected=expect(200))],
    "camp:reviews": [Case("camp:reviews", expected=expect(200))],
    "camp:write": [
        Case("camp:write", K(period="second_period.pk"), expect(403, mentee=200, other_mentee=200)),
        Case(
            "camp:write",
            K(period="second_period.pk"),
            expect(403, mentee=302, other_mentee=302),
            method="post",
            data=lambda w: {"work": "done", "questions": "", "next_work": "", "action": "save"},
            writes=("mentee", "other_mentee"),
        ),
    ],
    "camp:report": [
        Case("camp:report", REPORT, REPORT_READERS),
        Case(
            "camp:report",
            REPORT,
            expect(403, mentor=302),
            method="post",
            data=lambda w: {"text": "Good work, merged."},
            writes=("mentor",),
        ),
    ],
    "camp:submit": [
        Case("camp:submit", K(pk="draft_report.pk"), everyone(405)),
        # Anyone signed in is sent back with a message; only the mentee's submit changes data.
        Case(
            "camp:submit", K(pk="draft_report.pk"), expect(302), method="post", writes=("mentee",)
        ),
    ],
    "camp:withdraw_report": [
        Case("camp:withdraw_report", REPORT, everyone(405)),
        # Anyone signed in is sent back with a message; only the mentee's withdrawal changes data.
        Case("camp:withdraw_report", REPORT, expect(302), method="post", writes=("mentee",)),
    ],
    "camp:report_export": [Case("camp:report_export", REPORT, REPORT_READERS)],
    "camp:resume": [Case("camp:resume", APPLICATION, staff_only())],
    "camp:application": [
        Case("camp:application", APPLICATION, expect(403, staff=200, applicant=200))
    ],
    "camp:edit_application": [
        # the world's cohort is running: the applicant is sent back to the application's page
        Case("camp:edit_application", APPLICATION, expect(403, applicant=302))
    ],
    "camp:withdraw_application": [
        Case("camp:withdraw_application", APPLICATION, everyone(405)),
        Case(
            "camp:withdraw_application",
            APPLICATION,
            expect(403, staff=302, applicant=302),
            method="post",
            writes=("staff", "applicant"),
        ),
    ],
    "camp:lock": [
        Case("camp:lock", APPLICATION, everyone(405)),
        Case(
            "camp:lock",
            APPLICATION,
            staff_only(302),
            method="post",
            data=lambda w: {"project": w.project.pk, "mentors": [w.persons["mentor"].pk]},
            writes=("staff",),
        ),
    ],
    "camp:decline": [
        Case("camp:decline", APPLICATION, everyone(405)),
        Case("camp:decline", APPLICATION, staff_only(302), method="post", writes=("staff",)),
    ],
    "camp:cohort": [
        Case("camp:cohort", COHORT),
        Case("camp:cohort", K(cohort="draft_cohort.slug"), NON_STAFF_404),
    ],
    # the applicant has applied: the apply page leads to their application
    "camp:apply": [Case("camp:apply", COHORT, expect(200, applicant=302))],
    "camp:checklist": [Case("camp:checklist", COHORT, TA_AND_STAFF)],
    "camp:applications": [Case("camp:applications", COHORT, staff_only())],
    "camp:reminders": [
        Case("camp:reminders", COHORT, TA_AND_STAFF),
        Case(
            "camp:reminders",
            COHORT,
            expect(403, ta=302, staff=302),
            method="post",
            writes=("ta", "staff"),
        ),
    ],
    "camp:grades_csv": [Case("camp:grades_csv", COHORT, staff_only())],
    "camp:period_summary": [
        Case("camp:period_summary", K(cohort="cohort.slug", number=1), TA_AND_STAFF)
    ],
    "camp:project": [Case("camp:project", K(cohort="cohort.slug", number=1))],
    # --- events --------------------------------------------------------------------------------
    # The meetup has one seat: the contributor holds it, the applicant waits for it.
    "events:index": [Case("events:index"), Case("events:index", query="?page=abc")],
    "events:past": [Case("events:past")],
    "events:feed": [Case("events:feed")],
    "events:mine": [Case("events:mine", expected=expect(200))],
    "events:detail": [
        Case("events:detail", EVENT),
        Case("events:detail", DRAFT_EVENT, NON_STAFF_404),
        Case("events:detail", lambda w: {"slug": "nope"}, everyone(404)),
    ],
    "events:ics": [
        Case("events:ics", EVENT),
        Case("events:ics", DRAFT_EVENT, NON_STAFF_404),
    ],
    "events:register": [
        # Those already registered or waiting are sent back to the event's page.
        Case("events:register", EVENT, expect(200, contributor=302, applicant=302)),
        Case("events:register", DRAFT_EVENT, expect(404)),
        Case(
            "events:register",
            EVENT,
            expect(302),
            method="post",
            data=lambda w: {"name": "Newcomer", "email": "new@example.org"},
            writes=tuple(r for r in SIGNED_IN if r not in ("contributor", "applicant")),
        ),
    ],
    "events:cancel": [
        Case("events:cancel", EVENT, POST_ONLY),
        # Anyone signed in is sent back with a message; only a registration's owner changes it.
        Case(
            "events:cancel", EVENT, expect(302), method="post", writes=("contributor", "applicant")
        ),
    ],
    "events:check_in_list": [Case("events:check_in_list", EVENT, staff_only())],
    "events:check_in": [
        Case("events:check_in", CHECK_IN, staff_only(405)),
        Case(
            "events:check_in",
            CHECK_IN,
            staff_only(302),
            method="post",
            data=lambda w: {"action": "check_in"},
            writes=("staff",),
        ),
    ],
    "events:registrations_csv": [Case("events:registrations_csv", EVENT, staff_only())],
    # --- judging ------------------------------------------------------------------------------
    # The contributor entered the open contest; the mentor judges the contest being judged, where
    # the mentee's team has an entry with a prize not yet published.
    "judging:index": [Case("judging:index")],
    "judging:contest": [
        Case("judging:contest", JD_OPEN),
        Case("judging:contest", JD_DRAFT, NON_STAFF_404),
        Case("judging:contest", lambda w: {"slug": "nope"}, everyone(404)),
    ],
    "judging:register": [
        Case("judging:register", JD_OPEN, expect(200, contributor=302)),
        Case("judging:register", JD_JUDGING, expect(302)),  # entries closed
        Case("judging:register", JD_DRAFT, expect(404)),
        # An empty form is refused with its errors, registering nobody.
        Case("judging:register", JD_OPEN, expect(200, contributor=302), method="post"),
    ],
    "judging:withdraw": [
        Case("judging:withdraw", JD_OPEN, POST_ONLY),
        Case("judging:withdraw", JD_OPEN, expect(302), method="post", writes=("contributor",)),
    ],
    "judging:submit": [
        Case("judging:submit", JD_OPEN, expect(302, contributor=200)),
        Case("judging:submit", JD_OPEN, expect(302, contributor=200), method="post"),
    ],
    "judging:gallery": [
        Case("judging:gallery", JD_OPEN),
        Case("judging:gallery", JD_DRAFT, everyone(404)),
    ],
    "judging:gallery_direction": [
        Case("judging:gallery_direction", lambda w: {"slug": "jd-open", "direction": "fun"}),
        Case(
            "judging:gallery_direction",
            lambda w: {"slug": "jd-open", "direction": "no"},
            everyone(404),
        ),
    ],
    "judging:submission": [
        Case("judging:submission", JD_ENTRY),
        Case("judging:submission", K(slug="jd_draft.slug", pk="jd_entry.pk"), everyone(404)),
    ],
    "judging:edit": [
        Case("judging:edit", JD_ENTRY, expect(403, contributor=200)),
        Case("judging:edit", JD_ENTRY, expect(403, contributor=200), method="post"),
    ],
    "judging:withdraw_submission": [
        Case("judging:withdraw_submission", JD_ENTRY, POST_ONLY),
        # Others are refused with a message (nothing changes); staff may withdraw an entry.
        Case(
            "judging:withdraw_submission",
            JD_ENTRY,
            expect(302),
            method="post",
            writes=("contributor", "staff"),
        ),
    ],
    "judging:like": [
        Case("judging:like", JD_ENTRY, POST_ONLY),
        Case(
            "judging:like",
            JD_ENTRY,
            expect(302),
            method="post",
            data=lambda w: {"action": "like"},
            writes=tuple(SIGNED_IN),
        ),
    ],
    "judging:judge_queue": [
        Case("judging:judge_queue", JD_JUDGING, expect(403, mentor=200)),
    ],
    "judging:score": [
        Case("judging:score", JD_JUDGED_ENTRY, expect(403, mentor=200)),
        # Scores out of range: the form comes back with its errors, nothing is saved.
        Case(
            "judging:score",
            JD_JUDGED_ENTRY,
            expect(403, mentor=200),
            method="post",
            data=lambda w: {f"c{w.jd_judging.criteria.get().pk}": "99", "action": "submit"},
        ),
    ],
    "judging:ranking": [Case("judging:ranking", JD_JUDGING, staff_only())],
    "judging:award": [
        Case("judging:award", JD_JUDGING, staff_only(405)),
        Case(
            "judging:award",
            JD_JUDGING,
            staff_only(302),
            method="post",
            data=lambda w: {
                "submission": w.jd_judged_entry.pk,
                "prize": w.jd_judging.prizes.get().pk,
            },
        ),
    ],
    "judging:revoke_award": [
        Case("judging:revoke_award", JD_AWARD, staff_only(405)),
        Case("judging:revoke_award", JD_AWARD, staff_only(302), method="post", writes=("staff",)),
    ],
    "judging:advance": [
        Case(
            "judging:advance",
            JD_OPEN,
            staff_only(302),
            method="post",
            data=lambda w: {"step": "judging"},
            writes=("staff",),
        ),
    ],
    "judging:results": [
        Case("judging:results", JD_PUBLISHED),
        Case("judging:results", JD_JUDGING),  # "not published yet"; a preview for staff
    ],
    "judging:results_csv": [
        Case("judging:results_csv", JD_PUBLISHED),
        Case("judging:results_csv", JD_JUDGING, everyone(404)),
    ],
    "judging:results_json": [
        Case("judging:results_json", JD_PUBLISHED),
        Case("judging:results_json", JD_JUDGING, everyone(404)),
    ],
    "judging:certificate": [
        Case("judging:certificate", K(code="jd_certificate.code")),
        Case("judging:certificate", lambda w: {"code": "JNOPE"}, everyone(404)),
    ],
    "judging:certificate_image": [
        Case("judging:certificate_image", K(code="jd_certificate.code"), everyone("image")),
    ],
    # --- progress reports (staff) -----------------------------------------------------------
    "progress:draft": [
        Case("progress:draft", expected=staff_only(others=403) | {"anonymous": LOGIN}),
        # The preview of the numbers: the same page with a scope and a range.
        Case(
            "progress:draft",
            query="?scope=edition:7&start=2026-01-01&end=2026-01-31&risk_threshold=30",
            expected=staff_only(others=403) | {"anonymous": LOGIN},
        ),
        # … of a task set: the edition's main set, and a standalone activity.
        Case(
            "progress:draft",
            query="?scope=set:hackathon-7&start=2026-01-01&end=2026-01-31&risk_threshold=30",
            expected=staff_only(others=403) | {"anonymous": LOGIN},
        ),
        Case(
            "progress:draft",
            query="?scope=set:api-compatibility&start=2026-01-01&end=2026-01-31&risk_threshold=30",
            expected=staff_only(others=403) | {"anonymous": LOGIN},
        ),
        Case(
            "progress:draft",
            method="post",
            data=lambda w: {
                "scope": f"set:{w.task_set.slug}",
                "start": "2026-01-01",
                "end": "2026-01-31",
                "risk_threshold": "30",
            },
            expected=staff_only(302, others=403) | {"anonymous": LOGIN},
            writes=("staff",),
        ),
        # Drafting writes a post (with its chart images) for staff only.
        Case(
            "progress:draft",
            method="post",
            data=lambda w: {
                "scope": f"edition:{w.edition.number}",
                "start": "2026-01-01",
                "end": "2026-01-31",
                "risk_threshold": "30",
            },
            expected=staff_only(302, others=403) | {"anonymous": LOGIN},
            writes=("staff",),
        ),
    ],
    # --- accounts (allauth) ----------------------------------------------------------------------
    # The user's own data: nobody else's is reachable through these (see tests/security).
    "pfcc:account": [Case("pfcc:account", expected=expect(200))],
    "pfcc:account_data": [Case("pfcc:account_data", expected=expect(200))],
    "pfcc:account_delete": [
        Case("pfcc:account_delete", expected=expect(200)),
        # A wrong password deletes nothing.
        Case(
            "pfcc:account_delete",
            method="post",
            data=lambda w: {"password": "not-the-password"},
            expected=expect(200),
        ),
    ],
    # GitHub's deliveries only: a request without a valid signature is refused for everyone.
    "github_webhook": [
        Case("github_webhook", expected=everyone(405)),
        Case("github_webhook", method="post", expected=everyone(403)),
    ],
    # allauth's second factor: reaching a step needs a recent password (reauthentication).
    "mfa_index": [Case("mfa_index", expected=expect(200))],
    "mfa_authenticate": [Case("mfa_authenticate", expected=expect(302, anonymous=LOGIN))],
    "mfa_reauthenticate": [Case("mfa_reauthenticate", expected=expect(302, staff=200))],
    "mfa_activate_totp": [Case("mfa_activate_totp", expected=expect(302))],
    # A sign-in less than ACCOUNT_REAUTHENTICATION_TIMEOUT old needs no second password (pfcc/adapters.py).
    "mfa_deactivate_totp": [Case("mfa_deactivate_totp", expected=expect(404, staff=200))],
    "mfa_view_recovery_codes": [Case("mfa_view_recovery_codes", expected=expect(404))],
    "mfa_generate_recovery_codes": [
        Case("mfa_generate_recovery_codes", expected=expect(302, staff=200))
    ],
    "mfa_download_recovery_codes": [Case("mfa_download_recovery_codes", expected=expect(404))],
    "account_login": [Case("account_login", expected=expect(302, anonymous=200))],
    "account_logout": [Case("account_logout", expected=expect(200, anonymous=302))],
    "account_inactive": [Case("account_inactive")],
    "account_signup": [Case("account_signup", expected=expect(302, anonymous=200))],
    "account_reauthenticate": [Case("account_reauthenticate", expected=expect(200))],
    "account_email": [Case("account_email", expected=expect(200))],
    "account_email_verification_sent": [Case("account_email_verification_sent")],
    "account_change_password": [Case("account_change_password", expected=expect(200))],
    "account_set_password": [Case("account_set_password", expected=expect(302))],
    "account_reset_password": [Case("account_reset_password")],
    "account_confirm_login_code": [Case("account_confirm_login_code", expected=everyone(302))],
    "account_confirm_email": [Case("account_confirm_email", lambda w: {"key": "bad-key"})],
    "account_reset_password_from_key_done": [Case("account_reset_password_from_key_done")],
    "account_reset_password_from_key": [
        Case("account_reset_password_from_key", lambda w: {"uidb36": "zz", "key": "bad-key"})
    ],
    "account_reset_password_done": [Case("account_reset_password_done")],
    "socialaccount_login_cancelled": [Case("socialaccount_login_cancelled")],
    "socialaccount_login_error": [Case("socialaccount_login_error", expected=everyone(401))],
    "socialaccount_signup": [Case("socialaccount_signup", expected=expect(302, anonymous=302))],
    "socialaccount_connections": [Case("socialaccount_connections", expected=expect(200))],
    # GET shows the "continue to GitHub" page; the callback without a state is an error page.
    "github_login": [Case("github_login")],
    "github_callback": [Case("github_callback", expected=everyone(401))],
}

# Unnamed patterns, by their regex: why they are not in the matrix.
EXEMPT = {
    # allauth's old addresses for its 3rdparty/ pages: permanent redirects to the named ones.
    "accounts/social/login/cancelled/": "redirect to socialaccount_login_cancelled",
    "accounts/social/login/error/": "redirect to socialaccount_login_error",
    "accounts/social/signup/": "redirect to socialaccount_signup",
    "accounts/social/connections/": "redirect to socialaccount_connections",
}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            key = (f"{namespace}:{name}" if namespace else name) if name else None
            yield key, prefix + str(pattern.pattern), namespace


def all_routes():
    return list(_walk(get_resolver().url_patterns))


def test_every_route_is_in_the_matrix():
    missing = []
    for key, pattern, namespace in all_routes():
        if namespace == "admin" or (namespace or "").startswith("admin:"):
            continue  # the admin: test_admin_is_for_staff_only
        if key is None and pattern.startswith("admin/"):
            continue
        if key is None:
            if pattern not in EXEMPT:
                missing.append(pattern)
        elif key not in MATRIX:
            missing.append(key)
    assert not missing, f"Routes without a permission entry, add them to the matrix: {missing}"
    stale = set(MATRIX) - {key for key, _p, _n in all_routes()}
    assert not stale, f"Matrix entries for routes that no longer exist: {stale}"


def world_state():
    """What a refused POST must not change."""
    return {
        "claims": sorted(Claim.objects.values_list("pk", "task_id", "person_id", "state")),
        "history": ClaimStateChange.objects.count(),
        "pulls": sorted(PullRequest.objects.values_list("pk", "url")),
        "objections": sorted(Objection.objects.values_list("pk", "text", "state")),
        "reports": sorted(Report.objects.values_list("pk", "state", "work")),
        "reviews": Review.objects.count(),
        "camp_applications": sorted(CampApplication.objects.values_list("pk", "state")),
        "mentorships": Mentorship.objects.count(),
        "reminders": Reminder.objects.count(),
        "membership": sorted(MembershipApplication.objects.values_list("pk", "state")),
        "profiles": sorted(Person.objects.values_list("pk", "public_profile")),
        "posts": sorted(Post.objects.values_list("pk", "state", "body")),
        "images": PostImage.objects.count(),
        "progress_reports": ProgressReport.objects.count(),
        "progress_charts": ReportChart.objects.count(),
        "mail": OutgoingEmail.objects.count(),
        "accounts": sorted(User.objects.values_list("pk", "is_active")),
        "webhook_deliveries": WebhookDelivery.objects.count(),
        "events": sorted(Event.objects.values_list("pk", "state", "seats_taken", "waiting_count")),
        "registrations": sorted(Registration.objects.values_list("pk", "state")),
        "contests": sorted(
            Contest.objects.values_list("pk", "state", "registration_count", "submission_count")
        ),
        "contest_registrations": sorted(ContestRegistration.objects.values_list("pk", "state")),
        "entries": sorted(Submission.objects.values_list("pk", "state", "title", "like_count")),
        "likes": Like.objects.count(),
        "scorecards": sorted(Scorecard.objects.values_list("pk", "state", "total")),
        "awards": sorted(Award.objects.values_list("pk", "prize_id", "submission_id")),
        "judges": sorted(Judge.objects.values_list("pk", "state")),
    }


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # As in production: a GitHub app is configured.
    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {
            "SCOPE": ["read:user", "user:email"],
            "APPS": [{"client_id": "id", "secret": "secret", "key": ""}],
        }
    }
    world = add_judging(add_events(build_world()))
    resume = world.camp_application.resume.name
    world.objects["resume_media_path"] = resume
    world.objects["resume_escape_path"] = f"../private/{resume}"
    return world


def _check(response, expected, route, role):
    where = f"{route} as {role}: got {response.status_code}"
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("account_login")), where
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("admin:login")), where
    elif expected == "image":
        # 503 only when the certificate font is missing on this machine.
        assert response.status_code in (200, 503), where
    else:
        assert response.status_code == expected, where


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _leaks(response, route, role) -> list[str]:
    """Applicants' contact details, statements and résumés reach staff only (and the applicant
    themselves, about their own application)."""
    if role in ("staff", "applicant"):
        return []
    body = _body(response)
    found = [secret for secret in APPLICANT_SECRETS if secret.encode() in body]
    if role not in ("contributor", "mentee"):  # the entrants themselves
        found += [secret for secret in ENTRANT_SECRETS if secret.encode() in body]
    if b"resume-secret-marker" in body:
        found.append("the résumé")
    return [f"{route} as {role} shows {secret}" for secret in found]


def test_permission_matrix(world):
    client = Client(raise_request_exception=False)
    failures = []
    for cases in MATRIX.values():
        for case in cases:
            url = reverse(case.route, kwargs=case.kwargs(world)) + case.query
            for role in ROLES:
                user = world.users[role]
                client.logout()
                if user is not None:
                    client.force_login(user)
                before = world_state() if case.method == "post" else None
                with transaction.atomic():
                    if case.method == "post":
                        response = client.post(url, case.data(world))
                    else:
                        response = client.get(url)
                    try:
                        _check(response, case.expected[role], case.route, role)
                    except AssertionError as error:
                        failures.append(str(error))
                    failures.extend(_leaks(response, case.route, role))
                    if case.method == "post" and role not in case.writes:
                        after = world_state()
                        if after != before:
                            changed = [k for k in before if before[k] != after[k]]
                            failures.append(f"{case.route} POST as {role} changed {changed}")
                    transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def test_admin_is_for_staff_only(client, world):
    index = reverse("admin:index")
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.get(index)
        if role == "staff":
            assert response.status_code == 200
        else:
            assert response.status_code == 302, role
            assert response["Location"].startswith(reverse("admin:login")), role
    # A model page and the résumé's application are closed to non-staff too.
    url = reverse("admin:camp_campapplication_change", args=[world.camp_application.pk])
    client.force_login(world.users["applicant"])
    assert client.get(url).status_code == 302
    client.force_login(world.users["staff"])
    assert client.get(url).status_code == 200


# --- staff without a second factor -----------------------------------------------------------
# Staff powers live outside the admin too (résumés, applications, grades, decisions, check-in,
# drafts, anyone's claim or report). A staff account whose session has not passed TOTP reaches
# none of them: every route but the sign-in pages sends it to the missing step, and changes
# nothing on the way.
OPEN_TO_STAFF_WITHOUT_FACTOR = ("/accounts/", "/i18n/", "/media/", "/healthz")


def _staff_without_factor(client, kind):
    if kind == "no_totp":
        user = StaffFactory(username="staff-no-totp", totp=False)
        client.force_login(user)
        return user, reverse("mfa_activate_totp")
    user = StaffFactory(username="staff-password-only")
    client.force_login(user)
    session = client.session
    session.pop(AUTHENTICATION_METHODS_SESSION_KEY, None)  # a password login: no "mfa" record
    session.save()
    return user, reverse("mfa_reauthenticate")


@pytest.mark.parametrize("kind", ["no_totp", "password_only"])
def test_staff_without_a_second_factor_reach_no_staff_power(world, kind):
    client = Client(raise_request_exception=False)
    _user, step = _staff_without_factor(client, kind)
    failures = []
    for cases in MATRIX.values():
        for case in cases:
            url = reverse(case.route, kwargs=case.kwargs(world)) + case.query
            before = world_state()
            with transaction.atomic():
                response = getattr(client, case.method)(url, case.data(world))
                where = f"{case.route} {case.method.upper()} ({kind}): {response.status_code}"
                if url.startswith(OPEN_TO_STAFF_WITHOUT_FACTOR):
                    if response.status_code >= 500:
                        failures.append(where)
                elif response.status_code != 302 or not response["Location"].startswith(step):
                    failures.append(f"{where}, expected a redirect to {step}")
                failures.extend(_leaks(response, case.route, kind))
                if world_state() != before:
                    failures.append(f"{where} changed data")
                transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def test_staff_views_come_back_after_the_second_factor(world):
    """The step brings the staff member back where they were going."""
    client = Client()
    user, step = _staff_without_factor(client, "password_only")
    url = reverse("camp:applications", kwargs={"cohort": world.cohort.slug})
    response = client.get(url)
    assert response["Location"] == f"{step}?next={quote(url, safe='')}"
    response = client.post(response["Location"], {"code": totp_code(user)})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200


STAFF_ONLY_ROUTES = [
    ("camp:resume", APPLICATION, "get"),
    ("camp:applications", COHORT, "get"),
    ("camp:grades_csv", COHORT, "get"),
    ("camp:lock", APPLICATION, "post"),
    ("camp:decline", APPLICATION, "post"),
    ("events:check_in_list", EVENT, "get"),
    ("events:check_in", CHECK_IN, "post"),
    ("events:registrations_csv", EVENT, "get"),
    ("blog:preview", lambda w: {}, "post"),
    ("judging:ranking", JD_JUDGING, "get"),
    ("judging:award", JD_JUDGING, "post"),
    ("judging:revoke_award", JD_AWARD, "post"),
    ("judging:advance", JD_OPEN, "post"),
    ("progress:draft", lambda w: {}, "get"),
    ("progress:draft", lambda w: {}, "post"),
]


def test_every_staff_only_view_carries_staff_required(world, settings):
    """The decorator holds on its own, should the middleware ever be left out."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("StaffMFAMiddleware")]
    client = Client()
    _user, step = _staff_without_factor(client, "password_only")
    for route, kwargs, method in STAFF_ONLY_ROUTES:
        before = world_state()
        response = getattr(client, method)(reverse(route, kwargs=kwargs(world)))
        assert response.status_code == 302, route
        assert response["Location"].startswith(step), route
        assert world_state() == before, route
