from django.db import migrations, models


# The documents of restricted kinds (camp reports) need their reader tokens: an index built
# before this column finds them for staff only until rebuilt. Rebuilt here with the providers'
# current code (registered by the apps' ready(), which runs before migrations), as
# `manage.py rebuild_search_index --kind report` would.
def fill_readers(apps, schema_editor):
    from pfcc.search_registry import search_providers
    from search import index

    Document = apps.get_model("search", "Document")
    kinds = [
        provider.kind
        for provider in search_providers.ordered()
        if provider.reader_tokens is not None
        and Document.objects.using(schema_editor.connection.alias)
        .filter(kind=provider.kind)
        .exists()
    ]
    if kinds:
        index.rebuild(kinds)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="readers",
            field=models.TextField(blank=True, verbose_name="readers"),
        ),
        migrations.RunPython(fill_readers, migrations.RunPython.noop),
    ]
