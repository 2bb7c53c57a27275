"""Reading the community bot's config.py (PFCCLab/PaddleAutoProject HackathonBot) without
running it. The fixture is written here, modelled on the real file's shape."""

import pytest

from hackathon.bot_config import BotConfigError, BotTaskSet, read_bot_config, title_tag_of_prefix
from hackathon.pr_titles import normalize_tag, parse_pr_title

CONFIG = """# -*- coding: utf-8 -*-
import logging
import os

common_config = {
    'issue_token': os.environ.get('ISSUE_TOKEN'),
    'proxies': {'http': os.environ.get('HTTP_PROXY')},
    'board': True,
    'comment_to_user_list': [],
}

configs = [
    {
        # 任务名称
        'issue_name': "【Hackathon 8th】开源贡献个人挑战赛 · 冲刺",
        'start_time': '2025-03-01T00:00:00Z',
        'issue_url': 'https://api.github.com/repos/ExampleOrg/Engine/issues/1200',
        'repo_urls': ['https://api.github.com/repos/ExampleOrg/Engine/pulls',
                      'https://api.github.com/repos/ExampleOrg/community/pulls',
                      'https://api.github.com/repos/ExampleLab/Tools/pulls'],
        'max_task_id': 12,
        'un_handle_tasks': [4],
        'removed_tasks': [3, '7'],
        'type_names': ["框架开发任务", "科学计算任务"],
        'task_types': [['1-2', '9'], ['3-8', 10, '11 - 12']],
        'pr_prefix': "Hackathon 8th Sprint No.",
        'pr_col': 4,
        'complete_col': 5,
        'hackathon': True,
    },
    {
        'issue_name': "【快乐开源】示例文档修复任务",
        'start_time': '2025-04-01T00:00:00Z',
        'issue_url': 'https://api.github.com/repos/ExampleOrg/docs/issues/77',
        'repo_urls': ['https://api.github.com/repos/ExampleOrg/docs/pulls'],
        'task_num': 30,
        'un_handle_tasks': [],
        'removed_tasks': [],
        'type_names': ["热身赛"],
        'task_types': [['1-30']],
        'pr_prefix': "[Docathon][Fix Doc No.",
        'board': False,
        'hackathon': False,
    },
    {
        'issue_name': "【HACKATHON 9th Partners】合作伙伴赛道",
        'issue_url': 'https://api.github.com/repos/ExampleOrg/Engine/issues/1300',
        'repo_urls': [],
        'max_task_id': 3,
        'type_names': ["打卡任务"],
        'task_types': [['1-3']],
    },
    {
        'issue_name': "Old catch-all",
        'issue_url': 'https://api.github.com/repos/ExampleOrg/Engine/issues/5',
        'repo_urls': [],
        'pr_prefix': "Hackathon.*?No",
        'type_names': [],
        'task_types': [],
    },
]

logger = logging.getLogger('never-run')
open('./logs/output.txt', 'w')  # importing the real file opens a log: reading must not
"""


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "config.py"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_every_set_with_its_tags_repositories_removed_tasks_and_tracks(config_file, tmp_path):
    sets = read_bot_config(config_file)
    assert [s.key for s in sets] == [
        "ExampleOrg/Engine#1200",
        "ExampleOrg/docs#77",
        "ExampleOrg/Engine#1300",
        "ExampleOrg/Engine#5",
    ]
    assert sets[0] == BotTaskSet(
        key="ExampleOrg/Engine#1200",
        title_tags=("hackathon 8th sprint",),
        edition=8,
        name="【Hackathon 8th】开源贡献个人挑战赛 · 冲刺",
        issue_url="https://github.com/ExampleOrg/Engine/issues/1200",
        repositories=("ExampleOrg/Engine", "ExampleLab/Tools"),
        rfc_repository="ExampleOrg/community",
        removed_numbers=(3, 7),
        tracks=(("框架开发任务", (1, 2, 9)), ("科学计算任务", (3, 4, 5, 6, 7, 8, 10, 11, 12))),
        pr_prefix="Hackathon 8th Sprint No.",
        max_number=12,
        manual_numbers=(4,),
        start_time="2025-03-01T00:00:00Z",
        is_hackathon=True,
        shows_board=True,
    )
    assert not (tmp_path / "logs").exists()  # nothing in the file ran


def test_a_standalone_activity_has_no_edition(config_file):
    docs = read_bot_config(config_file)[1]
    assert docs.title_tags == ("fix doc",)
    assert docs.edition is None
    assert docs.repositories == ("ExampleOrg/docs",)
    assert docs.rfc_repository == ""
    assert docs.max_number == 30  # older files say task_num
    assert docs.is_hackathon is False
    assert docs.shows_board is False
    assert docs.tracks == (("热身赛", tuple(range(1, 31))),)


def test_a_set_without_prefix_takes_its_edition_from_its_name(config_file):
    partners = read_bot_config(config_file)[2]
    assert partners.title_tags == ()
    assert partners.edition == 9
    assert partners.repositories == ()
    assert partners.removed_numbers == ()


def test_a_pattern_prefix_keeps_its_literal_part(config_file):
    catch_all = read_bot_config(config_file)[3]
    assert catch_all.title_tags == ("hackathon",)
    assert catch_all.pr_prefix == "Hackathon.*?No"


def test_the_sets_tags_match_the_titles_of_their_pull_requests(config_file):
    sprint, docs, *_rest = read_bot_config(config_file)
    assert parse_pr_title("【Hackathon 8th Sprint No.5】fix").tag in sprint.title_tags
    assert parse_pr_title("[Docathon][Fix Doc No.12] 修复文档").tag in docs.title_tags


@pytest.mark.parametrize(
    ("prefix", "tag"),
    [
        ("Hackathon 10th Spring No.", "hackathon 10th spring"),
        ("API Compatibility No", "api compatibility"),
        ("[Docathon][Update Doc No.", "update doc"),
        ("【PPSCI Doc No.】", "ppsci doc"),
        ("Hackathon.*?No", "hackathon"),
        ("[Auto Parallel] Add spmd rule", "add spmd rule"),
        ("Paddle Toolkit Development Competition", "paddle toolkit development competition"),
    ],
)
def test_title_tag_of_prefix(prefix, tag):
    assert title_tag_of_prefix(prefix) == tag == normalize_tag(tag)


@pytest.mark.parametrize(
    "source",
    [
        "configs = None\n",
        "common_config = {}\n",
        "configs = [\n",  # not Python
    ],
)
def test_a_file_without_a_configs_list_is_refused(tmp_path, source):
    path = tmp_path / "config.py"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(BotConfigError):
        read_bot_config(path)


def test_values_that_are_not_literals_or_of_the_wrong_type_are_skipped(tmp_path):
    path = tmp_path / "config.py"
    path.write_text(
        "configs = [{'issue_name': os.environ['X'], 'issue_url': 42, 'repo_urls': 'x',"
        " 'removed_tasks': ['a', True, 5], 'type_names': ['t', 3], 'task_types': [['1-2'], ['3']],"
        " 'max_task_id': True, 'pr_prefix': None}]\n",
        encoding="utf-8",
    )
    (task_set,) = read_bot_config(path)
    assert task_set.name == ""
    assert task_set.issue_url == ""
    assert task_set.repositories == ()
    assert task_set.removed_numbers == (5,)
    assert task_set.tracks == (("t", (1, 2)),)
    assert task_set.max_number is None
    assert task_set.title_tags == ()


def test_the_first_format_served_one_set(tmp_path):
    path = tmp_path / "config.py"
    path.write_text(
        "import os\n"
        "config = {'issue_name': '【快乐开源】示例任务', 'token': os.environ.get('T'),\n"
        "          'issue_url': 'https://api.github.com/repos/ExampleOrg/Science/issues/9',\n"
        "          'repo_urls': ['https://api.github.com/repos/ExampleOrg/Science/pulls'],\n"
        "          'task_num': 20, 'type_names': ['热身赛'], 'task_types': [['1-20']],\n"
        "          'pr_prefix': 'hydra No.'}\n",
        encoding="utf-8",
    )
    (task_set,) = read_bot_config(path)
    assert task_set.key == "ExampleOrg/Science#9"
    assert task_set.title_tags == ("hydra",)
    assert task_set.max_number == 20
