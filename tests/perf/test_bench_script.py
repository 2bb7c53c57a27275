"""`make bench`'s row for the search query alone in PostgreSQL (scripts/bench.py): the SQL it
hands pgbench is the search's own query, runnable as it stands, and pgbench's answer is read."""

import pytest
from django.db import connection

from scripts import bench
from tests.blog.factories import PostFactory

PGBENCH_OUTPUT = """pgbench (15.20 (Debian 15.20-0+deb12u1))
transaction type: multiple scripts
scaling factor: 1
query mode: simple
number of clients: 4
number of threads: 2
maximum number of tries: 1
duration: 10 s
number of transactions actually processed: 24903
number of failed transactions: 0 (0.000%)
latency average = 1.607 ms
initial connection time = 6.512 ms
tps = 2490.318776 (without initial connection time)
"""


def test_reads_pgbench_output():
    assert bench.parse_pgbench(PGBENCH_OUTPUT) == {
        "rps": 2490.318776,
        "latency_avg_ms": 1.607,
        "requests": 24903,
        "errors": 0,
    }


@pytest.mark.postgres(reason="pgbench runs the search's PostgreSQL query")
@pytest.mark.django_db
def test_search_sql_files_run_as_they_stand_and_find_what_the_search_finds():
    """Each file is a visitor's overview for one word, its values inlined: run alone, the file
    of 编译器 finds the post about compilers, and a word found nowhere finds nothing."""
    PostFactory(title="编译器与算子融合", body="深度学习框架的编译器")
    files = bench._search_sql_files()
    by_word = {
        bench.SEARCH_WORDS[int(path.rsplit("/", 1)[1].removesuffix(".sql"))]: path for path in files
    }
    assert set(by_word) == set(bench.SEARCH_WORDS)

    def titles(word):
        with open(by_word[word]) as sql, connection.cursor() as cursor:
            cursor.execute(sql.read().rstrip().removesuffix(";"))
            return [row[2] for row in cursor.fetchall()]

    assert titles("编译器") == ["编译器与算子融合"]
    assert titles("quantum") == []
