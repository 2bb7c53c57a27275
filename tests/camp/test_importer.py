from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from camp.importer import import_camp, mentors_from_readme, parse_dates, parse_folder, parse_report
from camp.models import Cohort, Mentorship, Project, Report, Review
from hackathon.models import Edition
from pfcc.models import Person

FIXTURE = Path(__file__).parent / "fixtures" / "camp_repo"
EDITION_DIR = FIXTURE / "WeeklyReports" / "Hackathon_7th"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("[WeeklyReport]2024.07.15~2024.07.28.md", ((2024, 7, 15), (2024, 7, 28))),
        ("[WeeklyReports]2024.07.15~2024.07.28.md", ((2024, 7, 15), (2024, 7, 28))),
        ("[Weekly Report]2023.09.12~2023.09.23.md", ((2023, 9, 12), (2023, 9, 23))),
        ("2024.08.26~2024.09.08.md", ((2024, 8, 26), (2024, 9, 8))),
        ("[WeeklyReport]2024.10.28~2024.11.22", ((2024, 10, 28), (2024, 11, 22))),
        ("[WeeklyReport]2024.10.30-2024.11.05.md", ((2024, 10, 30), (2024, 11, 5))),
        ("[WeeklyReports]2024.08.26~2024.9.8.md", ((2024, 8, 26), (2024, 9, 8))),
        ("[WeeklyReport]2023.10.1~2023.10.20.md", ((2023, 10, 1), (2023, 10, 20))),
        ("xingmingyyj2023.10.10-2023.10.24.md", ((2023, 10, 10), (2023, 10, 24))),
        ("[WeeklyReport] Wanglongzhi2001 2023.10.1~2023.10.20.md", ((2023, 10, 1), (2023, 10, 20))),
        ("[WeeklyReports]2024_12.13-2024_12.20.md", ((2024, 12, 13), (2024, 12, 20))),
        ("[WeeklyReports]_2024_12.5-2024_12.12.md", ((2024, 12, 5), (2024, 12, 12))),
        ("[WeeklyReports] 2024.02.25~2024.03.08 周报汇总.md", ((2024, 2, 25), (2024, 3, 8))),
        ("aadiff检查_2021.10.25.md", None),
        ("notes.md", None),
        ("[WeeklyReport]2024.13.40~2024.14.01.md", None),
    ],
)
def test_file_name_variants(name, expected):
    result = parse_dates(name)
    if expected is None:
        assert result is None
    else:
        assert result == (date(*expected[0]), date(*expected[1]))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("01_alice", (1, "alice")),
        ("12_Some-User", (12, "Some-User")),
        ("alice", (None, "alice")),
        ("glcc_03_dave", (3, "dave")),
        ("ospp_erin", (None, "erin")),
        ("05_glcc_frank", (5, "frank")),
        ("99_not a login!", None),
        ("01_-bad", None),
    ],
)
def test_folder_variants(name, expected):
    assert parse_folder(name) == expected


def test_heading_variants():
    text = "### 姓名\n张三\n### 实习项目\nX\n### 本双周工作\n1. a\n#### 细节\nb\n### 下双周工作\nc\n### 导师评语\nd\n"
    parsed = parse_report(text)
    assert parsed["work"] == "1. a\n#### 细节\nb"
    assert parsed["next_work"] == "c"
    assert parsed["review"] == "d"
    assert parse_report("## 本周工作\nx\n## 下周计划\ny\n## 导师评价\nz")["next_work"] == "y"
    assert parse_report("### **本周工作**：\nx")["work"] == "x"


def test_mentors_from_readme_cards():
    assert mentors_from_readme(
        "- 👦🏻 导师: [GGBond8488](https://github.com/GGBond8488)", "zyt1024"
    ) == ["GGBond8488"]
    assert mentors_from_readme("导师：@a、@b\n学员：@me", "me") == ["a", "b"]
    assert mentors_from_readme("学员: [me](https://github.com/me)", "me") == []


def test_fixture_has_crlf_and_bom():
    raw = (EDITION_DIR / "02_bob" / "[WeeklyReport]2024.7.15-2024.7.28.md").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw


def run_import():
    out = StringIO()
    call_command("import_camp", str(FIXTURE), "--edition", "7", stdout=out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_import_fixture_tree(media):
    out = run_import()
    edition = Edition.objects.get(number=7)
    cohort = Cohort.objects.get(edition=edition)
    assert (cohort.start_date, cohort.end_date) == (date(2024, 7, 15), date(2024, 9, 22))
    assert cohort.periods.count() == 5
    assert cohort.state == Cohort.State.FINISHED
    assert cohort.reports_public  # as the public repository was

    # persons from folder names and README cards, with names from ### 姓名
    for login in ["alice", "bob", "carol", "dave", "erin", "frank", "gina-real"]:
        assert Person.objects.by_login(login).exists(), login
    for login in ["mentor-a", "mentor-b", "mentor-c", "mentor-d", "mentor-e", "mentor-g"]:
        assert Person.objects.by_login(login).exists(), login
    assert Person.objects.get(github="bob").name == "鲍勃"
    assert not Person.objects.by_login("Gina").exists()  # the README's 学员 login wins

    mentorships = {
        m.mentee.github: m for m in Mentorship.objects.select_related("mentee", "project", "cohort")
    }
    assert set(mentorships) == {"alice", "bob", "carol", "dave", "erin", "frank", "gina-real"}
    assert mentorships["alice"].project.number == 1
    assert mentorships["alice"].project.title == "PIR 算子适配"
    assert mentorships["carol"].project == mentorships["alice"].project  # placed by 实习项目
    assert mentorships["frank"].project.number == 2  # 实习项目 says 项目二
    assert mentorships["frank"].cohort == cohort  # the lower-case hackathon_7th folder
    assert mentorships["gina-real"].project.number == 6
    # GLCC and OSPP folders: cohorts of their own programmes, not the camp's project 3
    dave, erin = mentorships["dave"], mentorships["erin"]
    assert (dave.cohort.programme.slug, dave.cohort.edition) == ("glcc", None)
    assert (dave.project.number, dave.project.title) == (3, "GLCC 项目")
    assert erin.cohort.programme.slug == "ospp"
    assert erin.project.title == "OSPP 项目"
    assert not Project.objects.filter(cohort=cohort, number=3).exists()
    assert sorted(m.github for m in mentorships["bob"].mentors.all()) == ["mentor-b", "mentor-c"]
    assert [m.github for m in mentorships["alice"].mentors.all()] == ["mentor-a"]
    assert list(mentorships["alice"].project.mentors.values_list("github", flat=True)) == [
        "mentor-a"
    ]
    # a late joiner joined with their first report
    assert timezone.localtime(mentorships["gina-real"].locked_at).date() == date(2024, 8, 12)

    # reports carry their own dates and count for the periods they overlap
    alice = {r.period.number: r for r in Report.objects.filter(mentorship=mentorships["alice"])}
    assert sorted(alice) == [1, 2, 3, 4, 5]  # the copy in hackathon_7th/ imported once
    assert (alice[1].start_date, alice[1].end_date) == (date(2024, 7, 15), date(2024, 7, 28))
    assert alice[1].state == Report.State.REVIEWED
    assert alice[1].review.text == "进展顺利，继续加油！"
    assert alice[1].review.mentor.github == "mentor-a"
    assert alice[1].pr_links == ["https://github.com/PaddlePaddle/Paddle/pull/65001"]
    assert "#### 小结" in alice[1].work  # other headings stay inside the section
    for number in (2, 3, 4):  # 请联系导师填写 / none / blank: not reviewed
        assert alice[number].state == Report.State.SUBMITTED, number
        assert not Review.objects.filter(report=alice[number]).exists()
    assert alice[4].work == "没有扩展名的周报"
    assert alice[5].review.text == "1. 本期完成得很好。"  # placeholder line stripped
    # the image is carried into media and its link rewritten; the broken PDF is refused
    assert "/media/camp/attachments/7th/01_alice/images/diagram.png" in alice[3].work
    assert (media / "camp/attachments/7th/01_alice/images/diagram.png").is_file()
    assert "(./slides.pdf)" in alice[3].work

    bob = sorted(Report.objects.filter(mentorship=mentorships["bob"]), key=lambda r: r.start_date)
    assert [(r.start_date, r.end_date) for r in bob] == [
        (date(2024, 7, 15), date(2024, 7, 28)),
        (date(2024, 7, 16), date(2024, 7, 28)),  # two reports in one period: both kept
        (date(2024, 8, 1), date(2024, 8, 11)),
    ]
    assert bob[0].work.startswith("修复子图")  # BOM + CRLF + 本双周工作
    assert "\r" not in bob[0].work
    assert bob[0].next_work == "修复更多子图"  # 下周计划
    assert bob[0].review.text == "很好"  # 导师评价
    assert bob[0].review.mentor is None  # two mentors: author unknown
    assert bob[2].next_work == "继续"  # 下双周工作
    assert bob[2].review.text == "认真负责"  # 导师评语

    frank = sorted(
        Report.objects.filter(mentorship=mentorships["frank"]), key=lambda r: r.start_date
    )
    assert [r.period.number for r in frank] == [1, 1]  # weekly reports in one biweekly period
    assert "第二行：学校与专业" in frank[0].header_notes  # every line under 姓名 kept
    assert "/media/camp/attachments/7th/frank/pic.png" in frank[0].work

    gina = Report.objects.get(mentorship=mentorships["gina-real"])
    assert (gina.start_date, gina.end_date) == (date(2024, 8, 12), date(2024, 8, 25))  # typo
    assert gina.work == "周报内容没有用模板的标题。\n这一期做了算子的单测。"  # kept whole

    carol = Report.objects.get(mentorship=mentorships["carol"])
    assert (carol.period.number, carol.state) == (2, Report.State.SUBMITTED)
    assert Report.objects.count() == 14

    # the summary counts every file and says what it could not place or changed
    for fragment in [
        "notes.md: no date range",
        "carol: no mentor found",
        "99_not a login!: folder name",
        "dates in the name corrected to 2024-08-12~2024-08-25",
        "README names the mentee gina-real",
        "the same report as",
        "slides.pdf: refused",
        "duplicates: 1",
        "dates corrected: 1",
    ]:
        assert fragment in out, fragment
    assert "reports created: 14" in out


@pytest.mark.django_db
def test_import_is_idempotent(media):
    run_import()
    counts = (
        Person.objects.count(),
        Mentorship.objects.count(),
        Report.objects.count(),
        Review.objects.count(),
        Project.objects.count(),
        Cohort.objects.count(),
    )
    first = {r.pk: (r.work, r.state) for r in Report.objects.all()}
    out = run_import()
    assert "reports created: 0, updated: 0, unchanged: 14" in out
    assert "attachments copied: 0" in out
    assert (
        Person.objects.count(),
        Mentorship.objects.count(),
        Report.objects.count(),
        Review.objects.count(),
        Project.objects.count(),
        Cohort.objects.count(),
    ) == counts
    assert {r.pk: (r.work, r.state) for r in Report.objects.all()} == first


@pytest.mark.django_db
def test_every_edition_without_the_option(media):
    out = StringIO()
    call_command("import_camp", str(FIXTURE), stdout=out)
    assert "/camp/7th/" in out.getvalue() and "/camp/glcc-7th/" in out.getvalue()
    assert Report.objects.count() == 14


@pytest.mark.django_db
def test_check_command_measures_the_import(media):
    run_import()
    out = StringIO()
    call_command("check_camp_import", str(FIXTURE), stdout=out)
    first = out.getvalue().splitlines()[0]
    # every dated file is whole except alice's with the refused PDF; 99_not a login! is not
    # imported at all
    assert first.startswith("report files: 16, arrived whole: 14"), out.getvalue()
    assert "slides.pdf" in out.getvalue() and "not imported" in out.getvalue()


@pytest.mark.django_db
def test_import_does_not_overwrite_site_reports(media):
    run_import()
    report = Report.objects.get(mentorship__mentee__github="alice", period__number=1)
    Report.objects.filter(pk=report.pk).update(source_path="")
    report.refresh_from_db()
    report.work = "written on the site"
    report.save()
    result = import_camp(FIXTURE, 7)
    report.refresh_from_db()
    assert report.work == "written on the site"
    assert any("written on the site" in problem for problem in result.problems)


@pytest.mark.django_db
def test_missing_edition_folder_is_reported(tmp_path):
    result = import_camp(tmp_path, 3)
    assert result.cohort is None
    assert "Hackathon_3th" in result.problems[0]


def test_bad_checkout_is_a_command_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_camp", str(tmp_path / "missing"), "--edition", "7")


def test_readme_ignores_email_addresses_and_bad_logins():
    text = "导师: [mentor-x](https://github.com/mentor-x)，邮箱 mentor@baidu.com，@--bad @ok-login"
    assert mentors_from_readme(text, "me") == ["mentor-x", "ok-login"]


@pytest.mark.django_db
def test_reports_outside_an_existing_cohort_are_reported(media):
    out = StringIO()
    call_command(
        "import_camp",
        str(FIXTURE),
        "--edition",
        "7",
        "--start",
        "2024-07-15",
        "--end",
        "2024-08-11",
        stdout=out,
    )
    text = out.getvalue()
    assert "fall outside the cohort's periods" in text
    assert Cohort.objects.get(edition__number=7).periods.count() == 2
    assert not Report.objects.filter(period__number__gt=2).exists()


@pytest.mark.django_db
def test_sitemap_lists_cohorts_and_projects(client, media):
    run_import()
    content = client.get("/sitemap.xml").content.decode()
    assert "/camp/7th/" in content
    assert "/camp/7th/projects/1/" in content


@pytest.mark.django_db
def test_a_failing_folder_is_reported_and_the_rest_imported(monkeypatch, media):
    from camp import importer

    original = importer._import_mentee

    def flaky(result, checkout, cohort, periods, mentee, *args):
        if mentee.path.name == "02_bob":
            raise ValueError("boom")
        return original(result, checkout, cohort, periods, mentee, *args)

    monkeypatch.setattr(importer, "_import_mentee", flaky)
    result = import_camp(FIXTURE, 7)
    assert any("02_bob: could not be imported: boom" in problem for problem in result.problems)
    assert Mentorship.objects.filter(mentee__github="alice").exists()
    assert not Mentorship.objects.filter(mentee__github="bob").exists()
