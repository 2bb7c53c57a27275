"""The hackathon's claim operations the progress tests replay, in one place (they live in
hackathon/transitions.py). A claimant reaches 提交PR by adding the pull request to the claim."""

from hackathon import transitions
from hackathon.models import ClaimState

claim_tasks = transitions.claim_tasks
correct_claim = transitions.correct_claim


def advance_claim(claim, state, actor, note=""):
    staff = getattr(actor, "is_staff", False)
    if state == ClaimState.PR_SUBMITTED and not staff:
        pull = 1000 + claim.person_id * 1000 + claim.task.number
        url = f"https://github.com/PaddlePaddle/Paddle/pull/{pull}"
        return transitions.record_pull_request(claim, url, actor, note=note)
    return transitions.advance_claim(claim, state, actor, note)
