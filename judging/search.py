"""Contest entries in the site-wide search: the apps shown in a listed contest's gallery."""

from django.utils.translation import gettext_lazy as _

from pfcc.search_registry import (
    SearchDocument,
    SearchProvider,
    guess_language,
    plain_text,
    search_providers,
)

from .models import Contest, Submission


def entry_document(submission: Submission) -> SearchDocument | None:
    if not submission.is_shown or not submission.contest.is_listed:
        return None
    body = plain_text(
        f"{submission.summary} {submission.registration.name} {submission.description_html}"
    )
    return SearchDocument(
        title=f"{submission.title} · {submission.contest.name}",
        body=body,
        url=submission.get_absolute_url(),
        language=guess_language(submission.title + body),
        updated=submission.updated_at,
    )


entry_provider = SearchProvider(
    kind="contest_entry",
    label=_("Contest entries"),
    model=Submission,
    queryset=lambda: Submission.objects.select_related("contest", "registration"),
    document=entry_document,
    order=35,
    # Opening a contest (or taking it back to a draft) shows or hides its entries.
    depends_on={Contest: lambda contest: contest.submissions.select_related("registration")},
)
search_providers.register(entry_provider)
