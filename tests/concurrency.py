"""Real races for the PostgreSQL tests: jobs released at the same moment, each in its own thread
and so its own database connection."""

import threading

from django.db import connections


def run_at_once(jobs, expected=(), timeout=60):
    """Run every job at once; return each job's result, in job order.

    A job that raises one of the `expected` exception types gives that exception as its result
    (the loser of a race being told "already done"); any other exception fails the test."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    unexpected = []

    def run(index, job):
        try:
            barrier.wait(timeout=timeout)
            results[index] = job()
        except expected as error:
            results[index] = error
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            unexpected.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a job did not finish in time"
    assert unexpected == [], unexpected
    return results
