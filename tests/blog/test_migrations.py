"""The rename of Post.status to state keeps every post's value, and the data migration renders
the stored HTML again with today's renderer."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("blog", "0002_credited_name")]


@pytest.mark.django_db(transaction=True)
def test_status_becomes_state_and_html_is_rendered_again():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("blog")
    try:
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        OldPost = old.get_model("blog", "Post")
        OldPost.objects.create(
            slug="kept", title="Kept", body="## 一、背景\n\n$x^2$", body_html="<p>old</p>",
            status="published",
        )  # fmt: skip
        OldPost.objects.create(slug="draft", title="Draft", body="draft", status="draft")

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        new = MigrationExecutor(connection).loader.project_state(latest).apps
        NewPost = new.get_model("blog", "Post")
        assert dict(NewPost.objects.values_list("slug", "state")) == {
            "kept": "published",
            "draft": "draft",
        }
        kept = NewPost.objects.get(slug="kept")
        assert '<h2 id="一、背景">' in kept.body_html and "<math" in kept.body_html
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
