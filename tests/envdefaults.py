"""Loaded by pytest (`-p tests.envdefaults`) before Django reads its settings: the environment a
test run needs. Real values already in the environment (DATABASE_URL on CI) win."""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789"
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ["DJANGO_TASKS_BACKEND"] = "immediate"
os.environ["EMAIL_URL"] = "locmem://"
os.environ.pop("REDIS_URL", None)  # tests use the local-memory cache, cleared per test
os.environ.pop("GITHUB_CLIENT_ID", None)
os.environ.pop("GITHUB_CLIENT_SECRET", None)
