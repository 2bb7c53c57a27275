"""A contributor's own hackathon data, for the account download."""

from pfcc.account_data import iso

from .models import Claim, Objection, Result


def export(user, person):
    claims = []
    objections = []
    results = []
    if person is not None:
        for claim in (
            Claim.objects.filter(person=person)
            .select_related("task__task_set__edition")
            .prefetch_related("pull_requests", "history")
        ):
            claims.append(
                {
                    # Standalone activities (快乐开源, …) have no edition: the set names them.
                    "edition": claim.task.task_set.edition.number
                    if claim.task.task_set.edition_id
                    else None,
                    "set": claim.task.task_set.slug,
                    "set_name": claim.task.task_set.name,
                    "task": claim.task.number,
                    "task_identifier": claim.task.identifier,
                    "title": claim.task.title,
                    "team_name": claim.team_name,
                    "state": claim.get_state_display(),
                    "claimed_at": iso(claim.created_at),
                    "pull_requests": [pull.url for pull in claim.pull_requests.all()],
                    "history": [
                        {
                            "from": change.from_state,
                            "to": change.to_state,
                            "note": change.note,
                            "at": iso(change.created_at),
                        }
                        for change in claim.history.all()
                    ],
                }
            )
        for objection in Objection.objects.filter(person=person).select_related(
            "edition", "task_set"
        ):
            objections.append(
                {
                    # A standalone activity's objection names its set.
                    "edition": objection.edition.number if objection.edition_id else None,
                    "set": objection.task_set.slug if objection.task_set_id else None,
                    "text": objection.text,
                    "status": objection.state,
                    "answer": objection.answer,
                    "filed_at": iso(objection.created_at),
                }
            )
        for result in Result.objects.filter(person=person).select_related("edition", "task_set"):
            results.append(
                {
                    "edition": result.edition.number if result.edition_id else None,
                    "set": result.task_set.slug if result.task_set_id else None,
                    "rank": result.rank,
                    "tasks": result.task_numbers,
                    "by_set": result.by_set,
                    "stars": result.stars,
                    "reward": result.reward,
                }
            )
    return {"claims": claims, "objections": objections, "results": results}
