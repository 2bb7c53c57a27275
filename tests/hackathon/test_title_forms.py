"""Two title and comment forms the community's bot served and the portal now reads by rule:

1. Text task identifiers (`C-115`, `1.3`) where a set numbers its items that way: in PR titles
   (`【TAG No.C-115】`) and in claim comments (`【报名】：C-115、C-116`).
2. Sets whose bot prefix had no "No." (`Starter Code Camp`, `Add spmd rule`, `Add Inplace CN
   Doc`, `Hackathon 9th ERNIE Tutorial`, …). The bot matched the prefix anywhere in the title and
   took the first digit after the title's first "No" — or, without one, the title's first digit
   (`【Hackathon 9th ERNIE Tutorial】…` was task 9). The portal reads "No.N" for every set and,
   only for a set configured so (`TaskSet.number_follows_tag`), the number written right after
   its tag; a digit anywhere else names no task.

Titles marked "real" are the community's own pull requests on PaddlePaddle repositories; the
others are written here in the forms the bot accepted or refused.
"""

import pytest

from hackathon.claim_comments import ClaimComment, CommentError, parse_claim_comment
from hackathon.pr_titles import PullRequestTitle, TitleError, parse_pr_title
from hackathon.task_numbers import natural_key, normalize_identifier, parse_task_keys

# The tags of the sets whose number may follow the tag (their bot prefix had no "No.").
DIRECT = frozenset(
    {
        "starter code camp",
        "add spmd rule",
        "add inplace cn doc",
        "hackathon 9th ernie tutorial",
        "cmake opt",
        "fix note",
        "hackathon 7th fundable projects 1",
    }
)


def title(tag, numbers=(), identifiers=(), edition=None, marker=""):
    return PullRequestTitle(
        tag=tag,
        edition=edition,
        numbers=tuple(numbers),
        marker=marker,
        identifiers=tuple(identifiers),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Text identifiers, any set ("No." required as for numbers).
        ("【Hackathon 7th No.C-115】为 Paddle 新增 xxx", title("hackathon 7th", (), ["C-115"], 7)),
        ("【Hackathon 7th No. c-115、C-116】两个任务", title("hackathon 7th", (), ["C-115", "C-116"], 7)),
        ("[API Compatibility No.1.3] torch.add alias", title("api compatibility", (), ["1.3"])),
        ("【API Compatibility No.1.3，1.10】x", title("api compatibility", (), ["1.3", "1.10"])),
        ("【Ｈackathon 7th Ｎｏ．Ｃ－１１５】全角", title("hackathon 7th", (), ["C-115"], 7)),
        ("【Hackathon 7th No.C-115】实现 -part", title("hackathon 7th", (), ["C-115"], 7, "part")),
        ("【Hackathon 7th No.24、C-3】混合", title("hackathon 7th", [24], ["C-3"], 7)),
        # Numbers are read as before, next to the identifiers.
        ("【Hackathon 7th No.24、26-28、30】… -part", title("hackathon 7th", [24, 26, 27, 28, 30], (), 7, "part")),
        ("【Hackathon 10th Spring No.5】x", title("hackathon 10th spring", [5], (), 10)),
        # Real titles of sets whose bot prefix had no "No.": they wrote "No." all the same.
        ("[Auto Parallel] Add spmd rule No.1 for topk and topk_grad ops", title("add spmd rule", [1])),
        ("【CMake opt No.2】rm some DEPS of `test/cpp/auto_parallel/CMakeLists.txt`", title("cmake opt", [2])),
        ("【CMake opt No.14】 Remove redundat deps of sub_graph", title("cmake opt", [14])),
        ("[Docathon][Fix note No.25、26]", title("fix note", [25, 26])),
        ("【Hackathon 9th ERNIE Tutorial No.1】基于树莓派构造基于Ernie的词语解释器", title("hackathon 9th ernie tutorial", [1], (), 9)),
        # The number right after the tag, for those sets only.
        ("【Starter Code Camp 3】修复文档", title("starter code camp", [3])),
        ("【Starter Code Camp】3 修复文档", title("starter code camp", [3])),
        ("【Starter Code Camp】：3、4 修复文档", title("starter code camp", [3, 4])),
        ("【Add Inplace CN Doc #12】paddle.abs_", title("add inplace cn doc", [12])),
        ("[Add Inplace CN Doc 12-13] 两个", title("add inplace cn doc", [12, 13])),
        ("【Hackathon 9th ERNIE Tutorial 2】案例", title("hackathon 9th ernie tutorial", [2], (), 9)),
        ("【Hackathon 7th Fundable Projects 1 3】 x -part", title("hackathon 7th fundable projects 1", [3], (), 7, "part")),
        ("【Starter Code Camp C-1】文本编号", title("starter code camp", (), ["C-1"])),
    ],
)  # fmt: skip
def test_titles_give_their_set_and_tasks(text, expected):
    assert parse_pr_title(text, DIRECT) == expected


@pytest.mark.parametrize(
    "text",
    [
        # The bot read 9 (the first digit of the title): no task is named.
        "【Hackathon 9th ERNIE Tutorial】基于树莓派构造基于Ernie的词语解释器",
        # The bot read 3 (the first digit after the prefix).
        "【Starter Code Camp】fix issue 3",
        "【Starter Code Camp】2024年总结",
        # A set that requires "No." (its prefix had it): the bot ignored these titles.
        "【Hackathon 10th Spring 5】为 Paddle 新增",
        "【Hackathon 9th Sprint 3】 x",
        # The template's placeholder, a range of identifiers.
        "【Hackathon 9th No.xxx】",
        "【Hackathon 7th No.C-115-117】",
    ],
)
def test_titles_refused_with_a_reason(text):
    with pytest.raises(TitleError):
        parse_pr_title(text, DIRECT)


@pytest.mark.parametrize(
    ("text", "direct"),
    [
        ("【PaddleX 3】OCR 文档", DIRECT),  # PaddleX No. is required
        ("【Starter Code Camp 3】修复文档", frozenset()),  # not configured for the set
        ("【Starter Code Camp 3rd】", DIRECT),  # "3rd" is no task number
        ("fix: no v2 support", DIRECT),  # "no v2": a word, not No.V2
        ("[API Compatibility 12] torch.add", DIRECT),  # API Compatibility No. is required
    ],
)
def test_titles_that_name_no_task(text, direct):
    assert parse_pr_title(text, direct) is None


def test_a_direct_number_never_goes_to_another_sets_tag():
    # "Starter Code Camp 3" must not be read as the set "starter code" with task "Camp 3".
    parsed = parse_pr_title("【Starter Code Camp3】x", DIRECT | {"starter code"})
    assert (parsed.tag, parsed.numbers, parsed.identifiers) == ("starter code camp", (3,), ())


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("【报名】：C-115、C-116", ClaimComment("claim", (), ("C-115", "C-116"))),
        ("【报名】:1.3", ClaimComment("claim", (), ("1.3",))),
        ("【报名】：ｃ－１１５ SDGD优化器", ClaimComment("claim", (), ("C-115",))),
        ("【报名】：2、C-7、9-10", ClaimComment("claim", (2, 9, 10), ("C-7",))),
        ("【取消报名】：C-115", ClaimComment("withdraw", (), ("C-115",))),
        ("【报名】：19", ClaimComment("claim", (19,))),  # numbers as before
    ],
)
def test_comments_with_identifiers(body, expected):
    assert parse_claim_comment(body) == expected


@pytest.mark.parametrize("body", ["【报名】：C-115-117", "【报名】：C-", "报名: C-115"])
def test_comments_with_identifiers_refused(body):
    with pytest.raises(CommentError):
        parse_claim_comment(body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c-115", "C-115"),
        (" Ｃ－１１５ ", "C-115"),
        ("1.3", "1.3"),
        ("A12", "A12"),
        ("42", None),  # digits alone are a number
        ("C-", None),
        ("1.", None),
        ("xxx", None),
        ("C-115-117", None),
    ],
)
def test_normalize_identifier(text, expected):
    assert normalize_identifier(text) == expected


def test_identifiers_sort_as_people_read_them():
    values = ["C-115", "1.10", "C-2", "1.3", "B-9"]
    assert sorted(values, key=natural_key) == ["1.3", "1.10", "B-9", "C-2", "C-115"]


def test_the_claim_form_takes_identifiers_and_numbers():
    assert parse_task_keys("C-115、c-116，2 - 3") == (["2", "3", "C-115", "C-116"], [])
    keys, errors = parse_task_keys("C-1、x")
    assert keys == ["C-1"] and errors and errors[0][0] == "x"
