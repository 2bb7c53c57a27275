"""Render every post of a checkout of the old blog with today's renderer and, for comparison,
with the Python-Markdown renderer it replaced (read from git at REV, default 1b21068, if the
`markdown` package is still installed). A benchmark, not a test:

    .venv/bin/python scripts/bench_markdown.py /work/data/PFCCLab+blog [--repeat 5] [--rev REV]

Prints the best of the repeats for the whole blog, for each renderer, in CPU seconds; the
renderers take turns. Python-Markdown for the comparison: `pip install --target /tmp/oldmd
Markdown==3.11.3` and `PYTHONPATH=/tmp/oldmd`."""

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


def one_pass(render, texts, reset=lambda: None) -> float:
    """CPU seconds of this process for one pass over the blog (wall time swings with the
    machine's other load; CPU time much less)."""
    reset()
    start = time.process_time()
    for text in texts:
        render(text)
    return time.process_time() - start


def best(renderers, texts, repeat: int) -> list[float]:
    """The best pass of each renderer; the renderers take turns, so a change in the machine's
    load touches each alike."""
    timings = [[] for _ in renderers]
    for _ in range(repeat):
        for timing, (render, reset) in zip(timings, renderers, strict=True):
            timing.append(one_pass(render, texts, reset))
    return [min(timing) for timing in timings]


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
    renderers = [(render_post_markdown, _mathml.cache_clear)]
    try:
        import markdown  # noqa: F401
    except ImportError:
        old = None
    else:
        old = old_renderer(args.rev)
        old(texts[0])
        renderers.append((old, lambda: None))
    timings = best(renderers, texts, args.repeat)
    print(f"{len(texts)} posts, {size:,} characters (CPU seconds, best of {args.repeat})")
    print(f"markdown-it-py (today):   {timings[0]:.2f} s for the whole blog")
    if old is None:
        print("Python-Markdown is not installed: no comparison.")
        return
    print(f"Python-Markdown ({args.rev}): {timings[1]:.2f} s for the whole blog")
    print(f"today / before: {timings[0] / timings[1]:.2f}")


if __name__ == "__main__":
    main()
