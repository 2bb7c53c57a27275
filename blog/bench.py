"""The blog's part of the load benchmark's data set (`manage.py seed_bench`): 2,000 posts a
scale step, with 1–3 authors and 1–3 of 50 tags each; bench rows carry the `bench-` prefix."""

from datetime import timedelta

from .models import Category, Post, PostAuthor, Tag
from .rendering import render_post_markdown, split_excerpt

POST_BODIES = [
    "飞桨框架 {n} 期社区动态。\n\n<!-- more -->\n\n## 进展\n\n本期完成了 **{n}** 项任务，"
    "合入 PR 若干。\n\n```python\nimport paddle\nprint(paddle.__version__)\n```\n\n"
    "- 框架开发\n- 科学计算\n- 套件开发\n\n更多细节见 [社区仓库](https://github.com/PaddlePaddle/community)。",
    "# Developer story {n}\n\nA contributor tells how they started with PaddlePaddle.\n\n"
    "<!-- more -->\n\n## First pull request\n\nIt took three reviews. " + "Lorem ipsum " * 80,
    "[[toc]]\n\n## 背景\n\n" + "深度学习框架的编译器 " * 60 + "\n\n## 方案\n\n" + "算子融合 " * 60,
    "Short note {n}: the weekly meeting moved to Thursday.",
]


def is_seeded(bench, scale) -> bool:
    return Post.objects.filter(slug__startswith=bench.prefix).count() == 2000 * scale


def wipe(bench):
    Post.objects.filter(slug__startswith=bench.prefix).delete()
    Tag.objects.filter(slug__startswith=bench.prefix).delete()


def summary(bench) -> str:
    return f"{Post.objects.filter(slug__startswith=bench.prefix).count()} posts"


def seed(bench, scale):
    Category.objects.ensure_defaults()
    categories = list(Category.objects.all())
    tags = bench.bulk(
        Tag, [Tag(slug=f"{bench.prefix}t{n}", name=f"标签 {n}") for n in range(50 * scale)]
    )
    rendered = {}
    for index, template in enumerate(POST_BODIES):
        body = template.format(n=index)
        excerpt = split_excerpt(body)
        html = render_post_markdown(body)
        rendered[index] = {
            "body": body,
            "excerpt": excerpt,
            "body_html": html.html,
            "toc_html": html.toc,
            "excerpt_html": render_post_markdown(excerpt).html if excerpt else "",
        }
    start = bench.now - timedelta(days=1)
    posts = []
    for n in range(2000 * scale):
        text = rendered[n % len(POST_BODIES)]
        posts.append(
            Post(
                slug=f"{bench.prefix}post-{n}",
                title=f"飞桨社区文章 {n}：框架开发与社区故事",
                date=bench.today - timedelta(days=n // 3),
                category=categories[n % len(categories)],
                state=Post.State.PUBLISHED,
                publish_at=start - timedelta(days=n // 3, minutes=n),
                pinned=n == 0,
                **text,
            )
        )
    posts = bench.bulk(Post, posts)
    authors, post_tags = [], []
    for post in posts:
        for order, person in enumerate(bench.pick(bench.rng.randint(1, 3))):
            authors.append(PostAuthor(post=post, person=person, order=order))
        for tag in bench.rng.sample(tags, bench.rng.randint(1, 3)):
            post_tags.append(Post.tags.through(post_id=post.pk, tag_id=tag.pk))
    bench.bulk(PostAuthor, authors)
    bench.bulk(Post.tags.through, post_tags)
