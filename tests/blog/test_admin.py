import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from blog.models import Category, Post
from tests.blog.factories import PostFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#2932e1").save(buffer, "PNG")
    return buffer.getvalue()


def post_form(**overrides):
    now = timezone.localtime()
    data = {
        "title": "在后台写的文章",
        "slug": "written-in-admin",
        "date": "2025-03-01",
        "category": Category.objects.get(slug="insights").pk,
        "body": "写在后台的摘要。\n\n<!-- more -->\n\n## 正文\n\n编译器 **很快**。",
        "state": "published",
        "publish_at_0": now.strftime("%Y-%m-%d"),
        "publish_at_1": (now - dt.timedelta(minutes=5)).strftime("%H:%M:%S"),
        "authorships-TOTAL_FORMS": "2",
        "authorships-INITIAL_FORMS": "0",
        "authorships-MIN_NUM_FORMS": "0",
        "authorships-MAX_NUM_FORMS": "1000",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_a_post_written_in_the_admin_appears_everywhere(staff_client, client):
    lead, co = PersonFactory(name="作者甲"), PersonFactory(name="作者乙")
    data = post_form(
        **{
            "authorships-0-order": "0",
            "authorships-0-person": lead.pk,
            "authorships-1-order": "1",
            "authorships-1-person": co.pk,
        }
    )
    response = staff_client.post(reverse("admin:blog_post_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get(slug="written-in-admin")
    assert post.authors == [lead, co]
    assert post.excerpt == "写在后台的摘要。"
    assert "<strong>很快</strong>" in post.body_html
    client.logout()
    assert "在后台写的文章" in client.get(reverse("blog:index")).content.decode()
    assert "在后台写的文章" in client.get(reverse("blog:feed_rss")).content.decode()
    assert "在后台写的文章" in client.get(reverse("blog:feed_atom")).content.decode()
    search = client.get(reverse("blog:search"), {"q": "后台"}, follow=True)
    assert post.get_absolute_url() in search.content.decode()
    assert "在后台写的文章" in client.get(lead.get_absolute_url()).content.decode()
    assert "在后台写的文章" in client.get(co.get_absolute_url()).content.decode()


def test_a_post_scheduled_in_the_admin_waits(staff_client, client):
    later = timezone.localtime() + dt.timedelta(days=2)
    data = post_form(
        slug="later",
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M:%S"),
        **{"authorships-TOTAL_FORMS": "0"},
    )
    assert staff_client.post(reverse("admin:blog_post_add"), data).status_code == 302
    post = Post.objects.get(slug="later")
    assert post.is_scheduled
    assert client.get(post.get_absolute_url()).status_code == 200  # staff_client is client
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_image_upload_in_the_admin_requires_alt_and_a_real_image(staff_client):
    post = PostFactory()
    url = reverse("admin:blog_post_change", args=[post.pk])
    base = post_form(
        title=post.title,
        slug=post.slug,
        **{"authorships-TOTAL_FORMS": "0", "images-TOTAL_FORMS": "1"},
    )
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = staff_client.post(url, {**base, "images-0-image": fake, "images-0-alt": "x"})
    assert response.status_code == 200 and post.images.count() == 0
    good = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = staff_client.post(url, {**base, "images-0-image": good, "images-0-alt": ""})
    assert response.status_code == 200 and post.images.count() == 0
    good = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = staff_client.post(url, {**base, "images-0-image": good, "images-0-alt": "照片"})
    assert response.status_code == 302
    image = post.images.get()
    assert image.alt == "照片" and image.image.name.startswith(f"blog/{post.slug}/")
    page = staff_client.get(url).content.decode()
    assert "blog-insert-image" in page and image.markdown in page


def test_decompression_bombs_are_refused():
    from django.core.exceptions import ValidationError

    from blog.validators import validate_image_upload

    buffer = io.BytesIO()
    Image.new("1", (10000, 10000)).save(buffer, "PNG")
    upload = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(ValidationError):
        validate_image_upload(upload)


def test_admin_pages_open_for_staff(staff_client):
    post = PostFactory()
    for url in (
        reverse("admin:blog_post_changelist"),
        reverse("admin:blog_post_add"),
        reverse("admin:blog_post_change", args=[post.pk]),
        reverse("admin:blog_category_changelist"),
        reverse("admin:blog_tag_changelist"),
        reverse("admin:blog_post_changelist") + "?q=Post",
    ):
        assert staff_client.get(url).status_code == 200, url


def test_admin_actions_publish_withdraw_and_pin(staff_client):
    draft = PostFactory(state=Post.State.DRAFT)
    changelist = reverse("admin:blog_post_changelist")
    for action in ("publish_now", "pin"):
        staff_client.post(changelist, {"action": action, "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_live and draft.pinned
    staff_client.post(changelist, {"action": "withdraw", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.state == Post.State.DRAFT


def test_admin_is_closed_to_non_staff(client, user):
    url = reverse("admin:blog_post_changelist")
    assert client.get(url).status_code == 302
    client.force_login(user)
    assert client.get(url).status_code == 302


def test_markdown_preview_is_for_staff_only(client, user, staff_user):
    url = reverse("blog:preview")
    body = {"body": "# Title\n\n**bold** <script>alert(1)</script>"}
    response = client.post(url, body)
    assert response.status_code == 302  # anonymous: to the login page
    client.force_login(user)
    assert client.post(url, body).status_code == 302  # signed in, not staff
    client.force_login(staff_user)
    assert client.get(url).status_code == 405
    response = client.post(url, body)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html and "<script" not in html


def test_chat_bubbles_written_in_the_admin_render(staff_client):
    post = PostFactory(
        body='<MessageBox>\n<Message name="顺师傅" github="megemini">你好 *世界*</Message>\n'
        '<Message name="x" github="bad login!" type="right"><img src=x onerror=alert(1)></Message>\n'
        "</MessageBox>"
    )
    assert '<span class="chat-name">顺师傅</span>' in post.body_html
    assert "<em>世界</em>" in post.body_html
    assert "onerror" not in post.body_html
    assert "bad login" not in post.body_html
