"""Reads about claims for pages (what a user may do with a claim). Every change lives in
`transitions.py`; `parse_task_numbers` stays importable from here for the title parser."""

from .models import CLAIMANT_MAX_STATE, Claim, ClaimState
from .task_numbers import parse_task_numbers

__all__ = ["allowed_states", "can_update_claim", "parse_task_numbers"]


def can_update_claim(user, claim: Claim) -> bool:
    """May this user change the claim at all (staff, or the claimant while the edition is open)?"""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return claim.person.user_id == user.pk and claim.task.task_set.accepts_claims


def allowed_states(user, claim: Claim) -> list[ClaimState]:
    """The states this user may move the claim up to."""
    if not can_update_claim(user, claim):
        return []
    top = ClaimState.COMPLETED if user.is_staff else CLAIMANT_MAX_STATE
    return [state for state in ClaimState if claim.state < state <= top]
