"""Staff import one post from the admin: a Markdown file with its images (or a zip of both),
converted as `import_blog` converts, previewed, saved only when confirmed. Also: the body's help
text shows its syntax literally, a Chinese title suggests an address, and an image chosen
before the first save ends up in the body."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blog import admin_import
from blog.models import Post
from tests.blog.test_admin import png_bytes, post_form

pytestmark = pytest.mark.django_db

POST = """---
title: 飞桨黑客松第九期回顾
date: 2025-11-02
author:
  name: 花花
  github: huahua
co_authors:
  - name: 梦师傅
    github: mengshifu
category: community-activity
layout: post
---

第九期圆满落幕。

<!-- more -->

<script setup>
import Message from '../.vitepress/components/Message.vue'
</script>

![合影](../images/hackathon-9th-review/team.png)

<MessageBox>
<Message name="花花" github="huahua">大家好！</Message>
</MessageBox>

![缺的图](../images/hackathon-9th-review/missing.png)
"""

URL = "/admin/blog/post/import/"


def md_upload(text=POST, name="hackathon-9th-review.md"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/markdown")


def png_upload(name="team.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_preview_shows_the_converted_post_and_saves_nothing(staff_client):
    response = staff_client.post(URL, {"source": md_upload(), "images": [png_upload()]})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="import-preview"' in page
    assert "飞桨黑客松第九期回顾" in page and "/blog/hackathon-9th-review/" in page
    assert "花花 (@huahua)" in page and "梦师傅 (@mengshifu)" in page
    assert "data:image/png;base64," in page  # the uploaded image, shown before saving
    assert "hackathon-9th-review/missing.png" in page  # named as missing
    assert "chat-message" in page  # the dialogue, rendered as on the site
    assert "脚本块: 1" in page  # what the converter dropped, in the reader's language
    assert not Post.objects.exists()
    staff_client.post(URL, {"action": "cancel"})  # and cancelling removes the upload
    assert staff_client.post(URL, {"action": "save"}).status_code == 302
    assert not Post.objects.exists()


def test_confirming_saves_a_draft_with_its_images_and_authors(staff_client, client):
    staff_client.post(URL, {"source": md_upload(), "images": [png_upload()]})
    response = staff_client.post(URL, {"action": "save"})
    post = Post.objects.get(slug="hackathon-9th-review")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:blog_post_change", args=[post.pk])
    assert post.state == Post.State.DRAFT
    assert [person.github for person in post.authors] == ["huahua", "mengshifu"]
    image = post.images.get()
    assert image.image.url in post.body_html
    assert post.excerpt == "第九期圆满落幕。"
    # Saved once: confirming again finds the upload gone and says so.
    again = staff_client.post(URL, {"action": "save"}, follow=True)
    assert "expired" in again.content.decode() or "过期" in again.content.decode()
    assert Post.objects.count() == 1


def test_a_zip_with_the_post_and_its_images_publishes_when_asked(staff_client, client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/src/posts/hackathon-9th-review.md", POST)
        archive.writestr("export/src/images/hackathon-9th-review/team.png", png_bytes())
        archive.writestr("../../evil.png", png_bytes())  # never written outside the staging
        archive.writestr("__MACOSX/._team.png", b"junk")
    upload = SimpleUploadedFile("post.zip", buffer.getvalue(), content_type="application/zip")
    response = staff_client.post(URL, {"source": upload})
    assert 'data-testid="import-preview"' in response.content.decode()
    staged = response.wsgi_request.session[admin_import.SESSION_KEY]["root"]
    assert not (Path(staged).parent / "evil.png").exists()
    staff_client.post(URL, {"action": "save", "publish": "1"})
    assert not Path(staged).exists()
    post = Post.objects.get(slug="hackathon-9th-review")
    assert post.is_live and post.images.count() == 1
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("post.txt", b"hello"), "Upload a .md file or a .zip file."),
        (SimpleUploadedFile("post.zip", b"not a zip"), "not a readable zip"),
        (SimpleUploadedFile("x.md", b"no front matter here"), "no front matter"),
    ],
)
def test_bad_uploads_say_why(staff_client, upload, message):
    response = staff_client.post(URL, {"source": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Post.objects.exists()


def test_a_zip_with_two_posts_is_refused(staff_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.md", POST)
        archive.writestr("b.md", POST)
    upload = SimpleUploadedFile("two.zip", buffer.getvalue())
    response = staff_client.post(URL, {"source": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert "exactly one post" in response.content.decode()


def test_only_staff_may_import(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_change_list_offers_the_import(staff_client):
    page = staff_client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert f'href="{URL}"' in page


def test_body_help_text_shows_the_syntax_literally(staff_client):
    page = staff_client.get(reverse("admin:blog_post_add"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "&lt;!-- more --&gt;" in text
    assert "&lt;Message name=" in text and "&lt;MessageBox&gt;" in text


def test_an_empty_address_is_made_from_a_chinese_title(staff_client):
    Post.objects.create(slug="飞桨黑客松第九期回顾", title="earlier", body="x")
    data = post_form(title="飞桨黑客松第九期回顾", slug="", **{"authorships-TOTAL_FORMS": "0"})
    response = staff_client.post(reverse("admin:blog_post_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Post.objects.filter(slug="飞桨黑客松第九期回顾-2").exists()


def test_an_image_inserted_before_the_first_save_gets_its_address(staff_client):
    data = post_form(
        slug="with-photo",
        body="开头\n\n![合影](upload:team%20photo.png)\n",
        **{
            "authorships-TOTAL_FORMS": "0",
            "images-TOTAL_FORMS": "1",
            "images-0-image": png_upload("team photo.png"),
            "images-0-alt": "合影",
        },
    )
    response = staff_client.post(reverse("admin:blog_post_add"), data)
    assert response.status_code == 302
    post = Post.objects.get(slug="with-photo")
    image = post.images.get()
    assert f"![合影]({image.image.url})" in post.body
    assert f'src="{image.image.url}"' in post.body_html and "upload:" not in post.body


def test_an_abandoned_upload_is_removed_after_a_day(staff_client):
    import os
    import time

    staff_client.post(URL, {"source": md_upload()})
    abandoned = admin_import.staged_from_session(staff_client.session).root
    day_ago = time.time() - admin_import.STAGING_MAX_AGE - 60
    os.utime(abandoned, (day_ago, day_ago))
    staff_client.post(URL, {"source": md_upload()})  # someone else's upload, a day later
    assert not abandoned.exists()
    admin_import.discard(staff_client.session)


def test_an_upload_waits_in_the_shared_private_folder_not_in_this_machines_tmp(
    staff_client, settings
):
    """The confirming request may reach another application server: the upload waits under the
    private media folder they share, which no URL serves; a session naming any other folder
    (say, one in /tmp) finds nothing."""
    import shutil
    import tempfile
    from pathlib import Path

    staff_client.post(URL, {"source": md_upload()})
    staged = admin_import.staged_from_session(staff_client.session)
    assert staged.root.parent == Path(settings.PRIVATE_MEDIA_ROOT) / "blog-import"
    assert not str(staged.root).startswith(str(settings.MEDIA_ROOT))
    elsewhere = Path(tempfile.mkdtemp(prefix=admin_import.STAGING_PREFIX))
    (elsewhere / "src" / "posts").mkdir(parents=True)
    (elsewhere / "src" / "posts" / "x.md").write_text("# x\n")
    session = staff_client.session
    session[admin_import.SESSION_KEY] = {"root": str(elsewhere), "markdown": "x.md"}
    assert admin_import.staged_from_session(session) is None
    shutil.rmtree(elsewhere)
    admin_import.discard(staff_client.session)
