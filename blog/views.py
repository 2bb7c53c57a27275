from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import limits
from common.staff import staff_required

from .models import Category, Page, Post, Tag
from .rendering import render_post_markdown

PAGE_SIZE = 10


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _listed():
    return Post.objects.published().with_relations().for_listing()


def _archive_years():
    return [day.year for day in Post.objects.published().dates("date", "year", order="DESC")]


def post_list(request):
    posts = _listed()
    categories = list(Category.objects.all())
    category = None
    slug = request.GET.get("category")
    if slug:
        category = next((c for c in categories if c.slug == slug), None)
        if category is None:
            raise Http404
        posts = posts.filter(category=category)
    context = {
        "page": _page(request, posts.listing()),
        "categories": categories,
        "current_category": category,
        "has_about": Page.objects.filter(slug="about").exists(),
        "archive_years": _archive_years(),
    }
    return render(request, "blog/post_list.html", context)


def post_detail(request, slug):
    post = get_object_or_404(Post.objects.visible_to(request.user).with_relations(), slug=slug)
    published = Post.objects.published()
    context = {
        "post": post,
        "previous_post": published.before(post).first(),
        "next_post": published.after(post).first(),
        "preview": not post.is_live,
        "canonical_url": request.build_absolute_uri(post.get_absolute_url()),
        "og_image": _first_image_url(request, post),
    }
    return render(request, "blog/post_detail.html", context)


def _first_image_url(request, post):
    image = post.images.only("image").first()
    return request.build_absolute_uri(image.image.url) if image else ""


def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    posts = _listed().filter(category=category).listing()
    context = {"category": category, "page": _page(request, posts)}
    return render(request, "blog/category_detail.html", context)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    posts = _listed().filter(tags=tag).newest_first()
    return render(request, "blog/tag_detail.html", {"tag": tag, "page": _page(request, posts)})


def archive_year(request, year):
    if not 1 <= year <= 9999:
        raise Http404
    posts = _listed().filter(date__year=year).newest_first()
    page = _page(request, posts)
    if not page.paginator.count:
        raise Http404
    context = {"year": year, "page": page, "archive_years": _archive_years()}
    return render(request, "blog/archive_year.html", context)


def search(request):
    """The blog's old search address: the site-wide search, showing posts."""
    query = request.GET.get("q", "").strip()[:200]
    target = reverse("search:results")
    return redirect(f"{target}?{urlencode({'q': query, 'kind': 'post'})}" if query else target)


def about(request):
    """The old blog's about.md (imported with the posts)."""
    page = get_object_or_404(Page, slug="about")
    return render(request, "blog/page.html", {"page": page})


def legacy_post(request, slug):
    """Addresses of the old static blog: /posts/<slug> (and .html) → the post, permanently."""
    post = get_object_or_404(Post.objects.published(), slug=slug)
    return redirect(post, permanent=True)


@staff_member_required
@staff_required
@require_POST
def preview(request):
    """Renders Markdown from the admin editor without saving (staff only). A text longer than a
    post may be is refused with the limit, as saving it would be."""
    body = request.POST.get("body", "")
    if len(body) > limits.DOCUMENT:
        message = _(
            "The text is %(length)s characters long; a post may have at most %(limit)s."
        ) % {"length": f"{len(body):,}", "limit": f"{limits.DOCUMENT:,}"}
        return render(request, "blog/preview_fragment.html", {"error": message}, status=400)
    rendered = render_post_markdown(body)
    return render(request, "blog/preview_fragment.html", {"html": rendered.html})
