"""Render every post of a checkout of the old blog with today's renderer and, for comparison,
with the Python-Markdown renderer it replaced (read from git at REV, default 1b21068, if the
`markdown` package is still installed). A benchmark, not a test:

    .venv/bin/python scripts/bench_markdown.py /work/data/PFCCLab+blog [--repeat 5] [--rev REV]

Prints the best of the repeats for the whole blog, for each renderer."""

import argparse
import re
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.S)


def bodies(checkout: Path) -> list[str]:
    texts = []
    for path in sorted((checkout / "src" / "posts").glob("*.md")):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        texts.append(FRONT_MATTER_RE.sub("", text, count=1))
    return texts


def old_renderer(rev: str):
    """The old blog renderer (Python-Markdown) as modules loaded from git."""

    def load(name: str, path: str, replace=()):
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:{path}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for old, new in replace:
            source = source.replace(old, new)
        module = types.ModuleType(name)
        exec(compile(source, f"{rev}:{path}", "exec"), module.__dict__)  # noqa: S102
        sys.modules[name] = module
        return module

    load("old_common_markdown", "common/markdown.py")
    rendering = load(
        "old_blog_rendering",
        "blog/rendering.py",
        replace=[("from common.markdown import", "from old_common_markdown import")],
    )
    return rendering.render_post_markdown


def best(render, texts, repeat: int, reset=lambda: None) -> float:
    timings = []
    for _ in range(repeat):
        reset()
        start = time.perf_counter()
        for text in texts:
            render(text)
        timings.append(time.perf_counter() - start)
    return min(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rev", default="1b21068")
    args = parser.parse_args()
    texts = bodies(args.checkout)
    size = sum(len(text) for text in texts)
    from blog.rendering import render_post_markdown
    from common.markdown import _mathml

    render_post_markdown(texts[0])  # build the parser once
    # Formulas are cached per process; each pass starts without, as a first render would.
    new = best(render_post_markdown, texts, args.repeat, reset=_mathml.cache_clear)
    print(f"{len(texts)} posts, {size:,} characters")
    print(f"markdown-it-py (today):   {new:.2f} s for the whole blog, best of {args.repeat}")
    try:
        import markdown  # noqa: F401
    except ImportError:
        print("Python-Markdown is not installed: no comparison.")
        return
    old = old_renderer(args.rev)
    old(texts[0])
    before = best(old, texts, args.repeat)
    print(f"Python-Markdown ({args.rev}): {before:.2f} s for the whole blog, best of {args.repeat}")
    print(f"today / before: {new / before:.2f}")


if __name__ == "__main__":
    main()
