"""The index follows saves and deletions of every model a provider names (its own model and
those in `depends_on`). Connected per model, so that other models keep Django's fast bulk
delete; providers register in their apps' ready(), which runs before this app's (the search app
comes last in INSTALLED_APPS)."""

from django.db.models.signals import post_delete, post_save

from pfcc.search_registry import search_providers

from . import index

# Set while a bulk job rewrites whole tables and rebuilds the index afterwards (seed_bench):
# one index write per deleted row would only slow it down.
suspended = False


def _saved(sender, instance, raw=False, **kwargs):
    if raw or suspended:  # raw: loading fixtures, the rows they point at may not be there yet
        return
    for provider, affected in search_providers.for_model(sender):
        index.update_objects(provider, affected(instance))


def _deleted(sender, instance, **kwargs):
    if suspended:
        return
    for provider, _affected in search_providers.for_model(sender):
        if sender is provider.model:
            index.remove(provider.kind, [instance.pk])
        # A dependency's deletion cascades to the documented rows, whose own signals follow.


def connect():
    models = set()
    for provider in search_providers.ordered():
        models |= {provider.model, *provider.depends_on}
    for model in models:
        uid = f"search-index-{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
