"""The PR title parser: a pure function, tested on the titles the community writes."""

import pytest

from hackathon.pr_titles import PullRequestTitle, TitleError, chinese_number, parse_pr_title


def T(edition, *numbers, sprint=False, sprint_number=None, part=False, final=False):
    return PullRequestTitle(
        edition=edition,
        numbers=tuple(numbers),
        sprint=sprint,
        sprint_number=sprint_number,
        part=part,
        final=final,
    )


TITLES = [
    # The usual forms, full- and half-width brackets.
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API", T(7, 42)),
    ("[Hackathon 7th No.42] 为 Paddle 新增 xxx API", T(7, 42)),
    ("［Hackathon 7th No.42］为 Paddle 新增 xxx API", T(7, 42)),
    ("【Hackathon 7th No.42】：为 Paddle 新增 xxx API", T(7, 42)),
    ("【Hackathon 7th No.42】: add api", T(7, 42)),
    ("【Hackathon 7th NO.42】add api", T(7, 42)),
    ("【Hackathon 7th no42】add api", T(7, 42)),
    ("【Hackathon 7th No. 42】add api", T(7, 42)),
    ("【Hackathon 7th No：42】add api", T(7, 42)),
    ("【hackathon 7th No.42】add api", T(7, 42)),
    ("【Hackathon7th No.42】add api", T(7, 42)),
    ("【Hackathon 7th  No.42 】add api", T(7, 42)),
    ("[Cherry-pick]【Hackathon 7th No.42】add api", T(7, 42)),
    # Full-width digits, letters and punctuation.
    ("【Hackathon ７th Ｎｏ．４２】add api", T(7, 42)),
    ("【Ｈａｃｋａｔｈｏｎ 7th No.42】add api", T(7, 42)),
    # Editions: ordinals, bare numbers, 第七期.
    ("【Hackathon 1st No.1】x", T(1, 1)),
    ("【Hackathon 2nd No.1】x", T(2, 1)),
    ("【Hackathon 3rd No.1】x", T(3, 1)),
    ("【Hackathon 4th No.1】x", T(4, 1)),
    ("【Hackathon 3th No.1】x", T(3, 1)),  # a typo of the ordinal still reads
    ("【Hackathon 10th No.1】x", T(10, 1)),
    ("【Hackathon 11th No.1】x", T(11, 1)),
    ("【Hackathon 21st No.1】x", T(21, 1)),
    ("【PaddlePaddle Hackathon 4】No.56 : add fp16 test", T(4, 56)),
    ("【PaddlePaddle Hackathon 3】No.29 add", T(3, 29)),
    ("【Hackathon 第七期 No.5】x", T(7, 5)),
    ("【Hackathon 第十期 No.5】x", T(10, 5)),
    ("【Hackathon 第十一期 No.5】x", T(11, 5)),
    ("【Hackathon 第8期 No.5】x", T(8, 5)),
    # Sprints are tasks of their edition.
    ("【Hackathon 9th Sprint No.3】fix", T(9, 3, sprint=True)),
    ("[Hackathon 9th Sprint No.3] fix", T(9, 3, sprint=True)),
    ("【Hackathon 9th Sprint 2 No.3】fix", T(9, 3, sprint=True, sprint_number=2)),
    ("【Hackathon 9th sprint No.3、4】fix", T(9, 3, 4, sprint=True)),
    # Other words between the edition and the number (tracks) are allowed.
    ("【Hackathon 6th Fundable Projects No.1】x", T(6, 1)),
    ("【Hackathon 7th PPSCI No.12】x", T(7, 12)),
    # Several tasks.
    ("【Hackathon 7th No.24、26-28、30】x", T(7, 24, 26, 27, 28, 30)),
    ("【Hackathon 7th No.24,26-28,30】x", T(7, 24, 26, 27, 28, 30)),
    ("【Hackathon 7th No.24，26－28，30】x", T(7, 24, 26, 27, 28, 30)),
    ("【Hackathon 7th No.24, 26 - 28, 30】x", T(7, 24, 26, 27, 28, 30)),
    ("【Hackathon 7th No.24；25】x", T(7, 24, 25)),
    ("【Hackathon 7th No.24～26】x", T(7, 24, 25, 26)),
    ("【Hackathon 7th No.24、No.25】x", T(7, 24, 25)),
    ("【Hackathon 7th No.24、24】x", T(7, 24)),
    # -part / -final.
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API -part", T(7, 42, part=True)),
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API-part", T(7, 42, part=True)),
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API - Part", T(7, 42, part=True)),
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API －part", T(7, 42, part=True)),
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API —part", T(7, 42, part=True)),
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API (part)", T(7, 42, part=True)),
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API （part）", T(7, 42, part=True)),
    ("【Hackathon 7th No.42】add api -part2", T(7, 42, part=True)),
    ("【Hackathon 7th No.42-part】add api", T(7, 42, part=True)),
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API -final", T(7, 42, final=True)),
    ("【Hackathon 7th No.42】为 Paddle 新增 xxx API -FINAL", T(7, 42, final=True)),
    ("【Hackathon 7th No.24、26-28】add -final", T(7, 24, 26, 27, 28, final=True)),
    ("【Hackathon 7th No.42】add the final layer", T(7, 42)),  # the word alone is no marker
    ("【Hackathon 7th No.42】add partial_sum", T(7, 42)),
    ("【Hackathon 7th No.42】add semi-partial op", T(7, 42)),
    ("【Hackathon 7th No.42】add multi-part upload", T(7, 42)),
    ("【Hackathon 7th No.42】fix pre-final check", T(7, 42)),
    ("【Hackathon 7th No.42】 -part 新增 API", T(7, 42, part=True)),
    ("【Hackathon 7th No.42】新增 API -part.", T(7, 42, part=True)),
    # Ordinary pull requests.
    ("[Bug fix] fix a typo", None),
    ("Fix a bug found during the hackathon", None),
    ("No.42 is a number", None),
    ("", None),
]


@pytest.mark.parametrize(("title", "expected"), TITLES, ids=[t for t, _ in TITLES])
def test_titles(title, expected):
    assert parse_pr_title(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "【Hackathon 7th】add api",  # no task number
        "【Hackathon No.42】add api",  # no edition
        "[Hackathon] add api",
        "Hackathon 7th: add api",
        "【Hackathon 7th No.30-24】x",  # a range from high to low
        "【Hackathon 7th No.0】x",
        "【Hackathon 第零期 No.1】x",
    ],
)
def test_tags_that_cannot_be_read_raise(title):
    with pytest.raises(TitleError) as error:
        parse_pr_title(title)
    assert str(error.value)


def test_part_decides_completion():
    assert parse_pr_title("【Hackathon 7th No.1】x -part").completes is False
    assert parse_pr_title("【Hackathon 7th No.1】x -final").completes is True
    assert parse_pr_title("【Hackathon 7th No.1】x").completes is True


def test_the_last_marker_wins():
    assert parse_pr_title("【Hackathon 7th No.1-part】x -final").final is True


@pytest.mark.parametrize(
    ("text", "number"),
    [("一", 1), ("七", 7), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("12", 12)],
)
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


@pytest.mark.parametrize("text", ["十十", "百", "七七"])
def test_chinese_numbers_that_are_not(text):
    assert chinese_number(text) is None
