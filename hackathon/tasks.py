"""Background work: post the site's replies on GitHub, with retries (as the e-mail queue)."""

from datetime import timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone

from . import github_api, transitions
from .models import GitHubReply

MAX_ATTEMPTS = 6


@task()
def post_reply(reply_id: int) -> bool:
    reply = GitHubReply.objects.filter(pk=reply_id, state=GitHubReply.State.PENDING).first()
    if reply is None:
        return False
    try:
        github_api.post_comment(reply.comments_path, reply.body)
    except github_api.GitHubAPIError as error:
        reply = transitions.reply_failed(
            reply, str(error), give_up=reply.attempts + 1 >= MAX_ATTEMPTS
        )
        if reply.state == GitHubReply.State.PENDING and default_task_backend.supports_defer:
            delay = timedelta(minutes=min(60, 2 ** (reply.attempts - 1)))
            post_reply.using(run_after=timezone.now() + delay).enqueue(reply.pk)
        return False
    transitions.reply_sent(reply)
    return True
