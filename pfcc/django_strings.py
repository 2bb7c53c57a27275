"""Strings of Django and its add-ons that show on our pages but have no Chinese translation in
their own catalogs yet (new in Django 6). Marked here so that `make makemessages` keeps them in
/locale, whose translations take precedence."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),  # BLANK_CHOICE_LABEL of choice fields (forms, admin)
    # django-tasks-db (the e-mail queue's task results, in the admin): no catalog of its own.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
)
