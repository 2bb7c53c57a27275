"""What a user may do with a claim, for pages and forms. Every change lives in
`transitions.py`."""

from .models import CLAIMANT_MAX_STATE, Claim, ClaimState


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
