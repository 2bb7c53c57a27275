"""Tasks of every edition and task set in the site-wide search (not those of draft editions)."""

from django.utils.translation import gettext_lazy as _

from pfcc.search_registry import (
    SearchDocument,
    SearchProvider,
    guess_language,
    plain_text,
    search_providers,
)

from .models import Edition, Task


def task_document(task: Task) -> SearchDocument | None:
    # Editions are moving from `status` to `state` (issue 12): read either.
    if (getattr(task.edition, "state", None) or task.edition.status) == "draft":
        return None
    body = plain_text(task.description_html)
    return SearchDocument(
        title=str(task),
        body=body,
        url=task.get_absolute_url(),
        language=guess_language(task.title + body),
        updated=task.updated_at,
    )


task_provider = SearchProvider(
    kind="task",
    label=_("Hackathon tasks"),
    model=Task,
    queryset=lambda: Task.objects.select_related("edition"),
    document=task_document,
    order=20,
    # Publishing an edition (or taking it back to draft) shows or hides its tasks.
    depends_on={Edition: lambda edition: edition.tasks.select_related("edition")},
)
search_providers.register(task_provider)
