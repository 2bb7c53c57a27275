"""Places where one app shows a piece of another's page without importing it.

The person page (`/people/<github>/`) and the home page are assembled from sections that each
app registers in its AppConfig.ready():

    from pfcc.sections import person_sections
    person_sections.register("blog/person_section.html", posts_for_person, order=10)

`get_context(person, request)` (or `get_context(request)` for the home page) returns a dict for
the template, or None to leave the section out. Each must run a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SectionRegistry:
    entries: list[tuple[int, str, Callable]] = field(default_factory=list)

    def register(self, template: str, get_context: Callable, order: int = 100) -> None:
        if any(existing == template for _, existing, _ in self.entries):
            return  # ready() may run twice in tests; keep one entry per template
        self.entries.append((order, template, get_context))
        self.entries.sort(key=lambda entry: entry[0])

    def render_list(self, *args) -> list[dict]:
        sections = []
        for _, template, get_context in self.entries:
            context = get_context(*args)
            if context is not None:
                sections.append({"template": template, **context})
        return sections


person_sections = SectionRegistry()
home_sections = SectionRegistry()
