"""Signing in from the desktop: OAuth 2.0 through the system browser, with PKCE.

The app is a public client, so nothing it ships can be a secret. RFC 8252: the browser comes
back to a one-shot listener on the loopback IP literal (never "localhost", which a hosts file
or a proxy could point elsewhere) at a port the system picks for this sign-in only. RFC 7636:
the code the browser carries back is useless without the verifier, which never leaves this
process. The random state ties the answer to this sign-in and no other.
"""

import base64
import hashlib
import secrets
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from studio.marketplaces.seller_api.tokens import CLIENT_ID, oauth_secret
from studio.storage.credentials import Secret
from studio.sync.port import NotConnected

CALLBACK_PATH = "/callback"
LOGIN_TIMEOUT_S = 300.0
CANCEL_POLL_S = 0.2  # how soon a cancel is noticed while waiting for the browser


class LoginFailed(NotConnected):
    """The sign-in did not give tokens; nothing was stored."""


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Pkce:
    verifier: str  # 32 random bytes, base64url: 43 characters of the unreserved set
    challenge: str  # S256: base64url(sha256(verifier))

    @classmethod
    def new(cls) -> "Pkce":
        return cls.from_verifier(_base64url(secrets.token_bytes(32)))

    @classmethod
    def from_verifier(cls, verifier: str) -> "Pkce":
        return cls(verifier, _base64url(hashlib.sha256(verifier.encode("ascii")).digest()))


def authorize_url(base_url: str, redirect_uri: str, pkce: Pkce, state: str) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": redirect_uri,
            "code_challenge": pkce.challenge,
            "code_challenge_method": "S256",
            "state": state,
        }
    )
    return f"{base_url.rstrip('/')}/oauth/authorize?{query}"


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Seller Studio</title>
<style>body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 30rem; margin: 4rem auto; }}
</style></head><body><h1>{heading}</h1><p>{text}</p></body></html>
"""


def _page(answer: dict[str, str], state: str) -> str:
    if "code" in answer and secrets.compare_digest(answer.get("state", ""), state):
        heading, text = "Signed in", "You can close this tab and go back to Seller Studio."
    else:
        heading = "Not signed in"
        reason = answer.get("error", "with an answer meant for another sign-in")
        text = f"The marketplace answered {reason}. You can close this tab."
    return _PAGE.format(heading=escape(heading), text=escape(text))


@dataclass
class LoopbackListener:
    """Waits on 127.0.0.1, at a free port, for the one redirect that ends the sign-in."""

    state: str  # what this sign-in sent; the page tells the person whether it came back
    answer: dict[str, str] = field(default_factory=dict)
    _received: threading.Event = field(default_factory=threading.Event)
    _server: HTTPServer | None = None

    def __enter__(self) -> "LoopbackListener":
        listener = self

        class Callback(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH or listener._received.is_set():
                    self.send_error(404)
                    return
                query = parse_qs(parts.query)
                listener.answer = {name: values[0] for name, values in query.items()}
                body = _page(listener.answer, listener.state).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
                listener._received.set()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the request line holds the code: it must not reach a log

        self._server = HTTPServer(("127.0.0.1", 0), Callback)
        threading.Thread(
            target=self._server.serve_forever, name="oauth-callback", daemon=True
        ).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def redirect_uri(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{CALLBACK_PATH}"

    def wait(self, timeout_s: float, cancel: threading.Event) -> dict[str, str]:
        remaining = timeout_s
        while not self._received.wait(min(CANCEL_POLL_S, max(remaining, 0.0))):
            remaining -= CANCEL_POLL_S
            if cancel.is_set():
                raise LoginFailed("Sign-in cancelled; nothing was connected.")
            if remaining <= 0:
                raise LoginFailed(
                    f"No answer from the browser within {timeout_s:g} s; run the sign-in again."
                )
        return self.answer


def sign_in(
    base_url: str,
    open_browser: Callable[[str], object] | None = None,
    show_url: Callable[[str], None] = lambda _url: None,
    timeout_s: float = LOGIN_TIMEOUT_S,
    cancel: threading.Event | None = None,
) -> Secret:
    """Runs the browser sign-in; returns the token response as the secret to keep.

    `open_browser` shows a URL to the person (the system browser unless given).
    """
    pkce = Pkce.new()
    state = secrets.token_urlsafe(16)
    with LoopbackListener(state) as listener:
        redirect_uri = listener.redirect_uri
        url = authorize_url(base_url, redirect_uri, pkce, state)
        show_url(url)  # for a browser on another screen, or when none opens
        (open_browser or webbrowser.open)(url)
        answer = listener.wait(timeout_s, cancel or threading.Event())
    if not secrets.compare_digest(answer.get("state", ""), state):
        raise LoginFailed(
            "The browser's answer was not for this sign-in (its state differs); "
            "nothing was stored. Run the sign-in again."
        )
    if answer.get("error") == "access_denied":
        raise LoginFailed("Access was denied in the browser; nothing was connected.")
    if "code" not in answer:
        detail = answer.get("error_description") or answer.get("error", "no code")
        raise LoginFailed(f"The marketplace did not sign you in: {detail}.")
    return _exchange(base_url, answer["code"], redirect_uri, pkce.verifier)


def _exchange(base_url: str, code: str, redirect_uri: str, verifier: str) -> Secret:
    try:
        response = httpx.post(
            f"{base_url.rstrip('/')}/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": CLIENT_ID,
                "code_verifier": verifier,
            },
            timeout=10.0,
        )
    except httpx.TransportError as error:
        raise LoginFailed(f"Cannot reach {base_url} to finish signing in ({error}).") from None
    if response.status_code != 200:
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        reason = problem.get("error_description") or f"HTTP {response.status_code}"
        raise LoginFailed(f"The marketplace refused the sign-in code: {reason}")
    return oauth_secret(response.json())
