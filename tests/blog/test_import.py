import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from blog.importer import BlogImporter
from blog.models import Category, Post, PostAuthor, PostImage, Tag
from pfcc.models import Person

pytestmark = pytest.mark.django_db

SEEDS = {
    "hackathon-5th-episode03": {
        "title": "PaddlePaddle Hackathon Episode 03 | 创新碰撞，技术狂欢，飞桨黑客马拉松第五期活动圆满收官！",
        "date": dt.date(2023, 12, 25),
        "authors": [("Tulip-hua", "花花"), ("Ligoml", "梦师傅")],
        "category": "community-activity",
        "excerpt": "让我们看看哪些最强“Hacker”脱颖而出！",
        "images": [
            "hackathon-5th/track-1.jpg",
            "hackathon-5th/track-2.jpg",
            "hackathon-5th/track-3.jpg",
        ],
        "text": [
            "## 01 - 高手云集的飞桨黑客松活动",
            "原文链接：https://mp.weixin.qq.com/s/Yjvwj8br84sPard1lLoNOQ",
        ],
    },
    "hackathon-7th-summary": {
        "title": "PaddlePaddle Hackathon | 再攀高峰！飞桨黑客马拉松第七期圆满落幕",
        "date": dt.date(2025, 1, 26),
        "authors": [("sunzhongkai588", "孙钟恺")],
        "category": None,
        "excerpt": "飞桨黑客马拉松第七期，老赛制，新赛题，熟悉的配方，不一样的味道！",
        "images": ["hackathon-7th/list1.png", "hackathon-7th/list2.png", "hackathon-7th/list3.png"],
        "text": ["### 三、Fundable Projects", "戳这里看飞桨开源社区故事 ➡️ https://pfcc.blog/"],
    },
    "hackathon-5th-monthly-report-2": {
        "title": "【飞桨黑客松-月报】第五期活动上线8周，框架赛道提交率近90%（11.4-12.1）",
        "date": dt.date(2023, 12, 1),
        "authors": [("Ligoml", "梦师傅"), ("Tulip-hua", "花花")],
        "category": None,
        "excerpt": "",
        "images": [f"hackathon-5th-monthly-report-2/monthly-report-2-{n}.png" for n in range(1, 5)],
        "text": ["## 三大赛道进展同步", "黑客松项目团队"],
    },
}
LEFTOVERS = ["title:", "author:", "github:", "co_authors", "category:", "<!-- more", "&lt;!--"]


def rows():
    return {
        "posts": sorted(Post.objects.values_list("slug", "title", "date", "category_id", "body")),
        "authors": sorted(PostAuthor.objects.values_list("post__slug", "person__github", "order")),
        "images": sorted(PostImage.objects.values_list("post__slug", "original_path", "image")),
        "persons": Person.objects.count(),
        "categories": Category.objects.count(),
        "tags": Tag.objects.count(),
    }


@pytest.mark.parametrize("slug", SEEDS)
def test_seed_post_imports_field_by_field(seed_checkout, slug):
    report = BlogImporter(seed_checkout).run()
    assert report.skipped == []
    expected = SEEDS[slug]
    post = Post.objects.with_relations().get(slug=slug)
    assert post.title == expected["title"]
    assert post.date == expected["date"]
    assert [(c.person.github, c.name) for c in post.credits] == expected["authors"]
    assert (post.category.slug if post.category else None) == expected["category"]
    assert post.excerpt == expected["excerpt"]
    if expected["excerpt"]:
        assert expected["excerpt"] in post.excerpt_html
    else:
        assert post.excerpt_html == ""
    assert post.state == Post.State.PUBLISHED and post.is_live
    assert post.source_path == f"src/posts/{slug}.md"
    for text in expected["text"]:
        assert text in post.body
    for leftover in LEFTOVERS:
        assert leftover not in post.body_html, leftover
    assert not post.body.startswith("---\ntitle")
    assert not re.search(r"</?(Message|MessageBox|script|style)\b", post.body_html)
    # Images: copied into media, links rewritten, nothing left pointing at ../images/.
    images = {image.original_path: image for image in post.images.all()}
    assert sorted(images) == sorted(expected["images"])
    for image in images.values():
        assert image.alt
        assert image.image.url in post.body_html
        assert Path(image.image.path).is_file()
    assert "../images/" not in post.body_html


def test_the_name_credited_on_a_post_is_kept_for_a_known_person(seed_checkout):
    from tests.factories import PersonFactory

    PersonFactory(github="SunZhongKai588", name="Another name")
    BlogImporter(seed_checkout).run()
    post = Post.objects.with_relations().get(slug="hackathon-7th-summary")
    assert post.authors[0].github == "SunZhongKai588"  # found again, whatever the case
    assert post.credits[0].name == "孙钟恺"
    assert Person.objects.filter(github__iexact="sunzhongkai588").count() == 1


def test_bare_addresses_become_links(seed_checkout):
    BlogImporter(seed_checkout).run()
    post = Post.objects.get(slug="hackathon-5th-episode03")
    assert '<a href="https://github.com/PaddlePaddle/Paddle/issues/57262"' in post.body_html


def test_seed_headings_get_ids_and_a_table_of_contents(seed_checkout):
    BlogImporter(seed_checkout).run()
    post = Post.objects.get(slug="hackathon-5th-episode03")
    assert 'id="_01-高手云集的飞桨黑客松活动"' in post.body_html
    assert "01 - 高手云集的飞桨黑客松活动" in post.toc_html
    assert post.show_toc


def test_import_twice_gives_the_same_rows(seed_checkout):
    first = BlogImporter(seed_checkout).run()
    assert sorted(first.created) == sorted(SEEDS)
    before = rows()
    second = BlogImporter(seed_checkout).run()
    assert second.created == [] and second.updated == []
    assert sorted(second.unchanged) == sorted(SEEDS)
    assert rows() == before


def test_reimport_updates_a_changed_post_without_duplicating(seed_checkout):
    BlogImporter(seed_checkout).run()
    path = seed_checkout / "src" / "posts" / "hackathon-7th-summary.md"
    path.write_text(path.read_text().replace("再攀高峰", "再攀新高峰"), encoding="utf-8")
    image = seed_checkout / "src" / "images" / "hackathon-7th" / "list1.png"
    from blog.seed import draw_placeholder

    draw_placeholder(image, "changed", 3)
    report = BlogImporter(seed_checkout).run()
    assert report.updated == ["hackathon-7th-summary"]
    assert Post.objects.count() == 3
    post = Post.objects.get(slug="hackathon-7th-summary")
    assert "再攀新高峰" in post.title
    assert post.images.count() == 3
    assert PostAuthor.objects.filter(post=post).count() == 1
    # An image the post no longer shows goes; the body's other images stay.
    path.write_text(path.read_text().replace("![list_3](../images/hackathon-7th/list3.png)", ""))
    assert BlogImporter(seed_checkout).run().updated == ["hackathon-7th-summary"]
    assert sorted(post.images.values_list("original_path", flat=True)) == [
        "hackathon-7th/list1.png",
        "hackathon-7th/list2.png",
    ]


def test_missing_image_files_are_reported_not_fatal(bare_seed_checkout):
    report = BlogImporter(bare_seed_checkout).run()
    assert sorted(report.created) == sorted(SEEDS)
    assert len(report.missing_images) == 10
    assert ("hackathon-5th-episode03", "hackathon-5th/track-1.jpg") in report.missing_images
    assert PostImage.objects.count() == 0
    assert any("Missing image" in line for line in report.lines())


def test_fixture_edge_cases(fixture_checkout):
    report = BlogImporter(fixture_checkout).run()
    skipped = dict(report.skipped)
    assert set(skipped) == {"broken-yaml.md", "no-front-matter.md", "bad-date.md"}
    assert "YAML" in skipped["broken-yaml.md"]
    assert "front matter" in skipped["no-front-matter.md"]
    assert "date" in skipped["bad-date.md"]
    assert sorted(report.created) == ["chat-story", "no-category"]

    post = Post.objects.with_relations().get(slug="chat-story")
    assert post.date == dt.date(2024, 2, 6)
    assert [p.github for p in post.authors] == ["wenxiaohahaha", "sunzhongkai588", "luotao1"]
    assert post.category.slug == "developer-story"
    assert post.excerpt.startswith("嘿，你知道飞桨社区里的 DDL 战士是谁么")
    html = post.body_html
    # Chat bubbles become plain HTML with classes, Markdown inside rendered.
    assert html.count('class="chat-message chat-left"') == 1
    assert html.count('class="chat-message chat-right"') == 1
    assert 'src="https://github.com/luotao1.png?size=80"' in html
    assert '<span class="chat-name">涛姐</span>' in html
    assert "<strong>鼓励大家多多参加开源活动</strong>" in html
    # Answers indented the CommonMark way (3 spaces) stay inside their numbered question.
    assert re.search(
        r"<li>\s*<p><strong>涛姐，给大家介绍一下自己吧!</strong></p>\s*<p><strong>涛姐：</strong>",
        html,
    )
    # Script and style blocks dropped; audio and video kept, sanitised.
    assert "import Message" not in post.body and "text-align" not in post.body
    assert "<audio" in html and "<video" in html and "onplay" not in html
    # Figures side by side, images from a folder that is not the slug, double slashes.
    assert '<div class="figure-row spread">' in html
    assert '<figure class="w-45">' in html  # style="width: 46%", rounded down to the scale
    assert "<figcaption>18 年 Paddle 团建</figcaption>" in html
    assert {i.original_path for i in post.images.all()} == {
        "tao-story/tao-01.jpeg",
        "tao-story/tao-02.png",
    }
    assert 'alt="18年paddle团建图"' in html
    assert 'class="toc"' in html and not post.show_toc
    assert ("chat-story", "tao-story/missing.jpg") in report.missing_images
    assert report.dropped["script blocks"] == 1
    assert report.dropped["style blocks"] == 1
    assert report.dropped["unknown front matter keys"] == 1
    assert report.converted["chat messages"] == 2
    assert report.converted["images"] == 4
    assert any("'layout'" in warning for warning in report.warnings)
    assert any("FancyWidget" in warning for warning in report.warnings)

    plain = Post.objects.get(slug="no-category")
    assert plain.category is None and plain.pinned and plain.excerpt == ""
    # Reference-style and URL-encoded image links are found and rewritten too.
    assert {i.original_path for i in plain.images.all()} == {
        "tao-story/tao-02.png",
        "tao-story/tao%2002.png",
    }
    assert "../images/" not in plain.body_html
    assert 'alt="diagram"' in plain.body_html


def test_command_prints_the_summary(fixture_checkout):
    out = io.StringIO()
    call_command("import_blog", str(fixture_checkout), stdout=out)
    text = out.getvalue()
    assert "2 created, 0 updated, 0 unchanged, 3 skipped" in text
    assert "Skipped broken-yaml.md" in text
    assert "Converted:" in text and "2 chat messages" in text
    assert "Dropped:" in text and "1 script blocks" in text
    assert (
        "dropped from chat-story: 1 script blocks, 1 style blocks, 1 unknown front matter keys"
        in text
    )
    assert "Missing image in chat-story: tao-story/missing.jpg" in text
    out = io.StringIO()
    call_command("import_blog", str(fixture_checkout), stdout=out)
    assert "0 created, 0 updated, 2 unchanged" in out.getvalue()


def test_command_rejects_a_folder_without_posts(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_blog", str(tmp_path), stdout=io.StringIO())


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    before = rows()
    # The blog's three demo posts, and the progress report (月报) the progress app drafts.
    assert len(before["posts"]) == 4
    assert (
        sum(slug.startswith("hackathon-") and "progress" in slug for slug, *_ in before["posts"])
        == 1
    )
    assert PostImage.objects.count() == 10
    call_command("seed_demo", stdout=io.StringIO())
    assert rows() == before
