"""What each app keeps about a person, for the account page's download and for deleting an
account, without the core importing the apps: each app registers its part in AppConfig.ready():

    from pfcc.account_data import account_data
    account_data.register("hackathon", export=hackathon_data, erase=erase_private_data)

`export(user, person)` returns JSON-ready data (person may be None); `erase(user, person)`
deletes the app's private data of the account inside the deletion's transaction and returns the
e-mail addresses it held, so that stored e-mails to them are deleted too. Public contributions
stay with the Person.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


def iso(value):
    return value.isoformat() if value else None


@dataclass
class AccountDataRegistry:
    exporters: dict[str, Callable] = field(default_factory=dict)
    erasers: dict[str, Callable] = field(default_factory=dict)

    def register(self, key: str, *, export: Callable | None = None, erase=None) -> None:
        if export is not None:
            self.exporters[key] = export
        if erase is not None:
            self.erasers[key] = erase

    def export(self, user, person) -> dict:
        return {key: export(user, person) for key, export in self.exporters.items()}

    def erase(self, user, person) -> set[str]:
        addresses: set[str] = set()
        for erase in self.erasers.values():
            addresses |= {address.lower() for address in erase(user, person) or () if address}
        return addresses


account_data = AccountDataRegistry()
