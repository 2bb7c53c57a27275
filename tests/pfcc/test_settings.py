"""Settings come from the environment, with safe production defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-with-enough-entropy-0123456789abcdef-XYZ",
    "DJANGO_ALLOWED_HOSTS": "pfcc.example.org",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example.org:587",
    "DATABASE_URL": "postgres://pfcc:pfcc@db.example.org:5432/pfcc",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args, env_overrides=None, drop=()):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(env_overrides or {})
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def settings_value(name, env):
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    return run_manage("shell", "--no-imports", "-c", code, env_overrides=env)


def run_python(code, env_overrides=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env.pop("DATABASE_URL", None)
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_debug_is_off_and_the_server_needs_a_secret_key():
    served = run_python("import config.wsgi")
    assert served.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in served.stderr
    assert run_python("import config.asgi").returncode != 0
    with_key = run_python(
        "import config.wsgi", {"DJANGO_SECRET_KEY": PRODUCTION["DJANGO_SECRET_KEY"]}
    )
    assert with_key.returncode == 0, with_key.stderr


def test_check_deploy_reports_a_missing_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr + result.stdout


def test_commands_that_sign_nothing_run_without_a_secret_key():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_debug_only_with_1():
    result = settings_value("DEBUG", {"DJANGO_DEBUG": "1"})
    assert result.stdout.strip() == "True"
    result = settings_value("DEBUG", {"DJANGO_DEBUG": "0", **PRODUCTION})
    assert result.stdout.strip() == "False"


def test_allowed_hosts_and_database_url_and_cache_from_environment():
    env = dict(PRODUCTION)
    code = (
        "from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.CACHES['default']['BACKEND'], "
        "s.MAILERS['default']['OPTIONS']['host'], s.SECURE_SSL_REDIRECT)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "['pfcc.example.org']",
        "django.db.backends.postgresql",
        "True",
        "common.cachebackend.ResilientRedisCache",
        "smtp.example.org",
        "True",
    ]


def test_development_defaults_to_sqlite_console_mail_and_local_memory_cache():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.MAILERS['default']['BACKEND'], "
        "s.CACHES['default']['BACKEND'])"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides={"DJANGO_DEBUG": "1"})
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


@pytest.mark.parametrize("url", ["ftp://x", "gopher://mail"])
def test_bad_email_url_is_a_clear_error(url):
    result = run_manage("check", env_overrides={**PRODUCTION, "EMAIL_URL": url})
    assert result.returncode != 0
    assert "EMAIL_URL has an unsupported scheme" in result.stderr


def test_check_deploy_is_clean_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_keep_the_security_features_on():
    code = (
        "from django.conf import settings as s; "
        "print(','.join(map(str, s.SECURE_CSP['script-src'] + s.SECURE_CSP['style-src'])), "
        "'allauth.mfa' in s.INSTALLED_APPS, "
        "'common.middleware.StaffMFAMiddleware' in s.MIDDLEWARE, "
        "bool(s.ACCOUNT_RATE_LIMITS['login_failed']), s.PFCC_RATE_LIMIT_DEFAULT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "'self','self'",
        "True",
        "True",
        "True",
        "10/m,100/d",
        "True",
        "True",
        "31536000",
    ]
