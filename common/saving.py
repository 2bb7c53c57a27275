"""What a model's save() writes when some of its columns belong to someone else.

Counters (seats taken, likes, scores) are changed by the app's transitions with F() under a
lock: a form's copy of the row, loaded before someone registered or liked, must not write its
stale numbers back. A model lists them in `COUNTER_FIELDS` and its Markdown in
`markdown_fields` (source field → stored HTML field, as common.rerender reads it), and calls

    fields = fields_to_save(self, update_fields)
    super().save(*args, update_fields=fields, **kwargs)
"""

from __future__ import annotations

from .markdown import render_markdown


def fields_to_save(instance, update_fields) -> set[str] | None:
    """The fields a save() of `instance` writes: those asked for, or, for a row that exists,
    every column but its counters (None: a new row, every column). The stored HTML of each
    Markdown field written is rendered again and written with it."""
    fields = set(update_fields) if update_fields is not None else None
    if fields is None and not instance._state.adding:
        fields = {
            field.name for field in instance._meta.concrete_fields if not field.primary_key
        } - set(instance.COUNTER_FIELDS)
    for source, target in instance.markdown_fields.items():
        if fields is None or source in fields:
            setattr(instance, target, render_markdown(getattr(instance, source)).html)
            if fields is not None:
                fields.add(target)
    return fields
