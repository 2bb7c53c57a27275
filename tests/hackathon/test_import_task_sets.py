"""`manage.py import_task_sets` on a config written like the bot's HackathonBot/config.py."""

from io import StringIO

import pytest
from django.core.management import call_command

from hackathon.models import Edition, Task, TaskSet

pytestmark = pytest.mark.django_db

CONFIG = """
import os
common_config = {'issue_token': os.environ.get('ISSUE_TOKEN'), 'board': True}
configs = [
    {
        'issue_name': "【Hackathon 10th】开源贡献个人挑战赛 · 春节特别季",
        'issue_url': 'https://api.github.com/repos/PaddlePaddle/Paddle/issues/77429',
        'repo_urls': ['https://api.github.com/repos/PaddlePaddle/Paddle/pulls',
                      'https://api.github.com/repos/PaddlePaddle/community/pulls'],
        'max_task_id': 4,
        'removed_tasks': [2],
        'type_names': ["框架开发任务", "科学计算任务"],
        'task_types': [['1-2'], ['3-4']],
        'pr_prefix': "Hackathon 10th Spring No.",
        'hackathon': True,
    },
    {
        'issue_name': "PaddlePaddle API兼容性增强",
        'issue_url': 'https://api.github.com/repos/PaddlePaddle/Paddle/issues/76301',
        'repo_urls': ['https://api.github.com/repos/PaddlePaddle/PaConvert/pulls'],
        'max_task_id': 3,
        'removed_tasks': [],
        'type_names': ["API"],
        'task_types': [['1-3']],
        'pr_prefix': "API Compatibility No",
        'hackathon': False,
    },
]
"""


def test_the_bots_sets_arrive_once_with_tags_repositories_and_issue(tmp_path):
    path = tmp_path / "config.py"
    path.write_text(CONFIG, encoding="utf-8")
    out = StringIO()
    call_command("import_task_sets", str(path), stdout=out)
    assert "2 task sets read: 2 created, 0 updated" in out.getvalue()
    spring = TaskSet.objects.get(issue_url="https://github.com/PaddlePaddle/Paddle/issues/77429")
    assert spring.edition == Edition.objects.get(number=10)
    assert spring.tags == ["hackathon 10th spring"]
    assert spring.rfc_repository == "PaddlePaddle/community"
    assert spring.counts_repository("paddlepaddle/paddle")
    api = TaskSet.objects.get(edition=None)
    assert api.tags == ["api compatibility"] and api.counts_repository("PaddlePaddle/PaConvert")
    assert [s.pk for s in TaskSet.objects.for_tag("【API Compatibility No.")] == [api.pk]
    # Again, with a task of the removed number present: updated, the task withdrawn.
    Task.objects.create(task_set=spring, number=2, title="removed")
    out = StringIO()
    call_command("import_task_sets", str(path), stdout=out)
    assert "0 created, 2 updated, 1 tasks withdrawn" in out.getvalue()
    assert Task.objects.get(task_set=spring, number=2).state == Task.State.WITHDRAWN
