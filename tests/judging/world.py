"""The judging part of the security tests' sample world (tests/security/world.py): a contest open
for entries (the contributor registered, with an entry), one being judged (the mentor judges it;
an entry of the mentee's team, with an award), one published (an award and its certificate)
and a draft; the open one and the draft belong to the open edition. Entrants' e-mail addresses
(their accounts' own: a registration keeps none) are private."""

from allauth.account.models import EmailAddress

from judging.models import Award, Certificate, Contest, Judge

from .factories import (
    ContestFactory,
    CriterionFactory,
    DirectionFactory,
    PrizeFactory,
    RegistrationFactory,
    SubmissionFactory,
)

# What only staff and the entrant themselves may see: a verified address of each entrant's
# account (not its primary one, which the rest of the world uses).
ENTRANT_SECRETS = ["entrant-private@example.org", "entrant-team-private@example.org"]
ENTRANTS = {"contributor": ENTRANT_SECRETS[0], "mentee": ENTRANT_SECRETS[1]}


def _contest(slug, state, edition=None):
    contest = ContestFactory(slug=slug, name=f"Contest {slug}", state=state, edition=edition)
    DirectionFactory(contest=contest, name="趣味创意", slug="fun")
    CriterionFactory(contest=contest, name="创意", weight=2)
    PrizeFactory(contest=contest, name="一等奖")
    return contest


def add_judging(world):
    o = world.objects
    for role, address in ENTRANTS.items():
        EmailAddress.objects.create(user=world.users[role], email=address, verified=True)
    # The open contest and the draft are tracks of the open edition (its page lists them).
    o["jd_open"] = _contest("jd-open", Contest.State.OPEN, edition=o["edition"])
    o["jd_registration"] = RegistrationFactory(
        contest=o["jd_open"],
        user=world.users["contributor"],
        members=[world.persons["contributor"]],
    )
    o["jd_entry"] = SubmissionFactory(registration=o["jd_registration"], title="Open entry")

    o["jd_judging"] = _contest("jd-judging", Contest.State.JUDGING)
    team = RegistrationFactory(
        contest=o["jd_judging"],
        user=world.users["mentee"],
        members=[world.persons["mentee"]],
    )
    o["jd_judged_entry"] = SubmissionFactory(registration=team, title="Judged entry")
    Judge.objects.create(contest=o["jd_judging"], user=world.users["mentor"], name="Mentor")
    o["jd_award"] = Award.objects.create(
        contest=o["jd_judging"],
        prize=o["jd_judging"].prizes.get(),
        submission=o["jd_judged_entry"],
    )

    o["jd_published"] = _contest("jd-published", Contest.State.PUBLISHED)
    winner = SubmissionFactory(
        registration=RegistrationFactory(
            contest=o["jd_published"], members=[world.persons["other_mentee"]]
        ),
        title="Winning entry",
    )
    award = Award.objects.create(
        contest=o["jd_published"], prize=o["jd_published"].prizes.get(), submission=winner
    )
    o["jd_certificate"] = Certificate.objects.create(
        award=award, person=world.persons["other_mentee"], name="Other mentee"
    )
    o["jd_draft"] = _contest("jd-draft", Contest.State.DRAFT, edition=o["edition"])
    return world
