"""The judging pages as people use them: registering, submitting, the gallery, liking, scoring,
the staff ranking, the published results with CSV and JSON, and certificates."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from judging import transitions
from judging.models import Contest, Registration, Scorecard, Submission
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.security.world import png_bytes

from .factories import JudgeFactory, RegistrationFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"judging:{name}", args=args)


def test_contest_page_shows_counts_directions_and_how_to_enter(contest, client_for):
    RegistrationFactory.create_batch(3, contest=contest)
    response = client_for().get(url("contest", contest.slug))
    text = response.content.decode()
    assert "3 registrations" in text and "趣味创意" in text and "生产力工具" in text
    assert "Sign in to register" in text
    chinese = client_for(language="zh-hans").get(url("contest", contest.slug)).content.decode()
    assert "报名" in chinese


def test_register_as_a_team_through_the_form(contest, client_for):
    user = UserFactory(name="Lead")
    client = client_for(user)
    response = client.post(
        url("register", contest.slug),
        {"kind": "team", "name": "文心小队", "members": ""},
    )
    assert response.status_code == 200
    assert "Name your team&#x27;s members" in response.content.decode()
    assert 'value="文心小队"' in response.content.decode()  # nothing typed is lost
    response = client.post(
        url("register", contest.slug),
        {
            "kind": "team",
            "name": "文心小队",
            "members": "@dev-b, https://github.com/dev-c，not a login!",
        },
    )
    assert "not a valid GitHub login" in response.content.decode()
    response = client.post(
        url("register", contest.slug),
        {
            "kind": "team",
            "name": "文心小队",
            "members": "@dev-b、dev-c",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert sorted(p.github for p in registration.members.all()) == ["dev-b", "dev-c"]
    page = client.get(url("contest", contest.slug)).content.decode()
    assert "You are registered as team “文心小队”." in page


def test_submit_with_screenshots_and_a_bad_file(contest, client_for):
    registration = RegistrationFactory(contest=contest)
    client = client_for(registration.user)
    data = {
        "direction": contest.directions.get(slug="fun").pk,
        "title": "AI 数字人",
        "summary": "数字诗人 & 数字发言人",
        "app_url": "https://aistudio.baidu.com/application/detail/10863",
        "repository_url": "",
        "description": "## 玩法\n\n写诗。",
    }
    bad = SimpleUploadedFile("shot.png", b"<html><script>alert(1)</script></html>")
    response = client.post(url("submit", contest.slug), {**data, "screenshots": [bad]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Upload a valid image" in text and 'value="AI 数字人"' in text
    assert not Submission.objects.exists()
    shots = [SimpleUploadedFile(f"s{n}.png", png_bytes()) for n in range(2)]
    response = client.post(url("submit", contest.slug), {**data, "screenshots": shots})
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == submission.get_absolute_url()
    assert submission.screenshots.count() == 2
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "<h2" in page and "写诗" in page and submission.screenshots.first().image.url in page


def test_only_the_entrant_edits_their_entry(contest, client_for):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    edit = url("edit", contest.slug, submission.pk)
    assert client_for(UserFactory()).get(edit).status_code == 403
    client = client_for(submission.registration.user)
    data = {
        "direction": submission.direction_id,
        "title": "新名字",
        "summary": "",
        "app_url": submission.app_url,
        "repository_url": "",
        "description": "",
    }
    assert client.post(edit, data).status_code == 302
    submission.refresh_from_db()
    assert submission.title == "新名字"


def test_gallery_per_direction_with_counts_and_sorting(contest, client_for):
    fun, productivity = contest.directions.order_by("order")
    liked = SubmissionFactory(
        registration=RegistrationFactory(contest=contest), direction=fun, title="最高赞"
    )
    SubmissionFactory(
        registration=RegistrationFactory(contest=contest), direction=fun, title="新作品"
    )
    SubmissionFactory(
        registration=RegistrationFactory(contest=contest), direction=productivity, title="日报系统"
    )
    Submission.objects.filter(pk=liked.pk).update(like_count=250)
    page = client_for().get(url("gallery_direction", contest.slug, "fun")).content.decode()
    assert "最高赞" in page and "新作品" in page and "日报系统" not in page
    assert page.index("最高赞") < page.index("新作品")
    assert "250 likes" in page
    newest = client_for().get(url("gallery", contest.slug) + "?sort=new").content.decode()
    assert newest.index("日报系统") < newest.index("最高赞")
    assert client_for().get(url("gallery_direction", contest.slug, "nope")).status_code == 404


def test_a_signed_in_person_likes_once_and_sees_it(contest, client_for):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    like = url("like", contest.slug, submission.pk)
    anonymous = client_for().post(like)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client = client_for(UserFactory())
    client.post(like, {"action": "like"})
    client.post(like, {"action": "like"})
    submission.refresh_from_db()
    assert submission.like_count == 1
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Liked: take it back" in page and "1 like" in page
    gallery = client.get(url("gallery", contest.slug)).content.decode()
    assert "you like it" in gallery
    client.post(like, {"action": "unlike", "next": url("gallery", contest.slug)})
    submission.refresh_from_db()
    assert submission.like_count == 0


def test_views_count_once_per_visitor_and_day(contest, client_for):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    visitor = client_for()
    visitor.get(submission.get_absolute_url())
    response = visitor.get(submission.get_absolute_url())
    assert "private" in response["Cache-Control"]  # never served from the page cache
    client_for(UserFactory()).get(submission.get_absolute_url())
    submission.refresh_from_db()
    assert submission.view_count == 2


def test_withdrawn_entries_leave_the_gallery(contest, client_for):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest), title="撤回")
    transitions.withdraw_submission(submission, submission.registration.user)
    assert "撤回" not in client_for().get(url("gallery", contest.slug)).content.decode()
    assert client_for().get(submission.get_absolute_url()).status_code == 404
    owner = client_for(submission.registration.user)
    assert owner.get(submission.get_absolute_url()).status_code == 200


def test_draft_contests_are_for_staff_only(contest, client_for):
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.DRAFT)
    assert client_for().get(url("contest", contest.slug)).status_code == 404
    assert client_for(StaffFactory()).get(url("contest", contest.slug)).status_code == 200
    assert client_for().get(url("gallery", contest.slug)).status_code == 404


# --- Judges ---------------------------------------------------------------------------------


def scoring(contest):
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    contest.refresh_from_db()


def score_data(contest, creative, complete, action):
    first, second = contest.criteria.order_by("order")
    return {f"c{first.pk}": creative, f"c{second.pk}": complete, "comment": "", "action": action}


def test_judge_sees_others_scores_only_after_submitting(contest, client_for):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    scoring(contest)
    first, second = JudgeFactory(contest=contest, name="评委甲"), JudgeFactory(contest=contest)
    transitions.save_scores(
        first,
        submission,
        first.user,
        values={c.pk: 9 if c.max_score == 10 else 5 for c in contest.criteria.all()},
        comment="很有创意",
        submit_card=True,
    )
    client = client_for(second.user)
    page_url = url("score", contest.slug, submission.pk)
    page = client.get(page_url).content.decode()
    assert "once you have submitted yours" in page and "很有创意" not in page
    client.post(page_url, score_data(contest, 7, 3, "draft"))
    page = client.get(page_url).content.decode()
    assert "Your draft" in page and "很有创意" not in page
    response = client.post(page_url, score_data(contest, 7, 3, "submit"))
    assert response.status_code == 302
    page = client.get(page_url).content.decode()
    assert "很有创意" in page and "评委甲" in page
    assert Scorecard.objects.filter(state="submitted").count() == 2


def test_judge_form_errors_keep_what_was_typed(contest, client_for):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    scoring(contest)
    judge = JudgeFactory(contest=contest)
    response = client_for(judge.user).post(
        url("score", contest.slug, submission.pk), score_data(contest, 7, 9, "submit")
    )
    assert response.status_code == 200
    assert "less than or equal to 5" in response.content.decode()
    assert 'value="7"' in response.content.decode()
    assert not Scorecard.objects.exists()


def test_the_queue_leaves_out_the_judges_own_team(contest, client_for):
    judge_user = UserFactory()
    person = PersonFactory(github="judge-j", user=judge_user)
    own = SubmissionFactory(
        registration=RegistrationFactory(contest=contest, members=[person]), title="我的队伍"
    )
    SubmissionFactory(registration=RegistrationFactory(contest=contest), title="别人的作品")
    scoring(contest)
    JudgeFactory(contest=contest, user=judge_user)
    client = client_for(judge_user)
    page = client.get(url("judge_queue", contest.slug)).content.decode()
    assert "别人的作品" in page and "我的队伍" not in page
    assert client.get(url("score", contest.slug, own.pk)).status_code == 403
    assert "Score this entry" not in client.get(own.get_absolute_url()).content.decode()
    assert client_for(UserFactory()).get(url("judge_queue", contest.slug)).status_code == 403


# --- Staff, results, certificates -------------------------------------------------------------


def test_staff_award_prizes_and_publish_from_the_ranking(contest, client_for):
    high = SubmissionFactory(registration=RegistrationFactory(contest=contest), title="高分")
    low = SubmissionFactory(registration=RegistrationFactory(contest=contest), title="低分")
    Submission.objects.filter(pk=high.pk).update(score=91)
    Submission.objects.filter(pk=low.pk).update(score=60)
    scoring(contest)
    staff = client_for(StaffFactory())
    ranking = staff.get(url("ranking", contest.slug)).content.decode()
    assert ranking.index("高分") < ranking.index("低分")
    first = contest.prizes.get(name="一等奖")
    staff.post(url("award", contest.slug), {"submission": high.pk, "prize": first.pk})
    assert high.awards.get().prize == first
    # Visitors see nothing before publication.
    assert "not published yet" in client_for().get(url("results", contest.slug)).content.decode()
    assert client_for().get(url("results_csv", contest.slug)).status_code == 404
    response = staff.post(url("advance", contest.slug), {"step": "publish"})
    assert response["Location"] == url("results", contest.slug)
    page = client_for().get(url("results", contest.slug)).content.decode()
    assert "一等奖" in page and "高分" in page and "低分" in page


def published(contest):
    lead = PersonFactory(github="lead-l", name="Lead")
    winner = SubmissionFactory(
        registration=RegistrationFactory(
            contest=contest, name="=cmd|' /C calc'!A0", members=[lead]
        ),
        title="文档知识问答系统",
    )
    SubmissionFactory(registration=RegistrationFactory(contest=contest), title="另一个")
    Submission.objects.filter(pk=winner.pk).update(score="88.50", like_count=250)
    scoring(contest)
    staff = StaffFactory()
    transitions.award(winner, contest.prizes.get(name="一等奖"), staff)
    transitions.award(winner, contest.prizes.get(name="人气奖"), staff)
    transitions.publish_results(contest, staff)
    return winner


def test_results_csv_and_json(contest, client_for):
    winner = published(contest)
    response = client_for().get(url("results_csv", contest.slug))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(row for row in rows if row["title"] == "文档知识问答系统")
    assert row["entrant"] == "'=cmd|' /C calc'!A0"  # common.csvsafe
    assert row["score"] == "88.50" and row["likes"] == "250" and row["rank"] == "1"
    assert row["prizes"] == "一等奖、人气奖" and row["members"] == "lead-l"
    assert "/judging/certificates/J" in row["certificates"]
    data = json.loads(client_for().get(url("results_json", contest.slug)).content)
    record = next(r for r in data["results"] if r["title"] == winner.title)
    assert record["prizes"] == ["一等奖", "人气奖"] and record["score"] == "88.50"
    assert data["directions"] == ["趣味创意", "生产力工具"]


def test_certificate_verifies_and_downloads(contest, client_for):
    winner = published(contest)
    certificate = winner.awards.get(prize__name="一等奖").certificates.get()
    page = client_for().get(url("certificate", certificate.code.lower())).content.decode()
    assert "This certificate is valid." in page and "一等奖" in page and "@lead-l" in page
    image = client_for().get(url("certificate_image", certificate.code))
    assert image.status_code in (200, 503)  # 503 only without a CJK font on this machine
    if image.status_code == 200:
        assert image.content.startswith(b"\x89PNG")
    certificate.revoked = True
    certificate.save()
    assert "revoked" in client_for().get(url("certificate", certificate.code)).content.decode()
    assert client_for().get(url("certificate_image", certificate.code)).status_code == 404
    assert client_for().get(url("certificate", "NOPE")).status_code == 404
    assert client_for().get(url("certificate", "bad-code!")).status_code == 404


def test_person_page_lists_entries_and_prizes(contest, client_for):
    published(contest)
    page = client_for().get(reverse("pfcc:person", args=["lead-l"])).content.decode()
    assert "文档知识问答系统" in page and "一等奖" in page


def test_hostile_submissions_are_refused_with_reasons(contest, client_for):
    registration = RegistrationFactory(contest=contest)
    client = client_for(registration.user)
    data = {
        "direction": contest.directions.first().pk,
        "title": "x" * 201,
        "summary": "",
        "app_url": "javascript:alert(1)",
        "repository_url": "",
        "description": "长" * 20_001,
    }
    response = client.post(url("submit", contest.slug), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "app_url", "description"}
    assert not Submission.objects.exists()
    other = Contest.objects.create(slug="other", name="Other", state=Contest.State.OPEN)
    foreign = other.directions.create(name="别的方向", slug="x")
    response = client.post(
        url("submit", contest.slug),
        {
            **data,
            "title": "ok",
            "app_url": "https://x.org",
            "description": "",
            "direction": foreign.pk,
        },
    )
    assert "direction" in response.context["form"].errors


def test_the_site_search_finds_entries_of_listed_contests(contest, client_for):
    SubmissionFactory(
        registration=RegistrationFactory(contest=contest), title="Knowledge assistant"
    )
    search = reverse("search:results")

    def found(query):
        groups = client_for().get(search, {"q": query}).context["results"].groups
        return {group.kind: [str(hit.title) for hit in group.hits] for group in groups}

    assert found("knowledge")["contest_entry"] == [
        "<mark>Knowledge</mark> assistant · 大模型应用与创意赛"
    ]
    contest.state = Contest.State.DRAFT
    contest.save()
    assert found("knowledge") == {}
