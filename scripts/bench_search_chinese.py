#!/usr/bin/env python3
"""Chinese in the search index: jieba segmentation at index time (what search/ ships) against
pg_trgm trigram indexes, measured on the bench data set already in the database.

    DATABASE_URL=postgres://…/pfcc_bench .venv/bin/python scripts/bench_search_chinese.py

Run `make bench` (or `manage.py seed_bench --scale N`) first. For each query, both ways find
the matching documents of every kind and rank the best 500 per kind; the time is PostgreSQL's
own execution time (EXPLAIN ANALYZE, the best of three runs, the two ways interleaved so that
the machine's load falls on both alike). The trigram index is built for the measurement and
dropped afterwards; its build time and size are reported next to the tsvector's.
"""

import os
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from search import text  # noqa: E402

QUERIES = [
    "编译器",  # a word in a quarter of the posts
    "算子",  # two characters: most Chinese words are
    "框架开发",  # in every post's title
    "新增 API",  # every task
    "贡献者 17",  # persons
    "阅读代码",  # reports
    "深度学习框架",  # a phrase jieba splits
    "客马",  # a substring across words: jieba cannot find it, trigrams can
    "量子",  # nothing
    "Paddle",
    "lorem ipsum",
    "compil",  # an English prefix
]
KINDS = ("post", "task", "project", "report", "person")
LIMIT = 500


def explain_ms(sql, params) -> float:
    best = None
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        plan = plan[0] if isinstance(plan, list) else plan
        ms = plan["Execution Time"]
        best = ms if best is None else min(best, ms)
    return best


def count(sql, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) x", params)  # noqa: S608 - our SQL
        return cursor.fetchone()[0]


def jieba_sql(query):
    terms = text.query_terms(query)
    every, anyone = text.tsquery(terms), text.tsquery(terms, operator="|")
    parts, params = [], []
    for kind in KINDS:
        parts.append(
            "(WITH m AS MATERIALIZED (SELECT d.id, d.vector FROM search_document d "  # noqa: S608
            f"WHERE d.kind = '{kind}' AND d.vector @@ to_tsquery('simple', %s)) "
            "SELECT id, ts_rank(vector, to_tsquery('simple', %s)) AS rank "
            "FROM (SELECT * FROM m LIMIT %s) c ORDER BY rank DESC LIMIT 20)"
        )
        params += [every, anyone, LIMIT]
    return " UNION ALL ".join(parts), params


def trigram_sql(query):
    words = query.split()
    parts, params = [], []
    for kind in KINDS:
        likes = " AND ".join(["(d.title || ' ' || d.body) ILIKE %s"] * len(words))
        parts.append(
            "(WITH m AS MATERIALIZED (SELECT d.id, d.title FROM search_document d "  # noqa: S608
            f"WHERE d.kind = %s AND {likes}) "
            "SELECT id, word_similarity(%s, title) AS rank "
            "FROM (SELECT * FROM m LIMIT %s) c ORDER BY rank DESC LIMIT 20)"
        )
        params += [kind, *[f"%{word}%" for word in words], query, LIMIT]
    return " UNION ALL ".join(parts), params


def main():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM search_document), "
            "pg_size_pretty(sum(pg_relation_size(indexrelid))) FROM pg_index "
            "WHERE indexrelid::regclass::text LIKE 'search_document_vector_%%'"
        )
        documents, vector_size = cursor.fetchone()
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("DROP INDEX IF EXISTS search_document_trigram")
        started = time.monotonic()
        cursor.execute(
            "CREATE INDEX search_document_trigram ON search_document "
            "USING gin ((title || ' ' || body) gin_trgm_ops)"
        )
        trigram_build = time.monotonic() - started
        cursor.execute("ANALYZE search_document")
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('search_document_trigram'))")
        trigram_size = cursor.fetchone()[0]
    print(
        f"{documents:,} documents; tsvector GIN indexes (one per kind) {vector_size}; "
        f"trigram GIN index {trigram_size}, built in {trigram_build:.1f} s; "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| query | jieba + tsvector: ms | matches | pg_trgm: ms | matches |")
    print("| --- | ---: | ---: | ---: | ---: |")
    jieba_times, trigram_times = [], []
    try:
        for query in QUERIES:
            j_sql, j_params = jieba_sql(query)
            t_sql, t_params = trigram_sql(query)
            j_ms, t_ms = explain_ms(j_sql, j_params), explain_ms(t_sql, t_params)
            jieba_times.append(j_ms)
            trigram_times.append(t_ms)
            print(
                f"| {query} | {j_ms:.1f} | {count(j_sql, j_params)} | {t_ms:.1f} | "
                f"{count(t_sql, t_params)} |"
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_document_trigram")
    print(
        f"| median | {statistics.median(jieba_times):.1f} | | "
        f"{statistics.median(trigram_times):.1f} | |"
    )


if __name__ == "__main__":
    main()
