"""An entrant hears when staff award a prize to their entry (and when they take it back), and a
judge reads their e-mails in their own language, not the site's default."""

import pytest
from django.test import Client
from django.urls import reverse

from judging import transitions
from judging.models import Award, Contest, Judge
from pfcc.models import OutgoingEmail
from tests.factories import StaffFactory, UserFactory

from .factories import RegistrationFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def mails_to(address):
    return [mail for mail in OutgoingEmail.objects.order_by("pk") if address in mail.to]


def judging(contest):
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    contest.refresh_from_db()
    return contest


@pytest.mark.parametrize(
    ("language", "subject", "body", "later"),
    [
        (
            "en",
            "[PFCC] 一等奖 for “文档助手”",
            "congratulations: your entry “文档助手” in “大模型应用与创意赛” has been awarded 一等奖.",
            "every member of the entry then gets a certificate",
        ),
        (
            "zh-hans",
            "[PFCC] “文档助手”获得一等奖",
            "恭喜！你在“大模型应用与创意赛”中的作品“文档助手”获得了一等奖。",
            "结果公布后奖项才会公开",
        ),
    ],
)
def test_awarding_a_prize_mails_the_entrant_in_their_language(
    contest, language, subject, body, later
):
    lead = UserFactory(email="lead@example.org")
    registration = RegistrationFactory(contest=contest, user=lead, language=language)
    entry = SubmissionFactory(registration=registration, title="文档助手")
    judging(contest)
    before = OutgoingEmail.objects.count()
    given = transitions.award(entry, contest.prizes.get(name="一等奖"), StaffFactory())
    [mail] = mails_to("lead@example.org")[-1:]
    assert OutgoingEmail.objects.count() == before + 1  # the registrant only, once
    assert mail.subject == subject
    assert body in mail.body and later in mail.body
    assert f"/judging/{contest.slug}/entries/{entry.pk}/" in mail.body
    # Taken back before publication: they hear that too, in the same language.
    transitions.revoke_award(given, StaffFactory())
    revoked = mails_to("lead@example.org")[-1]
    assert ("Prize taken back" if language == "en" else "奖项已收回") in revoked.subject
    assert not Award.objects.exists()


def test_a_refused_award_mails_nobody(contest):
    entry = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    judging(contest)
    prize = contest.prizes.get(name="一等奖")
    transitions.award(entry, prize, StaffFactory())
    sent = OutgoingEmail.objects.count()
    with pytest.raises(transitions.TransitionError):
        transitions.award(entry, prize, StaffFactory())  # already has it
    with pytest.raises(transitions.NotAllowed):
        transitions.award(entry, contest.prizes.get(name="二等奖"), UserFactory())
    assert OutgoingEmail.objects.count() == sent


@pytest.mark.parametrize("account", ["unverified", "deleted"])
def test_an_entry_without_a_verified_address_gets_its_prize_without_mail(contest, account):
    user = UserFactory(email="unverified@example.org", verified_email=False)
    entry = SubmissionFactory(registration=RegistrationFactory(contest=contest, user=user))
    if account == "deleted":
        user.delete()  # the registration stays, with no account
        entry.refresh_from_db()
    judging(contest)
    sent = OutgoingEmail.objects.count()
    transitions.award(entry, contest.prizes.first(), StaffFactory())
    assert Award.objects.count() == 1 and OutgoingEmail.objects.count() == sent


def test_a_judge_is_written_in_the_language_staff_chose(contest):
    user = UserFactory(email="judge@example.org")
    judge = transitions.assign_judge(contest, user, StaffFactory(), language="en")
    assert judge.language == "en"
    assert mails_to("judge@example.org")[-1].subject == f"[PFCC] You judge {contest.name}"
    transitions.start_judging(contest, StaffFactory())
    assert "judging has started" in mails_to("judge@example.org")[-1].body
    # Removed and assigned again in Chinese.
    transitions.remove_judge(judge, StaffFactory())
    transitions.assign_judge(contest, user, StaffFactory(), language="zh-hans")
    assert Judge.objects.get(pk=judge.pk).language == "zh-hans"
    assert "的评委" in mails_to("judge@example.org")[-1].subject


def test_without_a_choice_a_judge_gets_the_language_they_registered_in(contest):
    english = UserFactory(email="en-judge@example.org")
    RegistrationFactory(user=english, language="en")  # an entrant of another contest
    chinese = UserFactory(email="zh-judge@example.org")
    transitions.assign_judge(contest, english, StaffFactory())
    transitions.assign_judge(contest, chinese, StaffFactory())
    assert mails_to("en-judge@example.org")[-1].subject.startswith("[PFCC] You judge")
    assert "的评委" in mails_to("zh-judge@example.org")[-1].subject  # the site's default


def test_staff_choose_the_judges_language_in_the_admin(contest):
    staff = StaffFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    page = client.get(reverse("admin:judging_judge_add")).content.decode()
    assert "language of e-mails" in page and "As the account last registered" in page
    user = UserFactory(email="picked@example.org")
    response = client.post(
        reverse("admin:judging_judge_add"),
        {"contest": contest.pk, "user": user.pk, "language": "en"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    judge = Judge.objects.get(user=user)
    assert judge.language == "en" and judge.history.get().action == "assign"
    assert mails_to("picked@example.org")[-1].subject.startswith("[PFCC] You judge")
    # Later edits change the language (and the name), never the state.
    client.post(
        reverse("admin:judging_judge_change", args=[judge.pk]),
        {"name": "Judge J", "language": "zh-hans", **inline_management(judge)},
    )
    judge.refresh_from_db()
    assert (judge.name, judge.language, judge.state) == ("Judge J", "zh-hans", Judge.State.ACTIVE)


def inline_management(judge) -> dict:
    """The empty management forms of the judge page's read-only inlines."""
    data = {}
    for prefix in ("scorecards", "history"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "0",
        }
    return data
