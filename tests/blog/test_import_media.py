"""Sound and video files referenced by posts come across with them."""

import pytest

from blog.importer import BlogImporter
from blog.models import Post

pytestmark = pytest.mark.django_db

POST = """---
title: 播客第一期
date: 2024-05-01
author:
  name: 花花
  github: Tulip-hua
---

<audio controls src="../images/podcast-1/episode.mp3"></audio>

<video controls poster="../images/podcast-1/cover.png">
  <source src="../images/podcast-1/clip.mp4" type="video/mp4">
</video>

<audio controls src="../images/podcast-1/lost.mp3"></audio>
"""


@pytest.fixture
def checkout(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "src" / "posts").mkdir(parents=True)
    (tmp_path / "src" / "posts" / "podcast-1.md").write_text(POST, encoding="utf-8")
    folder = tmp_path / "src" / "images" / "podcast-1"
    folder.mkdir(parents=True)
    (folder / "episode.mp3").write_bytes(b"ID3 sound bytes")
    (folder / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 video bytes")
    from PIL import Image

    Image.new("RGB", (8, 8), "blue").save(folder / "cover.png")
    return tmp_path


def test_audio_and_video_files_are_copied_and_their_links_rewritten(checkout, settings):
    report = BlogImporter(checkout).run()

    post = Post.objects.get(slug="podcast-1")
    assert "../images/podcast-1/episode.mp3" not in post.body
    assert "../images/podcast-1/clip.mp4" not in post.body
    stored = sorted(p.name for p in (settings.MEDIA_ROOT / "blog" / "media").iterdir())
    assert len(stored) == 2 and {s.rsplit(".", 1)[1] for s in stored} == {"mp3", "mp4"}
    for name in stored:
        assert f"/media/blog/media/{name}" in post.body_html
    assert "<audio" in post.body_html and "<source" in post.body_html
    assert post.images.count() == 1  # the poster, stored as an image
    # A file that is not there is reported, its link left as it was.
    assert ("podcast-1", "podcast-1/lost.mp3") in report.missing_images
    assert "../images/podcast-1/lost.mp3" in post.body
    assert report.converted["audio and video files"] == 2


def test_reimporting_stores_each_media_file_once(checkout, settings):
    BlogImporter(checkout).run()
    body = Post.objects.get(slug="podcast-1").body
    report = BlogImporter(checkout).run()

    assert report.unchanged == ["podcast-1"]
    assert Post.objects.get(slug="podcast-1").body == body
    assert len(list((settings.MEDIA_ROOT / "blog" / "media").iterdir())) == 2
