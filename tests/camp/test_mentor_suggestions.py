"""Mentor suggestions from the Camp repository's git history, for mentee folders without a
README: made by rule, shown to staff, never assigned until staff accept one (a transition)."""

import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from camp import transitions
from camp.importer import import_camp
from camp.models import Mentorship, MentorSuggestion, Review
from pfcc.models import Person
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")

REPORT = """### 姓名

{name}

### 实习项目

{project}

### 本周工作

1. 完成了算子。{extra}

### 导师点评

{review}
"""
README = "- 学员: [carol](https://github.com/carol)\n- 导师: [mentor-known](https://github.com/mentor-known)\n"


class Repo:
    def __init__(self, path):
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "-q")
        self.git("config", "user.name", "nobody")
        self.git("config", "user.email", "nobody@example.org")

    def git(self, *args):
        subprocess.run(["git", "-C", str(self.path), *args], check=True, capture_output=True)

    def commit(self, files, author, message, co_authors=(), moves=()):
        for old, new in moves:
            (self.path / new).parent.mkdir(parents=True, exist_ok=True)
            self.git("mv", old, new)
        for name, text in files.items():
            path = self.path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.git("add", name)
        body = message + ("\n\n" + "\n".join(f"Co-authored-by: {c}" for c in co_authors))
        self.git("commit", "-q", "--author", author, "-m", body)


def report(name="甲", review="请联系导师填写", extra="", project="项目一：算子开发"):
    return REPORT.format(name=name, review=review, extra=extra, project=project)


@pytest.fixture
def history_repo(tmp_path, settings):
    """Seventh edition: alice (project 1, no README; her mentor co-authors the review commits,
    and the folder was moved once), bob (project 1, no README, no history but a project-mate),
    carol (project 2, README names her mentor), dave (no README, a mentor without a no-reply
    address and an AI assistant as co-authors), erin (no README, nothing: no suggestion)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    repo = Repo(tmp_path / "Camp")
    base = "WeeklyReports/Hackathon_7th"
    repo.commit(
        {f"{base}/alice/[WeeklyReport]2024.07.15~2024.07.28.md": report()},
        "Alice A <111+alice@users.noreply.github.com>",
        "[WeeklyReport] alice 2024.07.15~2024.07.28 (#1)",
        co_authors=["Mentor M <222+mentor-m@users.noreply.github.com>"],
    )
    repo.commit(
        {f"{base}/01_alice/[WeeklyReport]2024.07.15~2024.07.28.md": report(review="很好")},
        "Alice A <111+alice@users.noreply.github.com>",
        "[WeeklyReport] alice fix (#2)",
        co_authors=["Mentor M <222+mentor-m@users.noreply.github.com>"],
        moves=[
            (
                f"{base}/alice/[WeeklyReport]2024.07.15~2024.07.28.md",
                f"{base}/01_alice/[WeeklyReport]2024.07.15~2024.07.28.md",
            )
        ],
    )
    repo.commit(
        {f"{base}/01_bob/[WeeklyReport]2024.07.15~2024.07.28.md": report("乙")},
        "Bob B <bob@example.org>",
        "[WeeklyReport] bob 2024.07.15~2024.07.28 (#3)",
    )
    repo.commit(
        {
            f"{base}/02_carol/README.md": README,
            f"{base}/02_carol/[WeeklyReport]2024.07.15~2024.07.28.md": report("丙"),
        },
        "carol <333+carol@users.noreply.github.com>",
        "[WeeklyReport] carol (#4)",
    )
    repo.commit(
        {
            f"{base}/dave/[WeeklyReport]2024.07.15~2024.07.28.md": report(
                "丁", review="赞", project="文档建设"
            )
        },
        "Dave D <dave@example.org>",
        "[WeeklyReport] dave 2024.07.15~2024.07.28 (#5)",
        co_authors=[
            "Yuki Tanaka <yuki@example.com>",
            "Claude <noreply@anthropic.com>",
            "Dave D <dave@example.org>",
        ],
    )
    repo.commit(
        {f"{base}/erin/[WeeklyReport]2024.07.15~2024.07.28.md": report("戊", project="测试建设")},
        "erin <555+erin@users.noreply.github.com>",
        "[WeeklyReport] erin (#6)",
    )
    # Housekeeping across every folder: says nothing about mentors.
    repo.commit(
        {
            f"{base}/{folder}/notes.txt": "format"
            for folder in ["01_alice", "01_bob", "02_carol", "dave", "erin"]
        },
        "Tidy T <999+tidy-bot-person@users.noreply.github.com>",
        "format every folder (#7)",
    )
    return repo.path


def suggestions_of(login):
    mentorship = Mentorship.objects.get(mentee__github__iexact=login)
    return {
        (s.login or s.identity): s.rule
        for s in MentorSuggestion.objects.filter(mentorship=mentorship)
    }


@pytest.mark.django_db
def test_suggestions_by_rule_never_assigned(history_repo):
    result = import_camp(history_repo)
    assert result.without_mentor == 4  # alice, bob, dave, erin (carol's README names hers)
    assert result.with_suggestions == 3
    # alice: her mentor co-authored the review commits, followed through the folder's move
    assert suggestions_of("alice") == {"mentor-m": "coauthor"}
    # bob: nothing in his history, but alice's mentor is on the same project
    assert suggestions_of("bob") == {"mentor-m": "project"}
    # dave: a co-author without a no-reply address (kept with the identity for staff to fill
    # in), not the AI assistant, not dave himself
    assert suggestions_of("dave") == {"Yuki Tanaka <yuki@example.com>": "coauthor"}
    assert suggestions_of("erin") == {}
    assert suggestions_of("carol") == {}  # she has a mentor from her README
    # housekeeping commits suggest nobody; suggestions create no person and assign nobody
    assert not MentorSuggestion.objects.filter(login="tidy-bot-person").exists()
    assert not Person.objects.filter(github__iexact="mentor-m").exists()
    assert not Mentorship.objects.get(mentee__github="alice").mentors.exists()
    # Re-running changes nothing.
    before = list(MentorSuggestion.objects.values_list("pk", "login", "rule", "weight"))
    again = import_camp(history_repo)
    assert list(MentorSuggestion.objects.values_list("pk", "login", "rule", "weight")) == before
    assert again.with_suggestions == 3


@pytest.mark.django_db
def test_without_git_history_no_suggestions_and_the_summary_says_so(history_repo, tmp_path):
    copy = tmp_path / "plain"
    shutil.copytree(history_repo, copy, ignore=shutil.ignore_patterns(".git"))
    out = StringIO()
    call_command("import_camp", str(copy), stdout=out)
    assert "no git history: no mentor suggestions" in out.getvalue()
    assert not MentorSuggestion.objects.exists()
    out = StringIO()
    call_command("import_camp", str(history_repo), stdout=out)
    assert "mentees without a mentor: 4, of them with mentor suggestions" in out.getvalue()
    assert "suggestions from the git history: 3" in out.getvalue()


@pytest.mark.django_db
def test_staff_accept_a_suggestion_through_the_transition(history_repo):
    import_camp(history_repo)
    staff = StaffFactory()
    suggestion = MentorSuggestion.objects.get(mentorship__mentee__github="alice")
    with pytest.raises(transitions.NotAllowed):
        transitions.accept_mentor_suggestion(suggestion, UserFactory())
    transitions.accept_mentor_suggestion(suggestion, staff)
    mentorship = suggestion.mentorship
    mentor = Person.objects.get(github="mentor-m")
    assert list(mentorship.mentors.all()) == [mentor]
    assert mentor in mentorship.project.mentors.all()
    # the imported review without an author is the only mentor's
    assert Review.objects.get(report__mentorship=mentorship).mentor == mentor
    event = mentorship.events.get(action="accept_mentor")
    assert event.actor == staff and "@mentor-m" in event.note
    with pytest.raises(transitions.TransitionError):  # already a mentor
        transitions.accept_mentor_suggestion(suggestion, staff)
    # An identity without a login must get one first.
    dave = MentorSuggestion.objects.get(mentorship__mentee__github="dave")
    with pytest.raises(transitions.TransitionError):
        transitions.accept_mentor_suggestion(dave, staff)
    dave.login = "yuki-t"
    dave.save()
    transitions.accept_mentor_suggestion(dave, staff)
    assert [m.github for m in dave.mentorship.mentors.all()] == ["yuki-t"]
    # The filled-in login survives a re-import.
    import_camp(history_repo)
    assert MentorSuggestion.objects.filter(mentorship=dave.mentorship, login="yuki-t").exists()


@pytest.mark.django_db
def test_staff_see_and_accept_suggestions_in_the_admin(history_repo, client):
    import_camp(history_repo)
    staff = StaffFactory()
    client.force_login(staff)
    changelist = reverse("admin:camp_mentorsuggestion_changelist")
    page = client.get(changelist + "?mentors=none").content.decode()
    assert "mentor-m" in page and "Yuki Tanaka" in page
    alice = Mentorship.objects.get(mentee__github="alice")
    assert (
        "mentor-m"
        in client.get(reverse("admin:camp_mentorship_change", args=[alice.pk])).content.decode()
    )
    suggestion = MentorSuggestion.objects.get(mentorship=alice)
    response = client.post(
        changelist, {"action": "accept", "_selected_action": [suggestion.pk]}, follow=True
    )
    assert response.status_code == 200
    assert [m.github for m in alice.mentors.all()] == ["mentor-m"]
    # a signed-in non-staff user cannot reach the list
    client.force_login(UserFactory())
    assert client.get(changelist).status_code == 302


# --- Images and PDFs that no report links ------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _tree(root):
    from tests.security.world import png_bytes

    folder = root / "WeeklyReports" / "Hackathon_7th" / "01_alice"
    (folder / "images").mkdir(parents=True)
    (folder / "README.md").write_text(
        "- 学员: [alice](https://github.com/alice)\n- 导师: [mentor-m](https://github.com/mentor-m)\n",
        encoding="utf-8",
    )
    (folder / "[WeeklyReport]2024.07.15~2024.07.28.md").write_text(
        report(extra="\n\n![流程](images/linked.png)"), encoding="utf-8"
    )
    (folder / "[WeeklyReport]2024.07.29~2024.08.11.md").write_text(report(), encoding="utf-8")
    (folder / "images" / "linked.png").write_bytes(png_bytes())
    # A screenshot tool's name carries the day: 2024-07-20 falls in the first report.
    (folder / "images" / "image-20240720161359887.png").write_bytes(png_bytes())
    # No date anywhere (no history either): under the folder's last report.
    (folder / "调研.pdf").write_bytes(PDF)
    return folder


@pytest.mark.django_db
def test_unlinked_images_and_pdfs_go_under_the_report_they_belong_to(tmp_path, settings, client):
    from camp.models import Report, ReportAttachment

    settings.MEDIA_ROOT = tmp_path / "media"
    _tree(tmp_path / "Camp")
    result = import_camp(tmp_path / "Camp")
    assert (result.unlinked_files, result.unlinked_carried) == (2, 2)
    first, last = Report.objects.order_by("start_date")
    by_name = {a.name: a for a in ReportAttachment.objects.all()}
    assert set(by_name) == {"images/image-20240720161359887.png", "调研.pdf"}
    assert by_name["images/image-20240720161359887.png"].report == first
    assert "2024-07-20" in by_name["images/image-20240720161359887.png"].reason
    assert by_name["调研.pdf"].report == last
    for attachment in by_name.values():
        assert (settings.MEDIA_ROOT / attachment.file.name).is_file()
    # Shown on the report's page (the cohort is public, as imported): the image itself.
    page = client.get(first.get_absolute_url()).content.decode()
    assert 'data-testid="attachments"' in page
    assert by_name["images/image-20240720161359887.png"].file.url in page
    assert "调研.pdf" in client.get(last.get_absolute_url()).content.decode()
    # Re-running changes nothing; check_camp_import counts them all as carried.
    import_camp(tmp_path / "Camp")
    assert ReportAttachment.objects.count() == 2
    out = StringIO()
    call_command("check_camp_import", str(tmp_path / "Camp"), stdout=out)
    assert "images and PDFs no report links: 2, carried as report attachments: 2" in out.getvalue()
    # A copy lost from media is reported.
    (settings.MEDIA_ROOT / by_name["调研.pdf"].file.name).unlink()
    out = StringIO()
    call_command("check_camp_import", str(tmp_path / "Camp"), stdout=out)
    assert "carried as report attachments: 1" in out.getvalue()
    assert "调研.pdf: its copy is missing in media" in out.getvalue()


@pytest.mark.django_db
def test_an_unlinked_image_goes_under_the_report_added_in_the_same_commit(history_repo):
    from camp.models import ReportAttachment
    from tests.security.world import png_bytes

    repo = Repo.__new__(Repo)
    repo.path = history_repo
    base = "WeeklyReports/Hackathon_7th/01_alice"
    (history_repo / base / "images").mkdir()
    (history_repo / base / "images" / "flow.png").write_bytes(png_bytes())
    repo.git("add", f"{base}/images/flow.png")
    repo.commit(
        {f"{base}/[WeeklyReport]2024.08.12~2024.08.25.md": report()},
        "Alice A <111+alice@users.noreply.github.com>",
        "[WeeklyReport] alice 2024.08.12~2024.08.25 (#8)",
    )
    import_camp(history_repo)
    attachment = ReportAttachment.objects.get(name="images/flow.png")
    assert attachment.report.label == "2024.08.12~2024.08.25"
    assert "same commit" in attachment.reason
