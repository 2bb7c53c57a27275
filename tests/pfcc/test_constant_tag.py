"""{% constant %}: fixed pieces of a page rendered once per language, never a request's data."""

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import translation

from pfcc.templatetags.chrome import ConstantNode


def _template(source):
    return Template("{% load i18n chrome %}" + source)


def test_renders_once_per_language_and_shows_each_its_own():
    template = _template('{% constant %}{% translate "Search" %}{% endconstant %}')
    with translation.override("en"):
        assert template.render(Context()) == "Search"
        assert template.render(Context()) == "Search"
    with translation.override("zh-hans"):
        assert template.render(Context()) == "搜索"
    with translation.override("en"):
        assert template.render(Context()) == "Search"
    (node,) = [node for node in template.nodelist if isinstance(node, ConstantNode)]
    assert len(node.rendered) == 2  # kept: one per language


def test_the_body_sees_none_of_the_request_s_variables():
    template = _template("{% constant %}[{{ secret }}]{% endconstant %}{{ secret }}")
    assert template.render(Context({"secret": "alice"})) == "[]alice"
    # A second request's value never shows in the kept piece, nor the first one's.
    assert template.render(Context({"secret": "bob"})) == "[]bob"


def test_a_block_inside_is_refused():
    with pytest.raises(TemplateSyntaxError):
        _template("{% constant %}{% block x %}{% endblock %}{% endconstant %}")
    with pytest.raises(TemplateSyntaxError):
        Engine.get_default().from_string("{% load chrome %}{% constant now %}{% endconstant %}")


def test_a_settings_change_renders_afresh(settings):
    """The static files' storage (the browser tests serve unhashed files), the static URL or
    the languages may change under tests' override_settings: a kept piece must follow."""
    template = _template(
        "{% load static %}{% constant %}{% static 'css/site.css' %}{% endconstant %}"
    )
    settings.STATIC_URL = "/first/"
    assert template.render(Context()).startswith("/first/")
    settings.STATIC_URL = "/second/"
    assert template.render(Context()).startswith("/second/")
