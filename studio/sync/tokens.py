"""Where the Seller API client gets its bearer token, and how it renews it."""

from collections.abc import Callable

import httpx

from studio.sync.credentials import CredentialStore

CLIENT_ID = "seller-studio"


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
        store: CredentialStore,
        marketplace: str,
        base_url: str,
        post: Callable[..., httpx.Response] = httpx.post,
    ) -> None:
        self.store = store
        self.marketplace = marketplace
        self.base_url = base_url.rstrip("/")
        self._post = post

    def access_token(self) -> str:
        secret = self.store.load(self.marketplace) or {}
        return str(secret.get("access_token", ""))

    def refresh(self) -> bool:
        secret = self.store.load(self.marketplace) or {}
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
        self.store.save(self.marketplace, {"kind": "oauth", **response.json()})
        return True
