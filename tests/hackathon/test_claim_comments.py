"""Claims and withdrawals written as comments on a task set's GitHub issue, in the forms the
community's bot accepted (its test cases: `【报名】: 2、3`, `2-5`) and the ones it refused."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hackathon.claim_comments import ClaimComment, CommentError, parse_claim_comment


def claim(*numbers):
    return ClaimComment(action="claim", numbers=tuple(numbers))


def withdraw(*numbers):
    return ClaimComment(action="withdraw", numbers=tuple(numbers))


ACCEPTED = [
    # The bot's prescribed form: numbers separated by 、, runs as 2-5.
    ("【报名】: 2、3", claim(2, 3)),
    ("【报名】: 2-5", claim(2, 3, 4, 5)),
    ("【报名】：19", claim(19)),
    ("【报名】:29", claim(29)),
    ("【报名】37、38、39", claim(37, 38, 39)),
    ("【报名】：21-27", claim(*range(21, 28))),
    ("【报名】：7、9-11、31、38", claim(7, 9, 10, 11, 31, 38)),
    ("【报名】: 2,3", claim(2, 3)),
    ("【报名】: 2，3", claim(2, 3)),
    ("【报名】: 2 、 3", claim(2, 3)),
    ("【报名】: No.2、No.3", claim(2, 3)),
    ("【报名】: #2", claim(2)),
    ("【报名】：第 5 题", claim(5)),
    ("[报名]: 21-27", claim(*range(21, 28))),
    ("［报名］：4", claim(4)),
    ("【 报名 】 ： 4", claim(4)),
    # Words after the numbers, full-width digits and punctuation.
    ("【报名】：40 SDGD优化器", claim(40)),
    ("【报名】：2、3 谢谢老师", claim(2, 3)),
    ("【报名】：１２，１３", claim(12, 13)),
    ("【报名】：１２－１４", claim(12, 13, 14)),
    # Greetings around it, a mention, the numbers on the next line (the bot read them there).
    ("大家好\n【报名】：8\n期待合作", claim(8)),
    ("@HackathonBot 【报名】：8", claim(8)),
    ("【报名】：\n8、9", claim(8, 9)),
    # Several claim lines in one comment add up.
    ("【报名】：8\n【报名】：9-10", claim(8, 9, 10)),
    # 提交 (submitted) is what some tracks ask for; the board follows the PRs.
    ("【提交】：46", claim(46)),
    ("[Claim]: 5", claim(5)),
    # Withdrawals.
    ("【取消报名】：7", withdraw(7)),
    ("【取消报名】：2、3", withdraw(2, 3)),
    ("[取消报名] 2-3", withdraw(2, 3)),
    ("[Withdraw]: 5", withdraw(5)),
]


@pytest.mark.parametrize(("body", "expected"), ACCEPTED, ids=[b for b, _ in ACCEPTED])
def test_accepted_forms(body, expected):
    assert parse_claim_comment(body) == expected


NOT_CLAIMS = [
    "请问这个任务还能做吗？",
    "LGTM",
    "21-27",  # numbers alone claim nothing
    "我想报名 3 号任务，可以吗",  # the bot read only the bracketed form and "报名:"
    "> 【报名】：3\n\n他已经报名了这个",  # a quoted claim is someone else's
    "```\n【报名】：3\n```\n这样写对吗",  # so is an example in code
    "",
    None,
]


@pytest.mark.parametrize("body", NOT_CLAIMS)
def test_comments_that_claim_nothing(body):
    assert parse_claim_comment(body) is None


REFUSED = [
    # The bot's negative cases.
    ("报名：https://github.com/someone/project/issues/1", "请检查报名格式"),
    ("报名: 3", "请检查报名格式"),
    ("【报名】：1111111", "赛题编号【1111111】不存在"),
    ("【链接】：1-5", "这条评论没有报名任何任务"),
    # More that cannot be read.
    ("【报名】", "后面需要写题目编号"),
    ("【报名】：abc", "后面需要写题目编号"),
    ("【取消报名】", "后面需要写题目编号"),
    ("【报名】：0", "任务序号从 1 开始"),
    ("【报名】：5-3", "范围应从小到大"),
    ("【报名】：1-1000", "范围太大"),
    ("【报名】：2 3", "顿号"),
    ("【报名】：3\n【取消报名】：2", "分成两条评论"),
]


@pytest.mark.parametrize(("body", "message"), REFUSED, ids=[b for b, _ in REFUSED])
def test_refused_forms_say_how_to_write_them_in_both_languages(body, message):
    with pytest.raises(CommentError) as error:
        parse_claim_comment(body)
    texts = error.value.in_languages("zh-hans", "en")
    assert message in texts["zh-hans"]
    assert texts["en"] and texts["en"] != texts["zh-hans"]


def test_the_bots_format_reminder_in_english():
    with pytest.raises(CommentError) as error:
        parse_claim_comment("报名：3")
    assert "【报名】: 2、3" in error.value.in_languages("en")["en"]


def test_a_proper_claim_wins_over_a_loose_mention_of_registration():
    assert parse_claim_comment("【报名】：3\n报名: 已完成") == claim(3)


_COMMENT_PIECES = st.sampled_from(
    ["【", "】", "[", "]", "报名", "取消报名", "提交", "链接", ":", "：", "、", ",", "-", "~",
     " ", "\n", "> ", "```", "0", "1", "7", "42", "１２", "99999999", "No.", "#", "第", "abc",
     "\x00", "\r\n"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(_COMMENT_PIECES, max_size=50).map("".join)))
def test_any_text_gives_a_claim_none_or_a_comment_error(body):
    try:
        result = parse_claim_comment(body)
    except CommentError as error:
        assert str(error)
        return
    if result is not None:
        assert result.action in {"claim", "withdraw"}
        assert result.keys and all(number >= 1 for number in result.numbers)
        assert len(set(result.keys)) == len(result.keys)
