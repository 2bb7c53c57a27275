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
    # Issue 19: a quoted ">" ended the export sanitiser's idea of the tag early.
    '<img alt=">" src=x onerror=alert(1)>',
    "<img alt='>' src=x onerror=alert(1)>",
    '<a title=">" href="javascript:alert(1)">x</a>',
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
    assert "style=" not in html


def test_fenced_code_is_highlighted_with_classes_once():
    html = render_markdown("```python\ndef f():\n    return 1\n```").html
    assert html.count("<pre") == 1 and html.count("<code") == 1
    assert '<pre class="codehilite"><code class="language-python">' in html
    assert '<span class="k">def</span>' in html


def test_code_fenced_inside_a_list_item_stays_code():
    html = render_markdown(
        "1. Run:\n\n   ```bash\n   # a comment, not a heading\n   ls\n   ```\n"
    ).html
    assert "<h1" not in html
    assert "<li>" in html and '<pre class="codehilite">' in html
    assert "# a comment, not a heading" in html


def test_toc_marker_and_chinese_heading_ids_as_vitepress_makes_them():
    rendered = render_markdown(
        "[[toc]]\n\n## 一、背景\n\ntext\n\n## 02 - 三大赛道\n\n### Fine-Tuning (SFT)\n\n## 一、背景\n"
    )
    assert 'id="一、背景"' in rendered.html
    assert 'id="_02-三大赛道"' in rendered.html
    assert 'id="fine-tuning-sft"' in rendered.html
    assert 'id="一、背景-1"' in rendered.html  # the second heading of the same name
    assert rendered.html.startswith('<div class="toc">')
    assert "[[toc]]" not in rendered.html
    assert 'href="#_02-三大赛道"' in rendered.toc
    assert rendered.toc.count("<ul>") == 2  # the level-3 heading is nested


def test_no_headings_no_toc():
    assert render_markdown("just text").toc == ""


def test_math_becomes_mathml():
    html = render_markdown(
        "Loss $a_i * b_i$ and $$\\sum_{i} x_i^2$$\n\n$$\n\\frac{1}{n}\n\n\\alpha\n$$\n"
    ).html
    assert '<span class="math inline"><math display="inline">' in html
    assert "<msub><mi>a</mi><mi>i</mi></msub>" in html
    assert '<span class="math display"><math display="block">' in html  # $$ inside a line
    assert "<mfrac>" in html and "<mi>α</mi>" in html  # a block with a blank line inside
    assert "<em>" not in html and "$" not in html


def test_dollars_that_are_not_math():
    html = render_markdown("It costs $5 and $10 each.\n\n$ x $ and 3$ stay text.").html
    assert "<math" not in html
    assert "$5 and $10 each" in html


def test_bad_tex_is_shown_as_written():
    html = render_markdown("$\\frac{1}{$").html + render_markdown("$\\unknowncommand{x}$").html
    assert "<script" not in html
    assert "\\unknowncommand{x}" in html or "unknowncommand" in html


def test_github_extensions():
    html = render_markdown(
        "~~old~~ 1~2 周\n\n- [x] done\n- [ ] todo\n\nNote[^1].\n\n[^1]: The note.\n\n"
        "> [!WARNING]\n> Careful.\n"
    ).html
    assert "<del>old</del>" in html and "1~2 周" in html
    assert '<span class="task-box task-done">☑</span> done' in html
    assert '<span class="task-box task-open">☐</span> todo' in html
    assert '<a href="#fn1" id="fnref1"' in html and '<li id="fn1"' in html
    assert '<div class="markdown-alert markdown-alert-warning">' in html
    assert '<p class="markdown-alert-title">Warning</p>' in html


def test_bare_addresses_are_linked_as_github_links_them():
    html = render_markdown(
        "PR：https://github.com/PaddlePaddle/Paddle/pull/78516，谢谢\n\n"
        "see www.paddlepaddle.org.cn and mail a@b.com. Not example.com, README.md or foo.py.\n\n"
        "`https://in.code` [kept](https://x.org)"
    ).html
    assert 'href="https://github.com/PaddlePaddle/Paddle/pull/78516"' in html
    assert "78516</a>，谢谢" in html
    assert 'href="http://www.paddlepaddle.org.cn"' in html
    assert 'href="mailto:a@b.com"' in html
    for text in ("example.com", "README.md", "foo.py"):
        assert f'href="http://{text}"' not in html
    assert "<code>https://in.code</code>" in html
    assert html.count("<a ") == 4


def test_lists_after_a_paragraph_and_with_short_indents():
    html = render_markdown(
        "Steps:\n- one\n  - nested with two spaces\n- two\n\n1. a\n   continued\n"
    ).html
    assert html.count("<ul>") == 2 and html.count("<li>") == 4
    assert "- " not in html


def test_separate_quotes_stay_separate():
    html = render_markdown("> first\n\n> second\n").html
    assert html.count("<blockquote>") == 2


def test_links_images_and_media_survive():
    html = render_markdown(
        "[PR](https://github.com/PaddlePaddle/Paddle/pull/1) ![图](/media/a.png)\n\n"
        '<video controls src="/media/v.mp4"></video>'
    ).html
    assert 'href="https://github.com/PaddlePaddle/Paddle/pull/1"' in html
    assert '<img src="/media/a.png" alt="图">' in html
    assert "<video" in html and "controls" in html


def test_mathml_is_allowed_but_nothing_in_it_runs():
    html = render_markdown(
        '<math><mi href="javascript:alert(1)" onclick="alert(1)">x</mi>'
        '<annotation-xml encoding="text/html"><img src=x onerror=alert(1)></annotation-xml>'
        "<maction actiontype=statusline>y</maction></math>"
    ).html
    assert "javascript" not in html and "onclick" not in html and "onerror" not in html
    assert "annotation-xml" not in html and "maction" not in html


def test_empty_and_nul_input():
    assert render_markdown("").html == ""
    assert render_markdown(None).html == ""
    assert "\x00" not in render_markdown("a\x00b").html
