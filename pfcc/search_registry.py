"""What the site-wide search finds, without the core (or the search app) importing the apps:
each app describes its documents in its own `<app>/search.py`, which registers them when the
app's AppConfig.ready() imports it:

    # blog/search.py
    search_providers.register(SearchProvider(kind="post", …))
    # blog/apps.py, in ready()
    from . import search  # noqa: F401 - registers its site-wide search providers

A provider names a kind ("post"), the model whose rows are documents, a queryset of every row
to index (loading what `document` reads), and `document(obj)`, which returns a SearchDocument or
None (not findable: a draft). Saving or deleting a row of the model, or of a model listed in
`depends_on` (with a function giving the documented rows it affects), updates the index (the
search app connects the signals). A provider may restrict its documents: each document then
carries `readers`, tokens naming who may find it ("mentorship:12", "cohort:3"), and the
provider's `reader_tokens(user)` gives the tokens a viewer holds (None: they may find them all);
a viewer finds a restricted document when they hold one of its tokens. Tokens name relations
("the mentors and mentee of mentorship 12", "the TAs of cohort 3"), not persons, so a change of
who holds a role changes the viewer's tokens, computed afresh on every search, and no document.
"""

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.html import strip_tags

PUBLIC = ""
# A document's text is cut here: snippets and matching need the opening, not whole books.
BODY_CHARS = 20_000
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def guess_language(text: str) -> str:
    """ "zh-hans" when the text has Chinese characters, "en" otherwise."""
    return "zh-hans" if _CJK.search(text or "") else "en"


def plain_text(rendered_html: str, limit: int = BODY_CHARS) -> str:
    """Readable text of stored HTML (tags dropped, entities decoded, spaces collapsed)."""
    text = html.unescape(strip_tags(rendered_html or ""))
    return _SPACES.sub(" ", text).strip()[:limit]


@dataclass
class SearchDocument:
    title: str
    body: str
    url: str
    language: str = ""  # "zh-hans", "en", or "" when mixed or unknown
    permission: str = PUBLIC  # PUBLIC, or the provider's kind: only holders of `readers` find it
    visible_from: datetime | None = None  # not found before (a scheduled post)
    updated: datetime | None = None
    # A restricted provider's document that anyone may find all the same (a public cohort's
    # report): indexed as PUBLIC, not under the provider's kind.
    public: bool = False
    # A restricted provider's document: the tokens of those who may find it (no spaces).
    readers: tuple[str, ...] = ()


@dataclass
class SearchProvider:
    kind: str
    label: str  # plural, shown as the heading of the kind's group of results
    model: type[models.Model]
    queryset: Callable[[], models.QuerySet]
    document: Callable[[models.Model], SearchDocument | None]
    order: int = 100
    # model -> function(instance) giving the documented rows a change of that instance affects
    depends_on: dict[type[models.Model], Callable[[models.Model], Iterable]] = field(
        default_factory=dict
    )
    # For restricted documents: the tokens `user` holds (a list, [] for none, or (SQL, params)
    # of a query of one column named `token`, which the search embeds in its own query), or None
    # when the user may find them all. Set: every document is restricted unless it says `public`.
    reader_tokens: Callable | None = None


@dataclass
class SearchProviderRegistry:
    providers: dict[str, SearchProvider] = field(default_factory=dict)

    def register(self, provider: SearchProvider) -> None:
        self.providers[provider.kind] = provider  # ready() may run twice in tests

    def ordered(self) -> list[SearchProvider]:
        return sorted(self.providers.values(), key=lambda provider: provider.order)

    def get(self, kind: str) -> SearchProvider | None:
        return self.providers.get(kind)

    def for_model(self, model) -> list[tuple[SearchProvider, Callable]]:
        """The providers a change of a `model` row touches, each with the function that turns
        the row into the documented rows to update."""
        found = []
        for provider in self.providers.values():
            if model is provider.model:
                found.append((provider, lambda instance: [instance]))
            elif model in provider.depends_on:
                found.append((provider, provider.depends_on[model]))
        return found


search_providers = SearchProviderRegistry()
