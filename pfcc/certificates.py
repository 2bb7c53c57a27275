"""One address verifies every certificate: /hackathon/certificates/<code>/ finds the hackathon's
结项证书 and, through this registry, the certificates other apps issue (a judged contest's
获奖证书), without the hackathon importing them. An app registers, in AppConfig.ready():

    from pfcc.certificates import certificate_lookups
    certificate_lookups.register(
        "judging",
        find=certificate_page,  # code (upper case) -> CertificatePage or None
        hint=_("A contest award's code begins with J …"),
        link=(_("Judged contests"), "judging:index"),
    )

`find(code)` runs a fixed number of queries and returns the template and context that show the
certificate (valid or revoked), or None. `hint` and `link` help a visitor whose code names no
certificate: the page that says so lists every app's.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class CertificatePage:
    template: str
    context: dict


@dataclass(frozen=True)
class CertificateLookup:
    key: str
    find: Callable[[str], CertificatePage | None]
    hint: str = ""
    link: tuple = ()  # (label, URL name)


@dataclass
class CertificateLookupRegistry:
    lookups: dict[str, CertificateLookup] = field(default_factory=dict)

    def register(self, key: str, find: Callable, hint: str = "", link: tuple = ()) -> None:
        self.lookups[key] = CertificateLookup(key, find, hint, link)  # ready() may run twice

    def find(self, code: str) -> CertificatePage | None:
        for lookup in self.lookups.values():
            page = lookup.find(code)
            if page is not None:
                return page
        return None

    def hints(self) -> list[str]:
        return [str(lookup.hint) for lookup in self.lookups.values() if lookup.hint]

    def links(self) -> list[dict]:
        return [
            {"label": str(lookup.link[0]), "url": reverse(lookup.link[1])}
            for lookup in self.lookups.values()
            if lookup.link
        ]


certificate_lookups = CertificateLookupRegistry()
