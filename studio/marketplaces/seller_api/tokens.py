"""Where the Seller API client gets its bearer token, and how it renews it.

The secret kept in the credential store is a personal API token or an OAuth token pair; this
module is the only one that knows its shape.
"""

from collections.abc import Callable
from typing import Protocol

import httpx

from studio.storage.credentials import CredentialStore, Secret

CLIENT_ID = "seller-studio"
PERSONAL = "personal"
OAUTH = "oauth"


class TokenSource(Protocol):
    def access_token(self) -> str: ...

    def refresh(self) -> bool:
        """Gets a new access token; False when that is impossible (reconnect needed)."""
        ...


def personal_secret(token: str) -> Secret:
    return {"kind": PERSONAL, "token": token}


def oauth_secret(token_response: Secret) -> Secret:
    """What the token endpoint answered, as it is kept: the access and refresh tokens."""
    return {"kind": OAUTH, **token_response}


def access_token_of(secret: Secret) -> str:
    return str(secret.get("token") if secret.get("kind") == PERSONAL else secret["access_token"])


def personal_token(credentials: CredentialStore, key: str) -> str | None:
    """The personal API token kept under `key`, when that is how it was connected."""
    secret = credentials.get(key)
    return str(secret["token"]) if secret and secret.get("kind") == PERSONAL else None


def token_source(credentials: CredentialStore, key: str, base_url: str) -> TokenSource | None:
    """The tokens kept under `key`; None when there are none (never connected, or removed)."""
    secret = credentials.get(key)
    if secret is None:
        return None
    if secret.get("kind") == PERSONAL:
        return PersonalToken(str(secret["token"]))
    return OAuthTokens(credentials, key, base_url)


class PersonalToken:
    """A personal API token: it does not expire, so there is nothing to refresh."""

    def __init__(self, token: str) -> None:
        self._token = token

    def access_token(self) -> str:
        return self._token

    def refresh(self) -> bool:
        return False


class OAuthTokens:
    """OAuth access and refresh tokens; refresh tokens rotate, so each new pair is saved."""

    def __init__(
        self,
        credentials: CredentialStore,
        key: str,
        base_url: str,
        post: Callable[..., httpx.Response] = httpx.post,
    ) -> None:
        self.credentials = credentials
        self.key = key
        self.base_url = base_url.rstrip("/")
        self._post = post

    def access_token(self) -> str:
        secret = self.credentials.get(self.key) or {}
        return str(secret.get("access_token", ""))

    def refresh(self) -> bool:
        secret = self.credentials.get(self.key) or {}
        if not secret.get("refresh_token"):
            return False
        response = self._post(
            f"{self.base_url}/oauth/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": secret["refresh_token"],
                "client_id": CLIENT_ID,
            },
            timeout=10.0,
        )
        if response.status_code != 200:
            return False
        self.credentials.set(self.key, oauth_secret(response.json()))
        return True
