"""The search index: one row per findable thing of any app (see pfcc/search_registry.py).

On PostgreSQL the table also has a `vector` column (tsvector: the title weighted A, the text B,
Chinese segmented at index time) with a GIN index, created by the migration and written by
search/index.py; the model leaves it out so that SQLite, which searches with instr(), has the
same table without it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common import limits


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.BigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), max_length=limits.TEXT, blank=True)
    url = models.CharField(_("address"), max_length=500)
    # "" for everyone; otherwise the provider's kind: only viewers holding one of `readers`
    # (the provider's reader_tokens(user)) find it.
    permission = models.CharField(_("permission"), max_length=30, blank=True)
    readers = models.TextField(_("readers"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    visible_from = models.DateTimeField(_("visible from"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_object"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"
