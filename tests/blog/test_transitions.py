"""Publishing goes through blog.transitions: checked, in a transaction, with an audit entry,
from the admin's actions and from its form alike."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from blog import transitions
from blog.models import Post, PostEvent
from common.transitions import Actor, NotAllowed, TransitionError
from tests.blog.factories import PostFactory
from tests.blog.test_admin import post_form
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def events(post):
    return list(post.events.values_list("action", "from_state", "to_state", "actor_label"))


def test_nobody_and_non_staff_cannot_publish():
    post = PostFactory(state=Post.State.DRAFT)
    for actor in (None, UserFactory(), StaffFactory(is_superuser=False)):
        with pytest.raises(NotAllowed):
            transitions.publish(post, actor)
        with pytest.raises(NotAllowed):
            transitions.unpublish(PostFactory(), actor)
    post.refresh_from_db()
    assert post.state == Post.State.DRAFT and not PostEvent.objects.exists()


def test_staff_with_the_permission_publish_schedule_and_withdraw():
    staff = StaffFactory(username="editor")
    post = PostFactory(state=Post.State.DRAFT)
    transitions.publish(post, staff, when=timezone.now() + dt.timedelta(days=1))
    assert post.is_scheduled
    transitions.publish(post, staff)
    assert post.is_live
    transitions.unpublish(post, staff, note="typo in the title")
    post.refresh_from_db()
    assert post.state == Post.State.DRAFT
    assert events(post) == [
        ("schedule", "draft", "published", "editor"),
        ("publish", "published", "published", "editor"),
        ("unpublish", "published", "draft", "editor"),
    ]
    assert post.events.last().note == "typo in the title"
    with pytest.raises(TransitionError):
        transitions.unpublish(post, staff)  # a draft cannot be withdrawn again


def test_the_system_may_publish_for_imports():
    post = PostFactory(state=Post.State.DRAFT)
    transitions.publish(post, Actor.system("blog import"))
    assert events(post) == [("publish", "draft", "published", "blog import")]


def test_admin_actions_leave_audit_entries(staff_client, staff_user):
    draft = PostFactory(state=Post.State.DRAFT)
    live = PostFactory()
    changelist = reverse("admin:blog_post_changelist")
    staff_client.post(
        changelist, {"action": "publish_now", "_selected_action": [draft.pk, live.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_live
    assert events(draft) == [("publish", "draft", "published", staff_user.username)]
    assert events(live) == []  # already live: its time is kept
    staff_client.post(changelist, {"action": "withdraw", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.state == Post.State.DRAFT
    assert events(draft)[-1] == ("unpublish", "published", "draft", staff_user.username)


def test_the_admin_form_publishes_schedules_and_withdraws_through_transitions(
    staff_client, staff_user
):
    later = timezone.localtime() + dt.timedelta(days=3)
    data = post_form(
        slug="via-form",
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M:%S"),
        **{"authorships-TOTAL_FORMS": "0"},
    )
    assert staff_client.post(reverse("admin:blog_post_add"), data).status_code == 302
    post = Post.objects.get(slug="via-form")
    assert post.is_scheduled
    assert events(post) == [("schedule", "draft", "published", staff_user.username)]

    url = reverse("admin:blog_post_change", args=[post.pk])
    data["events-TOTAL_FORMS"] = data["events-INITIAL_FORMS"] = "1"
    data["events-0-id"] = post.events.get().pk
    data["events-0-post"] = post.pk
    assert staff_client.post(url, {**data, "state": "draft"}).status_code == 302
    post.refresh_from_db()
    assert post.state == Post.State.DRAFT
    assert events(post)[-1] == ("unpublish", "published", "draft", staff_user.username)

    # Saving the text again without touching the publication records nothing new.
    count = post.events.count()
    data["events-TOTAL_FORMS"] = data["events-INITIAL_FORMS"] = str(count)
    for index, event in enumerate(post.events.all()):
        data[f"events-{index}-id"] = event.pk
        data[f"events-{index}-post"] = post.pk
    assert staff_client.post(url, {**data, "state": "draft", "title": "New"}).status_code == 302
    assert post.events.count() == count


def test_the_import_records_its_publication(fixture_checkout):
    from blog.importer import BlogImporter

    BlogImporter(fixture_checkout).run()
    post = Post.objects.get(slug="chat-story")
    assert events(post) == [("import", "", "published", "blog import")]
    BlogImporter(fixture_checkout).run()
    assert post.events.count() == 1  # unchanged: nothing recorded twice
