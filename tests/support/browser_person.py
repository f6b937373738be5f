"""Plays the seller at the browser during an OAuth sign-in, over real HTTP.

Reads the marketplace's consent page, answers it with the seller's name and password, and
follows the redirect back to the studio's loopback listener.
"""

from collections.abc import Callable
from html.parser import HTMLParser

import httpx


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("type") == "hidden" and fields.get("name"):
            self.values[str(fields["name"])] = fields.get("value") or ""


class Person:
    """Plays the seller at the browser: reads the consent page, answers it, and lands back."""

    def __init__(
        self,
        seller: str,
        password: str,
        decision: str = "allow",
        alter_redirect: Callable[[str], str] = lambda location: location,
    ) -> None:
        self.seller = seller
        self.password = password
        self.decision = decision
        self.alter_redirect = alter_redirect
        self.landing = ""
        self.opened: list[str] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        with httpx.Client(timeout=10) as browser:
            consent = browser.get(url)
            assert consent.status_code == 200, consent.text
            form = _HiddenInputs()
            form.feed(consent.text)
            answer = browser.post(
                str(consent.url.join("/oauth/authorize")),
                data={
                    **form.values,
                    "seller": self.seller,
                    "password": self.password,
                    "decision": self.decision,
                },
            )
            assert answer.status_code == 303, answer.text
            landing = browser.get(self.alter_redirect(answer.headers["location"]))
            assert landing.status_code == 200
            self.landing = landing.text
        return True
