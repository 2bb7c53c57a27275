"""Persons in the site-wide search: by display name and GitHub login (their pages are public)."""

from django.utils.translation import gettext_lazy as _

from .models import Person
from .search_registry import SearchDocument, SearchProvider, search_providers


def person_document(person: Person) -> SearchDocument:
    title = f"{person.name} (@{person.github})" if person.name else f"@{person.github}"
    return SearchDocument(
        title=title,
        body=person.bio,
        url=person.get_absolute_url(),
        updated=person.updated_at,
    )


person_provider = SearchProvider(
    kind="person",
    label=_("People"),
    model=Person,
    queryset=lambda: Person.objects.all(),
    document=person_document,
    order=50,
)
search_providers.register(person_provider)
