"""Searching the index: ranked matches the viewer may see, in one SQL query.

Without a kind, the best few of each kind (grouped); with a kind, one page of it. Each kind's
number of matches comes from a window function of the same query (no second COUNT). PostgreSQL
matches the stored tsvector with its GIN index and ranks with ts_rank (title A, text B); SQLite
requires every word in the title or the text (instr) and ranks title matches first."""

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from pfcc.search_registry import PUBLIC, SearchProvider, search_providers

from . import text
from .index import uses_vectors, valid_kind

PER_KIND = 5
PER_PAGE = 20
# Ranked per kind at most (PostgreSQL): on one kind's pages, and on the overview, which shows
# each kind's best few and a count ("100+" beyond).
CANDIDATES = 500
OVERVIEW_CANDIDATES = 100
MAX_PAGE = 25  # deep pages of a ranked list help nobody and cost an ever larger OFFSET


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: str


@dataclass
class Group:
    provider: SearchProvider
    total: int
    hits: list[Hit] = field(default_factory=list)
    capped: bool = False  # more matches than were ranked: the total is a lower bound
    link: str = ""  # the kind's own results (set by the view)

    @property
    def kind(self):
        return self.provider.kind

    @property
    def label(self):
        return self.provider.label


@dataclass
class Results:
    query: str
    terms: list[str]
    groups: list[Group]
    page: int = 1
    has_next: bool = False

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def _permission_clause(user) -> tuple[str, list]:
    """SQLite: public documents, and restricted ones among the ids their provider lets `user`
    see."""
    clauses, params = ["d.permission = %s"], [PUBLIC]
    for provider in search_providers.ordered():
        if provider.visible_ids is None:
            continue
        restricted = _restricted_ids(provider, user)
        if restricted is None:
            clauses.append("d.permission = %s")
            params.append(provider.kind)
        elif restricted[0]:
            clauses.append(f"(d.permission = %s AND d.object_id IN ({restricted[0]}))")
            params += [provider.kind, *restricted[1]]
    return "(" + " OR ".join(clauses) + ")", params


def _restricted_ids(provider, user):
    """(sql, params) of the ids of `provider`'s restricted documents `user` may find; None when
    they may find them all, ("", []) when none."""
    visible = provider.visible_ids(user)
    if visible is None:
        return None
    if not isinstance(visible, QuerySet):  # ids in a list or tuple: () for a visitor
        if not visible:
            return "", []
        visible = provider.model.objects.order_by().filter(pk__in=visible).values("pk")
    try:
        return visible.query.sql_with_params()
    except EmptyResultSet:  # none at all (a visitor)
        return "", []


def _vector_matches(terms, providers, user, candidates) -> tuple[str, list]:
    """PostgreSQL: per kind, its own GIN index finds the matches, and at most `candidates` rows
    are ranked: a word found in tens of thousands of documents costs about what a rarer one
    does (the total then shows as "500+"). Restricted documents a viewer may see only some of
    are looked up by their ids instead (a mentor's few reports among tens of thousands). The rank uses the words
    OR-ed (linear in the positions; AND-ed, ts_rank compares every pair of positions)."""
    now = timezone.now()
    every, anyone = text.tsquery(terms), text.tsquery(terms, operator="|")
    # MATERIALIZED: planned without the LIMIT, which would make the planner bet on a
    # sequential scan finding enough rows early (its estimates of a word and a kind together
    # are far off); read lazily, the CTE still stops at the LIMIT.
    ranked = (
        "(WITH m AS MATERIALIZED (SELECT d.id, d.kind, d.vector FROM {source} WHERE {where} "
        "AND (d.visible_from IS NULL OR d.visible_from <= %s)) "
        "SELECT c.id, c.kind, ts_rank(c.vector, to_tsquery('simple', %s)) AS rank "
        "FROM (SELECT * FROM m LIMIT %s) c)"
    )
    # Each kind has a GIN index of its own (search/index.py), which the planner picks only for
    # a literal kind: kinds are registered names (letters and "_"), never user input.
    by_index = "d.kind = '{kind}' AND d.vector @@ to_tsquery('simple', %s)"
    # One index lookup per id (OFFSET 0 keeps the planner from turning it into a join that
    # scans every document of the kind).
    ids_source = (
        "({ids}) a(pk) CROSS JOIN LATERAL (SELECT * FROM search_document d "
        "WHERE d.kind = %s AND d.object_id = a.pk OFFSET 0) d"
    )
    parts, params = [], []

    def add(where, where_params, source="search_document d", source_params=()):
        parts.append(ranked.format(source=source, where=where))
        params.extend([*source_params, *where_params, now, anyone, candidates])

    for provider in providers:
        kind = provider.kind
        restricted = None if provider.visible_ids is None else _restricted_ids(provider, user)
        if restricted is None:  # public, or the viewer may see every one (staff)
            add(by_index.format(kind=valid_kind(kind)), [every])
        else:
            # A restricted kind's documents that anyone may find (a public cohort's reports,
            # SearchDocument.public) come by the kind's index; the viewer's own by their ids.
            add(by_index.format(kind=valid_kind(kind)) + " AND d.permission = %s", [every, PUBLIC])
            if restricted[0]:
                ids_sql, ids_params = restricted
                add(
                    "d.vector @@ to_tsquery('simple', %s) AND d.permission <> %s",
                    [every, PUBLIC],
                    source=ids_source.format(ids=ids_sql),
                    source_params=[*ids_params, kind],
                )
    return " UNION ALL ".join(parts), params


def _matches(terms, providers, user, candidates) -> tuple[str, list]:
    """SQL for (id, kind, rank) of the matching documents the viewer may see, and its
    parameters."""
    if uses_vectors():
        return _vector_matches(terms, providers, user, candidates)
    kinds = [provider.kind for provider in providers]
    allowed, allowed_params = _permission_clause(user)
    now = timezone.now()
    wheres, ranks, where_params, rank_params = [], [], [], []
    for term in terms:
        wheres.append("(instr(lower(d.title), %s) > 0 OR instr(lower(d.body), %s) > 0)")
        where_params += [term, term]
        ranks.append("(CASE WHEN instr(lower(d.title), %s) > 0 THEN 1 ELSE 0 END)")
        rank_params.append(term)
    sql = (
        f"SELECT d.id, d.kind, {' + '.join(ranks)} AS rank FROM search_document d "  # noqa: S608 - fixed SQL; values are parameters
        f"WHERE {' AND '.join(wheres)} AND {allowed} "
        f"AND d.kind IN ({', '.join(['%s'] * len(kinds))}) "
        "AND (d.visible_from IS NULL OR d.visible_from <= %s)"
    )
    return sql, [*rank_params, *where_params, *allowed_params, *kinds, now]


def search(query: str, user, kind: str | None = None, page: int = 1) -> Results:
    terms = text.query_terms(query)
    providers = search_providers.ordered()
    if kind:
        providers = [provider for provider in providers if provider.kind == kind]
    if not terms or not providers:
        return Results(query, terms, [])
    candidates = CANDIDATES if kind else OVERVIEW_CANDIDATES
    matches, params = _matches(terms, providers, user, candidates)
    if not matches:  # nothing the viewer may see (a visitor asking for reports)
        return Results(query, terms, [])
    ranked = (
        "SELECT m.id, m.kind, m.rank, COUNT(*) OVER (PARTITION BY m.kind) AS total, "  # noqa: S608 - fixed SQL; values are parameters
        "ROW_NUMBER() OVER (PARTITION BY m.kind ORDER BY m.rank DESC, m.id DESC) AS place "
        f"FROM ({matches}) m"
    )
    if kind:
        page = max(1, min(page, MAX_PAGE))
        first = (page - 1) * PER_PAGE
        # One more than a page: whether there is a next page, without counting again.
        window = "r.place > %s AND r.place <= %s"
        params += [first, first + PER_PAGE + 1]
    else:
        window = "r.place <= %s"
        params.append(PER_KIND)
    # The shown rows' text by their ids, one index lookup each (the LIMIT keeps the subquery
    # from being flattened into a join, which the planner, misjudging how few rows the window
    # keeps, made a hash join over a sequential scan of the whole table: 8 of 11 ms).
    sql = (
        "SELECT r.kind, r.total, d.title, d.url, d.body "  # noqa: S608 - fixed SQL; values are parameters
        f"FROM (SELECT * FROM ({ranked}) r WHERE {window}) r CROSS JOIN LATERAL "
        "(SELECT d.title, d.url, d.body FROM search_document d WHERE d.id = r.id LIMIT 1) d "
        "ORDER BY r.place"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    groups: dict[str, Group] = {}
    by_kind = {provider.kind: provider for provider in providers}
    for row_kind, total, title, url, body in rows:
        group = groups.setdefault(row_kind, Group(by_kind[row_kind], total))
        group.hits.append(
            Hit(row_kind, text.highlight(title, terms), url, text.snippet(body, terms))
        )
    for group in groups.values():
        group.capped = uses_vectors() and group.total >= candidates
    has_next = False
    if kind and kind in groups and len(groups[kind].hits) > PER_PAGE:
        groups[kind].hits = groups[kind].hits[:PER_PAGE]
        has_next = True
    ordered = [groups[provider.kind] for provider in providers if provider.kind in groups]
    return Results(query, terms, ordered, page=page if kind else 1, has_next=has_next)
