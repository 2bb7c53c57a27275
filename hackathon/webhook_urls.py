"""Included at `webhooks/github/` by the project's urls."""

from django.urls import path

from .webhooks import github_webhook

urlpatterns = [path("", github_webhook, name="github_webhook")]
