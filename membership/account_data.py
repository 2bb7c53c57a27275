"""A member's or applicant's own data: in the account download, and erased with the account."""

from pfcc.account_data import iso

from .models import Membership, MembershipApplication


def export(user, person):
    applications = []
    queryset = MembershipApplication.objects.filter(applicant=user).prefetch_related("events")
    for application in queryset:
        applications.append(
            {
                "github": application.github,
                "name": application.name,
                "email": application.email,
                "other_contact": application.other_contact,
                "contributions": application.contributions,
                "statement": application.statement,
                "state": application.state,
                "rejection_reason": application.rejection_reason,
                "submitted_at": iso(application.created_at),
                # Staff stay anonymous here as on the status page.
                "history": [
                    {
                        "by": "you" if event.actor_id == user.pk else "staff",
                        "from": event.from_state,
                        "to": event.to_state,
                        "note": event.note,
                        "at": iso(event.created_at),
                    }
                    for event in application.events.all()
                ],
            }
        )
    membership = Membership.objects.filter(person=person).first() if person else None
    return {
        "applications": applications,
        "member_since": membership.joined_on.isoformat() if membership else None,
    }


def erase(user, person) -> set[str]:
    """Applications cascade with the account; their contact addresses are forgotten too."""
    return set(MembershipApplication.objects.filter(applicant=user).values_list("email", flat=True))
