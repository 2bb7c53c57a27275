"""manage.py rerender_markdown: every stored Markdown HTML field of every app, found through the
models' own `markdown_fields`, rendered again; idempotent, with counts."""

import io

import pytest
from django.core.management import call_command

from blog.models import Page, Post
from camp.models import Report
from common.rerender import markdown_models
from hackathon.models import Task
from tests.blog.factories import PostFactory
from tests.camp.factories import ReportFactory
from tests.hackathon.factories import TaskFactory

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("rerender_markdown", stdout=out)
    return out.getvalue()


def test_the_command_finds_every_model_with_stored_markdown():
    labels = {model._meta.label for model in markdown_models()}
    assert {
        "blog.Post",
        "blog.Page",
        "hackathon.Task",
        "camp.Cohort",
        "camp.Project",
        "camp.Report",
        "camp.Review",
        "events.Event",
    } <= labels


def test_stale_html_is_rendered_again_once():
    post = PostFactory(body="Lead.\n\n<!-- more -->\n\n## 一、背景\n\n$x^2$")
    task = TaskFactory(description="see https://github.com/PaddlePaddle/Paddle/pull/1")
    report = ReportFactory(work="- [x] done")
    # HTML as the old renderer stored it.
    Post.objects.filter(pk=post.pk).update(body_html="<p>old</p>", toc_html="", excerpt_html="")
    Task.objects.filter(pk=task.pk).update(description_html="<p>old</p>")
    Report.objects.filter(pk=report.pk).update(work_html="<p>old</p>")
    updated_at = Post.objects.get(pk=post.pk).updated_at

    out = run()
    assert "blog.Post: 1 checked, 1 changed" in out
    assert "hackathon.Task: 1 checked, 1 changed" in out
    assert "camp.Report: 1 checked, 1 changed" in out
    post.refresh_from_db()
    assert "<math" in post.body_html and 'id="一、背景"' in post.body_html
    assert 'href="#一、背景"' in post.toc_html and post.excerpt_html == "<p>Lead.</p>\n"
    assert post.updated_at == updated_at  # a re-render is not an edit
    assert 'href="https://github.com/PaddlePaddle/Paddle/pull/1"' in (
        Task.objects.get(pk=task.pk).description_html
    )
    assert "task-done" in Report.objects.get(pk=report.pk).work_html

    again = run()
    assert " 1 changed" not in again and "0 changed." in again


def test_pages_are_rerendered_with_the_blogs_components():
    page = Page.objects.create(
        slug="about", title="关于", body='<img src="/a.jpg" style="width: 50%">'
    )
    Page.objects.filter(pk=page.pk).update(body_html="")
    run()
    assert 'class="w-50"' in Page.objects.get(pk=page.pk).body_html
