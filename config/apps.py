"""Third-party apps named in the site's languages (their own AppConfig names them in English
only, and the admin shows that name as a section heading)."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
