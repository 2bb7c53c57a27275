"""On a new site (no posts, editions, cohorts, events or members yet) every list says it is
empty and where to go, in both languages, instead of showing a bare heading."""

import pytest

from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = {
    "/": ("No posts yet.", "还没有文章。"),
    "/blog/": ("No posts yet.", "还没有文章。"),
    "/search/?q=nothing": ("Nothing found for “nothing”.", None),
    "/hackathon/": ("No edition yet.", None),
    "/camp/": ("No cohorts yet.", None),
    "/events/": ("No events are planned right now.", None),
    "/members/": ("No members are listed yet.", None),
    "/people/nobody/": ("Nothing here yet.", None),
}
SIGNED_IN = {
    "/events/mine/": "You have not registered for any event yet.",
    "/join/status/": "You have not applied yet.",
    "/camp/me/": "you are not a mentee of any cohort.",
    "/camp/reviews/": "No report is waiting for your review.",
}


@pytest.mark.parametrize("path", list(PUBLIC))
def test_public_lists_say_they_are_empty(client, path):
    PersonFactory(github="nobody")
    english, chinese = PUBLIC[path]
    assert english in client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert english not in page
    if chinese:
        assert chinese in page


@pytest.mark.parametrize("path", list(SIGNED_IN))
def test_personal_lists_say_they_are_empty(client, path):
    client.force_login(UserFactory())
    assert SIGNED_IN[path] in client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
