"""A small camp: one cohort, one project, a mentee with a mentor, another mentee with another
mentor, a TA, staff; each with an account."""

from dataclasses import dataclass

import pytest

from tests.factories import PersonFactory, StaffFactory, UserFactory

from .factories import CohortFactory, MentorshipFactory, ProjectFactory


@dataclass
class Camp:
    cohort: object
    project: object
    mentorship: object
    other_mentorship: object
    users: dict
    persons: dict


def person_with_user(login):
    user = UserFactory(username=login)
    return PersonFactory(github=login, user=user), user


@pytest.fixture
def camp(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cohort = CohortFactory(slug="9th")
    project = ProjectFactory(cohort=cohort, number=1)
    persons, users = {}, {}
    for role in ["mentee", "other_mentee", "mentor", "other_mentor", "ta", "outsider"]:
        persons[role], users[role] = person_with_user(role.replace("_", "-"))
    users["staff"] = StaffFactory()
    mentorship = MentorshipFactory(
        project=project, mentee=persons["mentee"], mentors=[persons["mentor"]]
    )
    other = MentorshipFactory(
        project=project, mentee=persons["other_mentee"], mentors=[persons["other_mentor"]]
    )
    cohort.teaching_assistants.add(persons["ta"])
    return Camp(cohort, project, mentorship, other, users, persons)


@pytest.fixture
def client_for(client):
    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
