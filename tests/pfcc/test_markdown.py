import re

import pytest

from common.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=x oNeRrOr=alert(1)>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "![x](javascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<form action="https://evil.example"><input name=x><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    "<video src=x onerror=alert(1)></video><audio src=x onloadstart=alert(1)></audio>",
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    "<<script>script>alert(1)<</script>/script>",
    '"><script>alert(1)</script>',
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<p title="x" onclick="alert(1)">hi</p>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_survives(payload):
    html = render_markdown(payload).html.lower()
    assert "<script" not in html
    assert not re.search(r"<[^>]*\son\w+\s*=", html), html
    assert not re.search(
        r"(href|src|action|data|poster)\s*=\s*[\"']?\s*(javascript|data|vbscript):", html
    ), html
    for tag in (
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<svg",
        "<style",
        "<meta",
        "<base",
        "<link",
        "<body",
    ):
        assert tag not in html
    assert "style=" not in html


def test_code_in_text_is_shown_escaped_not_dropped():
    html = render_markdown("`<script>alert(1)</script>`").html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_tables_with_alignment():
    html = render_markdown("| 序号 | 难度 |\n|:--|--:|\n| 1 | 0.5 |\n").html
    assert "<table>" in html and '<td align="right">0.5</td>' in html


def test_fenced_code_is_highlighted_with_classes():
    html = render_markdown("```python\ndef f():\n    return 1\n```").html
    assert 'class="codehilite"' in html
    assert '<span class="k">def</span>' in html


def test_toc_marker_and_unicode_heading_ids():
    rendered = render_markdown("[[toc]]\n\n## 01 - 高手云集\n\ntext\n\n## 02 - 三大赛道\n")
    assert 'id="01-高手云集"' in rendered.html
    assert '<div class="toc">' in rendered.html
    assert 'href="#02-三大赛道"' in rendered.toc


def test_math_is_kept_as_text():
    html = render_markdown("Loss $a_i * b_i$ and $$\\sum_{i} x_i^2$$").html
    assert "$a_i * b_i$" in html
    assert "$$\\sum_{i} x_i^2$$" in html
    assert "<em>" not in html


def test_links_images_and_media_survive():
    html = render_markdown(
        "[PR](https://github.com/PaddlePaddle/Paddle/pull/1) ![图](/media/a.png)\n\n"
        '<video controls src="/media/v.mp4"></video>'
    ).html
    assert 'href="https://github.com/PaddlePaddle/Paddle/pull/1"' in html
    assert '<img alt="图" src="/media/a.png">' in html
    assert "<video" in html and "controls" in html


def test_empty_and_nul_input():
    assert render_markdown("").html == ""
    assert render_markdown(None).html == ""
    assert "\x00" not in render_markdown("a\x00b").html
