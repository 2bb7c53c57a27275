"""Query budgets: a page must cost the same number of SQL queries at any data size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, expected_status: int = 200) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == expected_status, (url, response.status_code)
    return len(context.captured_queries)


def assert_flat_queries(client, url: str, grow, small: int = 10, large: int = 1000) -> int:
    """Count the queries of `url` after `grow(small)` and again after `grow(large)` (grow adds
    rows up to that total); they must be equal. Returns the count, to assert a budget on."""
    grow(small)
    at_small = count_queries(client, url)
    grow(large)
    at_large = count_queries(client, url)
    assert at_small == at_large, f"{url}: {at_small} queries at {small} rows, {at_large} at {large}"
    return at_small
