"""Where the Seller API client gets its bearer token, and how it renews it.

The secret kept in the credential store is a personal API token or an OAuth token pair; this
module is the only one that knows its shape.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
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

    def expires_at(self) -> datetime | None:
        """When the sign-in lapses, if known."""
        ...


def personal_secret(token: str) -> Secret:
    return {"kind": PERSONAL, "token": token}


def oauth_secret(token_response: Secret, now: datetime | None = None) -> Secret:
    """What the token endpoint answered, as it is kept: the access and refresh tokens, and
    when the refresh token lapses if the answer says (`refresh_token_expires_in`)."""
    secret: Secret = {"kind": OAUTH, **token_response}
    lifetime = token_response.get("refresh_token_expires_in")
    if isinstance(lifetime, int) and lifetime > 0:
        lapses = (now or datetime.now(UTC)) + timedelta(seconds=lifetime)
        secret["refresh_expires_at"] = lapses.isoformat()
    return secret


def signin_expiry(secret: Secret) -> datetime | None:
    """When the seller must sign in again; None when the marketplace never said (a personal
    token does not lapse)."""
    value = secret.get("refresh_expires_at")
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


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

    def expires_at(self) -> datetime | None:
        return None


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

    def expires_at(self) -> datetime | None:
        return signin_expiry(self.credentials.get(self.key) or {})

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
