"""Strings of Django and its add-ons that show on our pages but have no Chinese translation in
their own catalogs yet (new in Django 6). Marked here so that `make makemessages` keeps them in
/locale, whose translations take precedence."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),  # BLANK_CHOICE_LABEL of choice fields (forms, admin)
)
