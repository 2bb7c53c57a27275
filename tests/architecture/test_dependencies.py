"""The architecture, enforced: which package may import which, and who may assign a state.

- The core (`pfcc`, the club's core app, and `common`, the shared building blocks) imports no
  area app; apps reach into it through registries (pfcc.sections, pfcc.account_data,
  common.cache.register_public_app, `<app>/seed.py`, `<app>/bench.py`).
- `common` imports nothing of the project at all.
- Only the camp, the judged contests (which run inside a hackathon) and the progress reports
  import the hackathon app; the progress reports read the hackathon and the camp in one module,
  progress/sources.py.
- Only the camp imports the events app (its tech talks are events); events import no area.
- A `state` is assigned only in an app's `transitions.py`, importers, seeders and migrations.

docs/architecture.md explains the rules and how to add a workflow.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AREAS = {"blog", "hackathon", "camp", "membership", "events", "search", "judging", "progress"}
CORE = {"pfcc", "common"}
PROJECT = AREAS | CORE | {"config"}
# Who may import the hackathon app besides itself.
HACKATHON_CLIENTS = {"camp", "judging", "progress"}
# The one module of the progress reports that reads the hackathon and the camp (both are being
# refactored: adapting to them means changing this module only).
PROGRESS_SOURCES = "progress/sources.py"
# Who may import the events app besides itself: the camp (its tech talks are events of a
# cohort). Events stay generic and import no area.
EVENTS_CLIENTS = {"camp"}


def python_files():
    for package in sorted(PROJECT):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_core_imports_no_area():
    offenders = [
        f"{relative(path)} imports {sorted(imported_packages(path) & AREAS)}"
        for path in python_files()
        if path.relative_to(ROOT).parts[0] in CORE and imported_packages(path) & AREAS
    ]
    assert offenders == []


def test_common_imports_nothing_of_the_project():
    offenders = [
        f"{relative(path)} imports {sorted(imported_packages(path) & PROJECT - {'common'})}"
        for path in python_files()
        if path.relative_to(ROOT).parts[0] == "common"
        and imported_packages(path) & PROJECT - {"common"}
    ]
    assert offenders == []


def test_no_app_imports_the_search():
    """Apps describe what search finds in their own search.py (pfcc.search_registry); the
    search app reads the registry, and nothing imports the search app."""
    offenders = [
        relative(path)
        for path in python_files()
        if path.relative_to(ROOT).parts[0] not in {"search", "config"}
        and "search" in imported_packages(path)
    ]
    assert offenders == []


def test_only_the_camp_imports_the_hackathon():
    offenders = [
        relative(path)
        for path in python_files()
        if path.relative_to(ROOT).parts[0] not in HACKATHON_CLIENTS | {"hackathon", "config"}
        and "hackathon" in imported_packages(path)
    ]
    assert offenders == []


def test_only_the_camp_imports_the_events():
    offenders = [
        relative(path)
        for path in python_files()
        if path.relative_to(ROOT).parts[0] not in EVENTS_CLIENTS | {"events", "config"}
        and "events" in imported_packages(path)
    ]
    assert offenders == []


def test_the_events_import_no_area():
    offenders = [
        f"{relative(path)} imports {sorted(imported_packages(path) & AREAS - {'events'})}"
        for path in python_files()
        if path.relative_to(ROOT).parts[0] == "events"
        and imported_packages(path) & AREAS - {"events"}
    ]
    assert offenders == []


def test_progress_reads_the_hackathon_and_the_camp_in_one_module():
    offenders = [
        relative(path)
        for path in python_files()
        if path.relative_to(ROOT).parts[0] == "progress"
        and relative(path) != PROGRESS_SOURCES
        and imported_packages(path) & {"hackathon", "camp"}
    ]
    assert offenders == []
    assert {"hackathon", "camp"} <= imported_packages(ROOT / PROGRESS_SOURCES)


# --- Who assigns a state ---------------------------------------------------------------------

STATE_FIELDS = {"state", "status"}
WRITING_METHODS = {"create", "update", "update_or_create", "get_or_create", "bulk_create"}
# Modules that may set states besides the transition modules, and why.
MAY_ASSIGN_STATES = {
    "seed.py": "demo data is written as it stands, without e-mail",
    "bench.py": "the benchmark's data set is bulk-inserted",
    "importer.py": "imports bring in history as it was, and record it",
    "pfcc/mail.py": "the e-mail queue's own delivery bookkeeping, not a workflow",
}


def may_assign(path: Path) -> bool:
    name = relative(path)
    if path.name == "transitions.py" or "migrations" in path.parts:
        return True
    return any(name == allowed or path.name == allowed for allowed in MAY_ASSIGN_STATES)


def state_assignments(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def where(node, what):
        found.append(f"{relative(path)}:{node.lineno}: {what}")

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in STATE_FIELDS:
                where(node, f"assigns .{target.attr}")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "setattr" and len(node.args) >= 2:
            field = node.args[1]
            if isinstance(field, ast.Constant) and field.value in STATE_FIELDS:
                where(node, f"setattr {field.value}")
        constructor = name[:1].isupper() and name != "Q" and "Response" not in name
        writes = name in WRITING_METHODS or constructor
        if not writes:
            continue
        for keyword in node.keywords:
            if keyword.arg in STATE_FIELDS:
                where(node, f"{name}({keyword.arg}=…)")
            if keyword.arg == "defaults" and isinstance(keyword.value, ast.Dict):
                for key in keyword.value.keys:
                    if isinstance(key, ast.Constant) and key.value in STATE_FIELDS:
                        where(node, f"{name}(defaults={{{key.value!r}: …}})")
    return found


# Areas whose workflows are still moving to their transitions.py (issue 12, in progress).
MOVING: set[str] = set()


@pytest.mark.parametrize(
    "area",
    [
        pytest.param(area, marks=pytest.mark.xfail(strict=True, reason="moving"))
        if area in MOVING
        else area
        for area in sorted(PROJECT)
    ],
)
def test_states_change_only_in_transition_modules(area):
    offenders = []
    for path in python_files():
        if path.relative_to(ROOT).parts[0] == area and not may_assign(path):
            offenders += state_assignments(path)
    assert offenders == []


def test_the_state_check_sees_every_kind_of_assignment(tmp_path, monkeypatch):
    """The scanner itself: each way of setting a state is found, reads are not."""
    module = ROOT / "pfcc" / "_architecture_probe.py"
    module.write_text(
        "claim.state = 6\n"
        "Claim.objects.create(task=t, state=2)\n"
        "Claim.objects.filter(pk=1).update(state=3)\n"
        "Report(state='draft')\n"
        "Claim.objects.update_or_create(pk=1, defaults={'state': 4})\n"
        "setattr(claim, 'state', 5)\n"
        "Claim.objects.filter(state=6).exists()\n"
        "Claim.objects.exclude(state__in=[1])\n",
        encoding="utf-8",
    )
    try:
        found = state_assignments(module)
    finally:
        module.unlink()
    assert [line.split(": ", 1)[1] for line in found] == [
        "assigns .state",
        "create(state=…)",
        "update(state=…)",
        "Report(state=…)",
        "update_or_create(defaults={'state': …})",
        "setattr state",
    ]
