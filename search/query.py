"""Searching the index: ranked matches the viewer may see, in one SQL query.

Without a kind, the best few of each kind (grouped); with a kind, one page of it. Each kind's
number of matches comes from a window function of the same query (no second COUNT). PostgreSQL
matches the stored tsvector with its GIN index and ranks with ts_rank (title A, text B); SQLite
requires every word in the title or the text (instr) and ranks title matches first."""

from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from pfcc.search_registry import PUBLIC, SearchProvider, search_providers

from . import text
from .index import ANYONE, uses_vectors, valid_kind

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
    title: str  # escaped, the words marked
    url: str
    snippet: str  # escaped, the words marked

    @property
    def html(self) -> str:
        """The hit's list item, built here rather than with template nodes (a page shows up to
        30 of them)."""
        snippet = f'<p class="muted">{self.snippet}</p>' if self.snippet else ""
        # title and snippet are escaped by text.highlight
        return mark_safe(
            f'<li class="search-hit"><a href="{escape(self.url)}">{self.title}</a>{snippet}</li>'
        )


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


def _viewer_tokens(providers, user) -> dict[str, tuple[str, list] | None]:
    """Per restricted kind, the reader tokens the viewer holds as (SQL, params) of a query of
    one column, `token`, or ("", []) when none; None when they may find every document of the
    kind. Evaluated within the search's own query."""
    tokens = {}
    for provider in providers:
        if provider.reader_tokens is None:
            continue
        held = provider.reader_tokens(user)
        if held is None:
            tokens[provider.kind] = None
        elif isinstance(held, tuple):  # (SQL, params)
            tokens[provider.kind] = (held[0], list(held[1]))
        elif held:
            values = " UNION ALL ".join(["SELECT %s AS token"] * len(held))
            tokens[provider.kind] = (values, [str(token) for token in held])
        else:
            tokens[provider.kind] = ("", [])
    return tokens


def _permission_clause(providers, tokens) -> tuple[str, list]:
    """SQLite: public documents, and restricted ones holding one of the viewer's tokens."""
    clauses, params = ["d.permission = %s"], [PUBLIC]
    for provider in providers:
        if provider.kind not in tokens:
            continue
        held = tokens[provider.kind]
        if held is None:
            clauses.append("d.permission = %s")
            params.append(provider.kind)
        elif held[0]:
            clauses.append(
                f"(d.permission = %s AND EXISTS (SELECT 1 FROM ({held[0]}) t "  # noqa: S608 - fixed SQL; values are parameters
                "WHERE instr(' ' || d.readers || ' ', ' ' || t.token || ' ') > 0))"
            )
            params += [provider.kind, *held[1]]
    return "(" + " OR ".join(clauses) + ")", params


# PostgreSQL: a restricted kind's documents as the reader tokens' GIN index sees them (the same
# expression as the index, search/index.py).
READERS = "string_to_array(d.readers, ' ')"


def _vector_matches(terms, providers, tokens, candidates) -> tuple[str, list]:
    """PostgreSQL: per kind, its own GIN index finds the matches, and at most `candidates` rows
    are ranked: a word found in tens of thousands of documents costs about what a rarer one
    does (the total then shows as "500+"). A restricted kind's documents are those holding one
    of the viewer's tokens, found by a second GIN index of the kind (a mentor's few reports
    among tens of thousands). The rank uses the words OR-ed (linear in the positions; AND-ed,
    ts_rank compares every pair of positions)."""
    now = timezone.now()
    every, anyone = text.tsquery(terms), text.tsquery(terms, operator="|")
    # MATERIALIZED: planned without the LIMIT, which would make the planner bet on a
    # sequential scan finding enough rows early (its estimates of a word and a kind together
    # are far off); read lazily, the CTE still stops at the LIMIT.
    ranked = (
        "(WITH m AS MATERIALIZED (SELECT d.id, d.kind, d.vector FROM search_document d "
        "WHERE {where} AND (d.visible_from IS NULL OR d.visible_from <= %s)) "
        "SELECT c.id, c.kind, ts_rank(c.vector, to_tsquery('simple', %s)) AS rank "
        "FROM (SELECT * FROM m LIMIT %s) c)"
    )
    # Each kind has a GIN index of its own (search/index.py), which the planner picks only for
    # a literal kind: kinds are registered names (letters and "_"), never user input.
    by_index = "d.kind = '{kind}' AND d.vector @@ to_tsquery('simple', %s)"
    parts, params = [], []
    for provider in providers:
        where = by_index.format(kind=valid_kind(provider.kind))
        where_params = [every]
        held = tokens.get(provider.kind)
        if held is not None:
            # The viewer's tokens, and the one every viewer holds, as one array, computed once
            # (an InitPlan) before the index scan.
            held_sql, held_params = held
            if held_sql:
                where += f" AND {READERS} && (%s::text[] || ARRAY({held_sql}))"
            else:
                where += f" AND {READERS} && %s::text[]"
            where_params += [[ANYONE], *held_params]
        parts.append(ranked.format(where=where))
        params.extend([*where_params, now, anyone, candidates])
    return " UNION ALL ".join(parts), params


def _matches(terms, providers, user, candidates) -> tuple[str, list]:
    """SQL for (id, kind, rank) of the matching documents the viewer may see, and its
    parameters."""
    tokens = _viewer_tokens(providers, user)
    if uses_vectors():
        return _vector_matches(terms, providers, tokens, candidates)
    kinds = [provider.kind for provider in providers]
    allowed, allowed_params = _permission_clause(providers, tokens)
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
    # PostgreSQL: the shown rows' text by their ids, one index lookup each (the LIMIT keeps the
    # subquery from being flattened into a join, which the planner, misjudging how few rows the
    # window keeps, made a hash join over a sequential scan of the whole table: 8 of 11 ms).
    # SQLite has no LATERAL, and looks the ids up by themselves.
    document = (
        "CROSS JOIN LATERAL (SELECT d.title, d.url, d.body FROM search_document d "
        "WHERE d.id = r.id LIMIT 1) d"
        if uses_vectors()
        else "JOIN search_document d ON d.id = r.id"
    )
    sql = (
        "SELECT r.kind, r.total, d.title, d.url, d.body "  # noqa: S608 - fixed SQL; values are parameters
        f"FROM (SELECT * FROM ({ranked}) r WHERE {window}) r {document} ORDER BY r.place"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    groups: dict[str, Group] = {}
    by_kind = {provider.kind: provider for provider in providers}
    words = text.pattern(terms)
    for row_kind, total, title, url, body in rows:
        group = groups.setdefault(row_kind, Group(by_kind[row_kind], total))
        group.hits.append(
            Hit(
                row_kind,
                text.highlight(title, terms, words),
                url,
                text.snippet(body, terms, words),
            )
        )
    for group in groups.values():
        group.capped = uses_vectors() and group.total >= candidates
    has_next = False
    if kind and kind in groups and len(groups[kind].hits) > PER_PAGE:
        groups[kind].hits = groups[kind].hits[:PER_PAGE]
        has_next = True
    ordered = [groups[provider.kind] for provider in providers if provider.kind in groups]
    return Results(query, terms, ordered, page=page if kind else 1, has_next=has_next)
