"""Every text people can write has a length limit (common/limits.py): the models carry it, so
every ModelForm, the admin and full_clean enforce it, and the renderer never sees megabytes."""

import pytest
from django.apps import apps
from django.db import models

AREAS = ["pfcc", "membership", "blog", "hackathon", "camp", "events"]
# Areas whose models still get their limits (issue 19, in progress).
MOVING: set[str] = set()


@pytest.mark.parametrize(
    "label",
    [
        pytest.param(label, marks=pytest.mark.xfail(strict=True, reason="moving"))
        if label in MOVING
        else label
        for label in AREAS
    ],
)
def test_every_text_field_has_a_length_limit(label):
    unlimited = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField) and field.editable and not field.max_length
    ]
    assert unlimited == []
