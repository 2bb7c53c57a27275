"""Existing content moves to the markdown-it renderer: every stored Markdown HTML field of every
app is rendered again from its source (common.rerender; `manage.py rerender_markdown` does the
same by hand)."""

from django.db import migrations


def rerender(apps, schema_editor):
    from common.rerender import rerender_all

    rerender_all(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_state_audit_page_limits"),
        ("hackathon", "0003_github_webhooks"),
        ("camp", "0001_initial"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
