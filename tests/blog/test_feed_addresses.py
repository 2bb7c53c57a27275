"""Feeds and the sitemap are read away from the site (feed readers, search engines): every link
and image in them is absolute and names the site as SITE_URL says, whatever host the request
came in on."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from pfcc.apps import sync_site_record
from tests.blog.factories import PostFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://pfcc.example.org"
    sync_site_record()
    return settings.SITE_URL


def test_rss_links_and_images_are_absolute(client, site_url):
    author = PersonFactory(github="huahua")
    post = PostFactory(
        slug="seventh",
        authors=[author],
        body="Intro ![team](/media/blog/seventh/team.png)\n\n<!-- more -->\n\n"
        "[the board](/hackathon/7/) and [GitHub](https://github.com/PaddlePaddle).",
    )
    # The test client's host is "testserver", over http: neither may show.
    content = client.get(reverse("blog:feed_rss")).content.decode()
    assert "testserver" not in content and "example.com" not in content
    channel = ET.fromstring(content).find("channel")  # noqa: S314 - our own feed
    assert channel.findtext("link") == f"{site_url}/blog/"
    item = channel.find("item")
    assert item.findtext("link") == site_url + post.get_absolute_url()
    body = item.findtext(f"{CONTENT}encoded")
    assert f'src="{site_url}/media/blog/seventh/team.png"' in body
    assert f'href="{site_url}/hackathon/7/"' in body
    assert 'href="https://github.com/PaddlePaddle"' in body
    assert 'src="/media' not in item.findtext("description")


def test_atom_links_authors_and_summary_images_are_absolute(client, site_url):
    author = PersonFactory(github="huahua")
    PostFactory(authors=[author], body="![a](/media/x.png)\n\n<!-- more -->\n\nRest.")
    root = ET.fromstring(client.get(reverse("blog:feed_atom")).content)  # noqa: S314
    self_link = [link.get("href") for link in root.findall(f"{ATOM}link")]
    assert f"{site_url}/blog/feed.atom" in self_link
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}uri") == f"{site_url}/people/huahua/"
    assert f'src="{site_url}/media/x.png"' in entry.findtext(f"{ATOM}summary")


def test_sitemap_addresses_come_from_site_url(client, site_url):
    post = PostFactory()
    content = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{site_url}{post.get_absolute_url()}</loc>" in content
    assert f"<loc>{site_url}/</loc>" in content
    assert "testserver" not in content and "example.com" not in content
