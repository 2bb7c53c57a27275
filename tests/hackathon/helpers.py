from hackathon import transitions
from hackathon.models import ClaimState

from .factories import ClaimFactory, TaskFactory


def published_row_direction(edition, direction, staff):
    """16 tasks: 13 claimed, 7 submitted (提交PR or above), 6 completed: the 7th edition's
    published row "16 | 7 / 13 | 43.75% | 6 | 37.5%"."""
    tasks = [TaskFactory(edition=edition, direction=direction, number=n) for n in range(1, 17)]
    plan = [ClaimState.COMPLETED] * 6 + [ClaimState.PR_SUBMITTED] + [ClaimState.CLAIMED] * 4
    plan += [ClaimState.DESIGN_DONE, ClaimState.RFC_SUBMITTED] + [None] * 3
    for task, state in zip(tasks, plan, strict=True):
        if state is None:
            continue
        claim = ClaimFactory(task=task)
        ClaimFactory(task=task)  # a second claim at 报名 changes nothing
        if state > ClaimState.CLAIMED:
            transitions.advance_claim(claim, state, staff)
    return tasks
