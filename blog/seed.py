"""Demo data for the blog: the three real posts in blog/seed_posts (copies of ../shared/seeds), imported
through the real importer from a temporary checkout, with placeholder images drawn by Pillow
(the original image files are not available)."""

import re
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw

from .importer import BlogImporter, image_relative_path, parse_front_matter

SEED_DIRS = [
    Path(__file__).resolve().parent / "seed_posts",
    Path(settings.BASE_DIR).parent / "shared" / "seeds",
]
IMAGE_REF_RE = re.compile(r"(?:\]\(|src=[\"'])([^)\"'\s]+)")
PLACEHOLDER_COLOURS = ["#2932e1", "#1a7f37", "#9a6700", "#cf222e", "#0969da"]


def seed_files() -> list[Path]:
    for folder in SEED_DIRS:
        files = sorted(folder.glob("*.txt")) + sorted(folder.glob("*.md"))
        if files:
            return files
    return []


# The seeds' file names are not slugs: these are the addresses the posts had on the old blog
# (/posts/<slug>), so that old links keep working after the import.
KNOWN_SLUGS = {
    "PaddlePaddle Hackathon Episode 03": "hackathon-5th-episode03",
    "再攀高峰！飞桨黑客马拉松第七期圆满落幕": "hackathon-7th-summary",
    "【飞桨黑客松-月报】第五期活动上线8周": "hackathon-5th-monthly-report-2",
}


def slug_for(text: str, fallback: str, used: set[str]) -> str:
    meta, _ = parse_front_matter(text)
    title = str(meta.get("title", ""))
    for fragment, slug in KNOWN_SLUGS.items():
        if fragment in title and slug not in used:
            return slug
    # Otherwise the first image folder (the old blog usually named it after the post).
    for src in IMAGE_REF_RE.findall(text):
        rel = image_relative_path(src)
        if rel and "/" in rel and rel.split("/")[0] not in used:
            return rel.split("/")[0]
    return f"post-{fallback}"


def draw_placeholder(path: Path, label: str, index: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (960, 540), PLACEHOLDER_COLOURS[index % len(PLACEHOLDER_COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, 936, 516), outline="white", width=4)
    draw.text((48, 48), label, fill="white")
    fmt = {".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}.get(path.suffix.lower(), "JPEG")
    image.save(path, fmt)


def build_checkout(root: Path, files: list[Path]) -> None:
    posts = root / "src" / "posts"
    posts.mkdir(parents=True)
    used = set()
    for number, file in enumerate(files):
        text = file.read_text(encoding="utf-8-sig")
        slug = slug_for(text, f"{number}-{file.stem}", used)
        used.add(slug)
        (posts / f"{slug}.md").write_text(text, encoding="utf-8")
        for index, src in enumerate(IMAGE_REF_RE.findall(text)):
            rel = image_relative_path(src)
            if rel:
                draw_placeholder(root / "src" / "images" / rel, f"{slug}: {rel}", index)


def seed(command) -> None:
    files = seed_files()
    if not files:
        command.stdout.write("Blog: no seed posts found.")
        return
    root = Path(tempfile.mkdtemp(prefix="pfcc-blog-seed-"))
    try:
        build_checkout(root, files)
        report = BlogImporter(root).run()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    command.stdout.write(f"Blog: {report.lines()[0]}")
    for name, reason in report.skipped:
        command.stdout.write(f"Blog: skipped {name}: {reason}")
