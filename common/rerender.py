"""Re-render every stored Markdown HTML field of every app from its source.

The core imports no app: models declare their Markdown themselves, as a class attribute naming
each source field and the field that stores its HTML,

    markdown_fields = {"description": "description_html"}

and may render in their own way with a classmethod `render_markdown_values(values) -> dict`
(values: the source fields; returns the HTML fields), as blog posts do (excerpt, table of
contents, chat bubbles). Everything else is `common.markdown.render_markdown`.

Rows are compared and only changed ones written, with `update()` (no `save()`: no timestamps
bumped, no e-mail, no side effects), so a second run changes nothing.
`manage.py rerender_markdown` runs it; a data migration runs it once with the historical models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps as global_apps

from .markdown import render_markdown

BATCH = 500


@dataclass
class Count:
    label: str
    checked: int = 0
    changed: int = 0


def markdown_models() -> list[type]:
    """Every installed model that declares `markdown_fields`."""
    return [
        model
        for model in global_apps.get_models()
        if isinstance(getattr(model, "markdown_fields", None), dict) and model.markdown_fields
    ]


def _renderer(model) -> Callable[[dict], dict]:
    custom = getattr(model, "render_markdown_values", None)
    if custom is not None:
        return custom
    fields = model.markdown_fields

    def render(values: dict) -> dict:
        return {html: render_markdown(values[source]).html for source, html in fields.items()}

    return render


def rerender_model(model, query_model=None) -> Count:
    """Re-render one model's rows (`query_model`: the class to query, e.g. a migration's
    historical model; its rows are rendered by `model`'s rules)."""
    query_model = query_model or model
    render = _renderer(model)
    count = Count(model._meta.label)
    sources = list(model.markdown_fields)
    probe = render(dict.fromkeys(sources, ""))
    outputs = list(probe)
    pending = []
    rows = query_model._default_manager.order_by("pk").values_list("pk", *sources, *outputs)
    for row in rows.iterator(chunk_size=BATCH):
        count.checked += 1
        pk, values, stored = row[0], row[1 : 1 + len(sources)], row[1 + len(sources) :]
        fresh = render({source: value or "" for source, value in zip(sources, values, strict=True)})
        changed = {
            field: fresh[field]
            for field, old in zip(outputs, stored, strict=True)
            if (old or "") != fresh[field]
        }
        if changed:
            pending.append((pk, changed))
        if len(pending) >= BATCH:
            count.changed += _write(query_model, pending)
            pending = []
    count.changed += _write(query_model, pending)
    return count


def _write(query_model, pending) -> int:
    for pk, changed in pending:
        query_model._default_manager.filter(pk=pk).update(**changed)
    return len(pending)


def rerender_all(apps=None) -> list[Count]:
    """Every declared model; with `apps` (a migration's registry) its historical models are
    queried."""
    counts = []
    for model in markdown_models():
        query_model = None
        if apps is not None:
            try:
                query_model = apps.get_model(model._meta.app_label, model._meta.model_name)
            except LookupError:
                continue  # not created yet at this point of the migrations
        counts.append(rerender_model(model, query_model))
    return counts
