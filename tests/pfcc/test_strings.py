"""Strings Django and its add-ons bring, as a Chinese reader meets them: the empty choice of a
select, the admin's name."""

import pytest
from django.db import models
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_empty_choice_of_a_select_is_translated():
    field = models.CharField(choices=[("a", "A")], blank=True)
    with translation.override("zh-hans"):
        label = str(field.get_choices()[0][1])
    assert label == "- 请选择 -"
    with translation.override("en"):
        assert str(field.get_choices()[0][1]) == "- Select an option -"


def test_the_admin_names_the_site_not_django(staff_client, settings):
    settings.SITE_NAME = "PFCC"
    page = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "PFCC 管理后台" in page and "Django 管理" not in page
    page = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "PFCC administration" in page and "Django administration" not in page
