"""The old blog's components, styles and links, with fixtures written for these tests."""

import re
import textwrap

import pytest
from django.urls import reverse
from PIL import Image

from blog.importer import BlogImporter
from blog.models import Page, Post
from blog.rendering import dedent_message, render_post_markdown, style_classes
from common import limits
from tests.blog.factories import PostFactory

pytestmark = pytest.mark.django_db

FRONT = (
    "---\ntitle: {title}\ndate: 2025-01-0{day}\nauthor:\n  name: 测试\n  github: tester\n---\n\n"
)


def write_post(root, slug, body, day=1, title=None):
    folder = root / "src" / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.md").write_text(
        FRONT.format(title=title or slug, day=day) + textwrap.dedent(body), encoding="utf-8"
    )


def image_file(path, color="red", fmt="JPEG", **save):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (32, 24), color).save(path, fmt, **save)


@pytest.mark.parametrize(
    "message",
    [
        "文字不缩进。\n",
        "   三个空格缩进的文字。\n   第二行。\n",
        "    四个空格缩进，不是代码。\n",
        "      六个空格缩进，也不是代码。\n",
        "    先缩进四格。<br>\n    又一段。\n\n![照片](/media/a.jpg)\n",
    ],
)
def test_chat_bubbles_with_any_indentation_are_text_not_code(message):
    body = (
        '<MessageBox>\n   <Message name="小桨" github="paddle-bot">\n'
        + message
        + "   </Message>\n</MessageBox>\n"
    )
    html = render_post_markdown(body).html
    assert "<pre" not in html and "<code" not in html
    assert '<div class="chat-bubble"><p>' in html
    assert '<span class="chat-name">小桨</span>' in html


def test_dedent_keeps_nested_structure():
    assert dedent_message("\n   - a\n     - b\n") == "- a\n  - b"


def test_styles_become_classes_of_the_fixed_scale():
    assert style_classes("width: 46%") == ["w-45"]
    assert style_classes("width:100%;") == ["w-100"]
    assert style_classes(
        "display: block; margin: 0 auto; max-width: 450px; max-height: 500px; object-fit: contain;"
    ) == ["mw-450", "mh-500", "block-center", "fit-contain"]
    assert style_classes("max-width: min(100%, 800px)") == ["mw-800"]
    assert style_classes("display: flex; justify-content: center; gap: 16px") == [
        "figure-row",
        "center",
    ]
    assert style_classes("color: red; font-size: 1em") == []


def test_styles_in_a_post_become_classes_but_code_samples_keep_theirs():
    html = render_post_markdown(
        '<figure style="width: 40%; height: auto;">\n  <img src="/media/a.jpg" alt="a" '
        'style="max-width: 450px">\n</figure>\n\n'
        "```python\nhtml = f'<div style=\"{style}\">'\n```\n"
    ).html
    assert '<figure class="w-40">' in html
    assert 'class="mw-450"' in html
    assert not re.search(r"<[a-z][^<>]*\sstyle=", html)  # no real tag keeps a style
    assert '&lt;div style="' in html  # the code sample keeps its text


def test_media_components_become_captioned_players():
    html = render_post_markdown(
        '<PodcastPlayer\n   title="赛博播客：第一期"\n   subtitle="边走边听"\n'
        '   src="/media/blog/media/ep1.mp3"\n   duration="15 分钟"\n   note="支持倍速播放"\n/>\n\n'
        '<ClipPlayer title="花絮" src="https://blog-video.bj.bcebos.com/clip.mp4" />\n'
    ).html
    assert '<figure class="media-player media-audio">' in html
    assert '<span class="media-title">赛博播客：第一期</span>' in html
    assert '<span class="media-subtitle">边走边听</span>' in html
    assert '<audio controls="" preload="none" src="/media/blog/media/ep1.mp3">' in html
    assert "15 分钟 · 支持倍速播放" in html
    assert (
        '<video controls="" preload="none" src="https://blog-video.bj.bcebos.com/clip.mp4">' in html
    )
    assert "PodcastPlayer" not in html


@pytest.fixture
def checkout(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    root = tmp_path / "blog"
    write_post(
        root,
        "podcast",
        """\
        ## 播客速听

        <PodcastPlayer
           title="第一期"
           :src="EpisodeAudio"
           duration="3 分钟"
        />

        <script setup>
        import Message from '../.vitepress/components/Message.vue'
        import EpisodeAudio from '../images/podcast/episode.mp3'
        import PodcastPlayer from '../.vitepress/components/PodcastPlayer.vue'
        </script>

        ![三维照片](../images/podcast/stereo.jpg)

        ![坏图](../images/podcast/broken.jpg)

        往期：[上一篇](https://pfcc.blog/posts/older)，[不存在](https://pfcc.blog/posts/nowhere)
        """,
        day=2,
    )
    write_post(root, "older", "旧文章，见 [新的](./podcast.md)。\n", day=1)
    (root / "src" / "about.md").write_text(
        "---\nlayout: about\ntitle: 关于我们\n---\n\n## 关于我们\n\n"
        "置顶博客 [【播客】](./posts/podcast.md)\n\n"
        '<p align="center">\n   <img src="./images/about/team.jpg" '
        'style="max-width: min(100%, 800px)" />\n</p>\n',
        encoding="utf-8",
    )
    folder = root / "src" / "images" / "podcast"
    folder.mkdir(parents=True)
    (folder / "episode.mp3").write_bytes(b"ID3 not really sound")
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    first.save(folder / "stereo.jpg", "MPO", save_all=True, append_images=[second])
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff not a whole jpeg")
    image_file(root / "src" / "images" / "about" / "team.jpg")
    return root


def test_import_follows_script_imports_takes_mpo_and_survives_a_bad_image(checkout, settings):
    assert Image.open(checkout / "src" / "images" / "podcast" / "stereo.jpg").format == "MPO"
    report = BlogImporter(checkout).run()

    assert report.skipped == []
    post = Post.objects.get(slug="podcast")
    # The <script setup> import is followed: the sound file is in media, the player plays it.
    assert ":src" not in post.body and "/media/blog/media/" in post.body
    assert '<figure class="media-player media-audio">' in post.body_html
    assert '<span class="media-title">第一期</span>' in post.body_html
    assert report.converted["script imports followed"] == 1
    # The MPO photo is stored as a JPEG of its first frame.
    image = post.images.get(original_path="podcast/stereo.jpg")
    with Image.open(image.image.path) as stored:
        assert stored.format == "JPEG" and getattr(stored, "n_frames", 1) == 1
        assert stored.getpixel((5, 5))[0] > 200  # red: the first frame
    # The broken image is reported and left as a link; the post is there all the same.
    assert ("podcast", "podcast/broken.jpg") in [(s, r) for s, r, _why in report.refused_images]
    assert "../images/podcast/broken.jpg" in post.body
    assert "Image refused in podcast: podcast/broken.jpg" in "\n".join(report.lines())


def test_links_between_posts_point_at_the_portals_posts(checkout):
    BlogImporter(checkout).run()
    podcast, older = Post.objects.get(slug="podcast"), Post.objects.get(slug="older")
    assert f'href="{older.get_absolute_url()}"' in podcast.body_html
    assert 'href="https://pfcc.blog/posts/nowhere"' in podcast.body_html
    assert f'href="{podcast.get_absolute_url()}"' in older.body_html
    assert "pfcc.blog/posts/older" in podcast.body  # the source keeps what the author wrote


def test_about_md_becomes_the_about_page(checkout, client):
    report = BlogImporter(checkout).run()
    assert report.pages == ["about"]
    page = Page.objects.get(slug="about")
    assert page.title == "关于我们"
    response = client.get(reverse("blog:about"))
    body = response.content.decode()
    assert response.status_code == 200 and "<h1>关于我们</h1>" in body
    assert f'href="{Post.objects.get(slug="podcast").get_absolute_url()}"' in body
    assert 'class="mw-800"' in body and "/media/blog/pages/" in body
    assert reverse("blog:about") in client.get(reverse("blog:index")).content.decode()
    assert BlogImporter(checkout).run().pages == []  # unchanged the second time


def test_a_post_saved_later_links_to_posts_that_exist_by_then():
    post = PostFactory(body="见 https://pfcc.blog/posts/later-post 。")
    assert "https://pfcc.blog/posts/later-post" in post.body_html
    assert "https://pfcc.blog/posts/later-post" in post.body_html
    later = PostFactory(slug="later-post")
    post.save()
    assert f'href="{later.get_absolute_url()}"' in post.body_html


def test_preview_refuses_text_over_the_limit(staff_client):
    url = reverse("blog:preview")
    response = staff_client.post(url, {"body": "a" * (limits.DOCUMENT + 1)})
    assert response.status_code == 400
    assert f"{limits.DOCUMENT:,}" in response.content.decode()
    response = staff_client.post(url, {"body": "**ok**"})
    assert response.status_code == 200 and "<strong>ok</strong>" in response.content.decode()


def test_csp_allows_media_from_the_configured_hosts_only(client, settings):
    PostFactory(slug="csp")
    header = client.get("/blog/csp/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    for directive in ("img-src", "media-src"):
        hosts = set(directives[directive].split())
        assert set(settings.PFCC_MEDIA_HOSTS) <= hosts
        assert "https://blog-video.bj.bcebos.com" in hosts
        assert "https://raw.githubusercontent.com" in hosts
        assert hosts - set(settings.PFCC_MEDIA_HOSTS) <= {"'self'", "data:"}


def test_media_hosts_come_from_the_environment():
    from tests.pfcc.test_settings import run_manage

    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_CSP['media-src'])",
        env_overrides={"PFCC_MEDIA_HOSTS": "https://cdn.example.org"},
    )
    assert result.returncode == 0, result.stderr
    assert "https://cdn.example.org" in result.stdout and "bcebos" not in result.stdout


def test_compare_with_the_markdown_it_reference(tmp_path, settings):
    from blog.compare import compare_checkout

    settings.MEDIA_ROOT = tmp_path / "media"
    root = tmp_path / "cmp"
    write_post(
        root,
        "plain",
        """\
        开头。

        <!-- more -->

        步骤：
        - 第一步
          - 两格缩进的子项
        - 第二步

        > 一段引用

        > 另一段引用

        | 列 | 值 |
        |:--|--:|
        | a | 1 |

        公式 $a_i^2$ 与 https://github.com/PaddlePaddle/Paddle/pull/1 。
        """,
    )
    write_post(
        root,
        "bubble",
        '<MessageBox>\n<Message name="甲" github="a">\n用 `code` 写的\n</Message>\n</MessageBox>\n',
        day=2,
    )
    BlogImporter(root).run()
    compared, differences = compare_checkout(root)
    assert compared == 2
    # Markdown inside a bubble is rendered here; the old blog left it as raw text.
    assert [difference.slug for difference in differences] == ["bubble"]
