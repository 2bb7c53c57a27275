"""Keeping the search index in step: `update(obj)` after a change (the signals call it),
`remove(kind, pk)`, and `rebuild()` (manage.py rebuild_search_index, and seed_bench)."""

import re
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from pfcc.search_registry import SearchDocument, SearchProvider, search_providers

from .models import Document
from .text import index_text

COLUMNS = (
    "kind",
    "object_id",
    "title",
    "body",
    "url",
    "permission",
    "readers",
    "language",
    "visible_from",
    "updated",
)
# The title weighs more than the text in the ranking (weights A and B).
VECTOR_SQL = (
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
)
UPSERT_SQL = (
    f"INSERT INTO search_document ({', '.join(COLUMNS)}, vector) "  # noqa: S608 - fixed names
    f"VALUES ({', '.join(['%s'] * len(COLUMNS))}, {VECTOR_SQL}) "
    "ON CONFLICT (kind, object_id) DO UPDATE SET "
    + ", ".join(f"{column} = EXCLUDED.{column}" for column in COLUMNS[2:])
    + ", vector = EXCLUDED.vector"
)
BATCH = 1000
# The reader token every viewer holds: a restricted kind's documents that anyone may find.
ANYONE = "*"


def uses_vectors() -> bool:
    return connection.vendor == "postgresql"


KIND_NAME = re.compile(r"[a-z_]{1,30}")


def valid_kind(kind: str) -> str:
    """A kind as it may stand in SQL (a literal, for the partial index to apply)."""
    if not KIND_NAME.fullmatch(kind):
        raise ValueError(f"search kinds are lowercase letters and _: {kind!r}")
    return kind


def ensure_kind_indexes(kinds=None, **kwargs) -> None:
    """PostgreSQL: a GIN index over the vectors of each registered kind (a partial index:
    one kind's common word does not make another kind's search read its posting list).
    Run after every migrate and after a rebuild; creating one that exists does nothing.

    fastupdate off: with it on, new entries wait in a pending list that every search reads
    through until a VACUUM merges it (after seeding the bench, 12 ms a query instead of 0.8)."""
    if not uses_vectors():
        return
    with connection.cursor() as cursor:
        for kind in kinds or search_providers.providers:
            kind = valid_kind(kind)
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS search_document_vector_{kind} ON search_document "
                f"USING gin (vector) WITH (fastupdate = off) WHERE kind = '{kind}'"
            )
            provider = search_providers.get(kind)
            if provider is not None and provider.reader_tokens is not None:
                # A restricted kind: its documents' reader tokens (search/query.py READERS).
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS search_document_readers_{kind} ON "
                    "search_document USING gin (string_to_array(readers, ' ')) "
                    f"WITH (fastupdate = off) WHERE kind = '{kind}'"
                )


def readers_text(tokens) -> str:
    """A document's reader tokens as stored: separated by spaces (PostgreSQL's index splits
    them into an array, SQLite looks for " token " in " <readers> ")."""
    tokens = [str(token) for token in tokens]
    if any(not token or " " in token or token == ANYONE for token in tokens):
        raise ValueError(f"reader tokens are words without spaces, not {ANYONE!r}: {tokens!r}")
    return " ".join(tokens)


def _drop_kind_index(kind) -> None:
    """Before a bulk rebuild of a kind: building the index once afterwards is faster than
    inserting each row's entries."""
    if uses_vectors():
        with connection.cursor() as cursor:
            kind = valid_kind(kind)
            cursor.execute(f"DROP INDEX IF EXISTS search_document_vector_{kind}")
            cursor.execute(f"DROP INDEX IF EXISTS search_document_readers_{kind}")


def _row(kind: str, pk, document: SearchDocument) -> list:
    provider = search_providers.get(kind)
    # A kind whose provider decides who sees what has every document restricted, unless the
    # document itself says anyone may find it.
    restricted_kind = provider is not None and provider.reader_tokens is not None
    restricted = restricted_kind and not document.public
    # A restricted kind's public documents hold the token every viewer holds (search/query.py).
    readers = readers_text(document.readers) if restricted else ANYONE if restricted_kind else ""
    return [
        kind,
        pk,
        document.title[:300],
        document.body[:20_000],
        document.url[:500],
        kind if restricted else document.permission,
        readers,
        document.language,
        document.visible_from,
        document.updated or timezone.now(),
    ]


def _write(provider: SearchProvider, objects: Iterable) -> int:
    """Index `objects` of `provider`: documents are written, rows without one removed."""
    documents, gone = [], []
    for obj in objects:
        document = provider.document(obj)
        if document is None:
            gone.append(obj.pk)
        else:
            documents.append((obj.pk, document))
    if gone:
        remove(provider.kind, gone)
    return write_documents(provider.kind, documents)


def write_documents(kind: str, documents: list[tuple[int, SearchDocument]]) -> int:
    """Store (object id, document) pairs of one kind, replacing what the index had for them."""
    rows = [_row(kind, pk, document) for pk, document in documents]
    if not rows:
        return 0
    if uses_vectors():
        params = [[*row, index_text(row[2]), index_text(row[3])] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(UPSERT_SQL, params)
    else:
        for row in rows:
            values = dict(zip(COLUMNS, row, strict=True))
            Document.objects.update_or_create(
                kind=values.pop("kind"), object_id=values.pop("object_id"), defaults=values
            )
    return len(rows)


def update_objects(provider: SearchProvider, objects: Iterable) -> None:
    """Index these rows of the provider's model again, as loaded by its queryset."""
    pks = [obj.pk for obj in objects if obj.pk is not None]
    if not pks:
        return
    loaded = list(provider.queryset().filter(pk__in=pks))
    missing = set(pks) - {obj.pk for obj in loaded}
    _write(provider, loaded)
    if missing:
        remove(provider.kind, missing)


def update(obj) -> None:
    """Index `obj` again under every provider its model feeds (directly or through
    `depends_on`)."""
    for provider, affected in search_providers.for_model(type(obj)):
        update_objects(provider, affected(obj))


def remove(kind: str, pks) -> None:
    Document.objects.filter(kind=kind, object_id__in=list(pks)).delete()


def rebuild(kinds=None, log=None) -> dict[str, int]:
    """Index every row of every provider (or of `kinds`) from scratch. On PostgreSQL each kind
    is rebuilt in a transaction that holds the table (its index is dropped and built again):
    searches wait for it, a few seconds per 10,000 documents."""
    counts = {}
    for provider in search_providers.ordered():
        if kinds and provider.kind not in kinds:
            continue
        with transaction.atomic():
            _drop_kind_index(provider.kind)
            Document.objects.filter(kind=provider.kind).delete()
            written, batch = 0, []
            for obj in provider.queryset().order_by("pk").iterator(chunk_size=BATCH):
                batch.append(obj)
                if len(batch) == BATCH:
                    written += _write(provider, batch)
                    batch = []
            written += _write(provider, batch)
            ensure_kind_indexes([provider.kind])
        counts[provider.kind] = written
        if log:
            log(f"{provider.kind}: {written}")
    if uses_vectors():
        _tidy()
    return counts


def _tidy():
    """After a bulk write: fresh statistics for the planner and, outside a transaction, a
    VACUUM, which empties the GIN index's pending list and marks the pages all-visible."""
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("ANALYZE search_document")
        else:
            cursor.execute("VACUUM ANALYZE search_document")
