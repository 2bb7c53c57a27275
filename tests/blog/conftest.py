import shutil
from pathlib import Path

import pytest

from blog.seed import build_checkout, draw_placeholder

SEED_POSTS = Path(__file__).resolve().parents[2] / "blog" / "seed_posts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _categories(request):
    """The data migration's categories are gone after a transactional (browser) test flushed
    the database: make sure they exist for every test that uses the database."""
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from blog.models import Category

        request.getfixturevalue("db")
        Category.objects.ensure_defaults()


@pytest.fixture
def seed_checkout(tmp_path):
    """A checkout of the old blog with the three real seed posts and placeholder images."""
    root = tmp_path / "checkout"
    build_checkout(root, sorted(SEED_POSTS.glob("*.txt")))
    return root


@pytest.fixture
def bare_seed_checkout(tmp_path):
    """The three seed posts as the brief gives them: no image files at all."""
    root = tmp_path / "bare"
    (root / "src" / "posts").mkdir(parents=True)
    build_checkout(root / "with-images", sorted(SEED_POSTS.glob("*.txt")))
    for post in (root / "with-images" / "src" / "posts").glob("*.md"):
        shutil.copy(post, root / "src" / "posts" / post.name)
    shutil.rmtree(root / "with-images")
    return root


@pytest.fixture
def fixture_checkout(tmp_path):
    """tests/blog/fixtures/checkout: edge cases (chat bubbles, broken posts, odd paths)."""
    root = tmp_path / "fixture-checkout"
    shutil.copytree(FIXTURES / "checkout", root)
    draw_placeholder(root / "src" / "images" / "tao-story" / "tao-01.jpeg", "tao-01", 0)
    draw_placeholder(root / "src" / "images" / "tao-story" / "tao-02.png", "tao-02", 1)
    draw_placeholder(root / "src" / "images" / "tao-story" / "tao 02.png", "tao 02", 2)
    return root
