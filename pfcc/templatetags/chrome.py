"""`{% constant %}…{% endconstant %}`: a piece of a page that is the same on every request of a
process, in one language (the header's links, the footer): rendered once per language and
address prefix, then reused. Its body sees none of the page's variables (it renders in an empty
context), so nothing of one request can show on another; it may hold no {% block %}.

What it saves: base.html's {% url %}, {% static %} and {% translate %} tags cost about 1 ms of
CPU a page (on a 2-core bench machine), most of a page that is not otherwise cached (the search
results); the reused pieces cost a dictionary lookup."""

import weakref

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Every {% constant %} of the loaded templates: a settings change (tests' override_settings of
# the static files' storage, the languages, the URLs) forgets what they rendered.
_nodes: weakref.WeakSet = weakref.WeakSet()


@receiver(setting_changed)
def _forget_renderings(**kwargs):
    for node in list(_nodes):
        node.rendered.clear()


class ConstantNode(template.Node):
    # Holds no block: {% extends %}, which looks for blocks on every render, need not look in.
    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered = {}  # (language, script prefix) -> HTML; lives as long as the template
        _nodes.add(self)

    def render(self, context):
        key = (get_language(), get_script_prefix(), context.autoescape)
        html = self.rendered.get(key)
        if html is None:
            html = mark_safe(self.nodelist.render(context.new()))
            self.rendered[key] = html
        return html


@register.tag
def constant(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% constant %} takes no arguments")
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% constant %} may not hold a {% block %}")
    return ConstantNode(nodelist)
