"""Links in the header that apply to the signed-in person only ("My reports" for a mentee,
"Reviews to write" for a mentor, a TA's checklist). An app registers, in AppConfig.ready():

    from pfcc.nav import personal_links
    personal_links.register("camp", camp_links, labels={"camp-reports": _("My reports"), …})

`get_links(user)` returns `(name, url)` pairs, names from `labels`. It runs at sign-in and then at
most every REFRESH_SECONDS, and its result is kept in the session: the header costs no query on
every page (page query budgets stay as they are), and a role given while signed in shows within
minutes.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject

SESSION_KEY = "pfcc_personal_links"
REFRESH_SECONDS = 600


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    name: str  # stable, for tests and styling: "camp-reports"


@dataclass
class LinkRegistry:
    providers: dict[str, Callable] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def register(self, name: str, get_links: Callable, labels: dict) -> None:
        self.providers[name] = get_links
        self.labels.update(labels)

    def compute(self, user) -> list[list[str]]:
        return [[n, url] for get in self.providers.values() for n, url in get(user)]

    def links_for(self, request) -> list[NavLink]:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or not user.is_authenticated or session is None:
            return []
        stored = session.get(SESSION_KEY)
        if not stored or time.time() - stored.get("at", 0) > REFRESH_SECONDS:
            stored = remember(request, user)
        return [
            NavLink(self.labels[name], url, name)
            for name, url in stored["links"]
            if name in self.labels
        ]


personal_links = LinkRegistry()


def remember(request, user) -> dict:
    stored = {"at": time.time(), "links": personal_links.compute(user)}
    request.session[SESSION_KEY] = stored
    return stored


@receiver(user_logged_in, dispatch_uid="pfcc-personal-links")
def _links_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember(request, user)


def personal_nav(request):
    """Context processor: `personal_links` for the header, read only where a template uses it."""
    return {"personal_links": SimpleLazyObject(lambda: personal_links.links_for(request))}
