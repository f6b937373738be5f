"""Signing in to eBay from a desktop app: OAuth's authorization code grant with the seller's
own keyset.

eBay redirects only to an app's RuName (a name registered with eBay, not a URL), whose accept
page must be https: a desktop app cannot receive that redirect on a loopback port. So the
seller opens the consent page in the browser, signs in, and pastes the address eBay's accept
page ends on; the authorization code is read from it. Access tokens last two hours and are
refreshed a little before they lapse; the refresh token lasts about 18 months, and when it
lapses is kept as `refresh_expires_at`, which the account's sign-in health reads.

Secret (kept in the credential store under the account's name, never elsewhere):
    kind "ebay", environment, app_id, cert_id, ru_name, access_token, access_expires_at,
    refresh_token, refresh_expires_at, scopes, and the account's listing setup.
"""

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from studio.marketplaces.ebay.environments import Environment, environment_named
from studio.storage.credentials import CredentialStore, Secret
from studio.sync.port import AuthFailed, Unreachable

KIND = "ebay"
SCOPE_ROOT = "https://api.ebay.com/oauth/api_scope"
# The Trading API accepts the user token with the base scope; the Sell APIs need theirs.
SCOPES = (
    SCOPE_ROOT,
    f"{SCOPE_ROOT}/sell.inventory",
    f"{SCOPE_ROOT}/sell.fulfillment",
    f"{SCOPE_ROOT}/sell.account",
    f"{SCOPE_ROOT}/sell.negotiation",
)
# Refresh this long before the access token lapses: a request must not start with a token
# that dies on the way.
REFRESH_AHEAD = timedelta(minutes=5)
TIMEOUT_S = 15.0

Post = Callable[..., httpx.Response]


class SignInProblem(ValueError):
    """What the seller pasted or typed cannot finish the sign-in; the message says why."""


@dataclass(frozen=True)
class Keyset:
    """The seller's own eBay application keys (developer.ebay.com > Application keys)."""

    app_id: str  # the Client ID
    cert_id: str  # the Client Secret
    ru_name: str  # eBay's redirect name for the app, which points at its https accept page

    def __post_init__(self) -> None:
        missing = [name for name in ("app_id", "cert_id", "ru_name") if not getattr(self, name)]
        if missing:
            raise SignInProblem(
                f"The eBay keyset lacks {', '.join(missing)}: copy them from your application "
                "keys on developer.ebay.com (App ID, Cert ID, and the RuName of user tokens)."
            )
        if "://" in self.ru_name:
            raise SignInProblem(
                "The RuName is eBay's name for the redirect (e.g. Jane_Doe-JaneDoe-Studio-abcde),"
                " not a web address: copy it from 'User Tokens' on developer.ebay.com."
            )

    def basic_auth(self) -> str:
        pair = f"{self.app_id}:{self.cert_id}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")


def new_state() -> str:
    """An unguessable value the pasted address must carry back (a forged paste is refused)."""
    return secrets.token_urlsafe(16)


def consent_url(keyset: Keyset, env: Environment, state: str) -> str:
    """The page to open in the browser, where the seller signs in and grants access."""
    query = urlencode(
        {
            "client_id": keyset.app_id,
            "response_type": "code",
            "redirect_uri": keyset.ru_name,
            "scope": " ".join(SCOPES),
            "state": state,
            "prompt": "login",
        }
    )
    return f"{env.consent_url}?{query}"


def code_from_pasted(pasted: str, state: str | None = None) -> str:
    """The authorization code in the address the browser showed after consent."""
    text = pasted.strip()
    if not text:
        raise SignInProblem("Paste the address your browser showed after you agreed on eBay.")
    query = parse_qs(urlsplit(text).query) if "?" in text else parse_qs(text)
    if "error" in query:
        reason = query.get("error_description", query["error"])[0]
        raise SignInProblem(f"eBay did not grant access ({reason}); sign in and agree again.")
    codes = query.get("code")
    if not codes or not codes[0]:
        raise SignInProblem(
            "That address has no authorization code: after you agree on eBay, copy the whole "
            "address of the page it shows (it contains 'code=')."
        )
    if state is not None and query.get("state", [None])[0] != state:
        raise SignInProblem(
            "That address belongs to another sign-in (its state does not match): start the "
            "sign-in again and paste the address of this one."
        )
    return codes[0]


def token_secret(keyset: Keyset, env: Environment, answer: dict[str, Any], now: datetime) -> Secret:
    """What the token endpoint answered, as it is kept."""
    secret: Secret = {
        "kind": KIND,
        "environment": env.name,
        "app_id": keyset.app_id,
        "cert_id": keyset.cert_id,
        "ru_name": keyset.ru_name,
        "scopes": list(SCOPES),
    }
    return {**secret, **_token_fields(answer, now)}


def _token_fields(answer: dict[str, Any], now: datetime) -> dict[str, Any]:
    fields: dict[str, Any] = {"access_token": str(answer["access_token"])}
    lifetime = answer.get("expires_in")
    if isinstance(lifetime, int) and lifetime > 0:
        fields["access_expires_at"] = (now + timedelta(seconds=lifetime)).isoformat()
    if answer.get("refresh_token"):
        fields["refresh_token"] = str(answer["refresh_token"])
    refresh_lifetime = answer.get("refresh_token_expires_in")
    if isinstance(refresh_lifetime, int) and refresh_lifetime > 0:
        lapses = now + timedelta(seconds=refresh_lifetime)
        fields["refresh_expires_at"] = lapses.isoformat()
    return fields


def exchange_code(
    keyset: Keyset,
    env: Environment,
    code: str,
    post: Post = httpx.post,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Secret:
    """Trades the authorization code for the seller's tokens."""
    answer = _token_call(
        keyset,
        env,
        {"grant_type": "authorization_code", "code": code, "redirect_uri": keyset.ru_name},
        post,
    )
    if answer is None:
        raise SignInProblem(
            "eBay did not accept the authorization code: it is good for five minutes and only "
            "once. Sign in again and paste the new address straight away; check that the "
            "keyset belongs to the environment chosen (sandbox or production)."
        )
    return token_secret(keyset, env, answer, now())


def _token_call(
    keyset: Keyset, env: Environment, form: dict[str, str], post: Post
) -> dict[str, Any] | None:
    try:
        response = post(
            env.token_url,
            data=form,
            headers={
                "Authorization": keyset.basic_auth(),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            timeout=TIMEOUT_S,
        )
    except httpx.TransportError as error:
        raise Unreachable(f"eBay's sign-in service: {type(error).__name__}: {error}") from error
    if response.status_code >= 500:
        raise Unreachable(f"eBay's sign-in service answered {response.status_code}")
    if response.status_code != 200:
        return None
    answer = response.json()
    return answer if isinstance(answer, dict) and answer.get("access_token") else None


def keyset_of(secret: Secret) -> Keyset:
    return Keyset(str(secret["app_id"]), str(secret["cert_id"]), str(secret["ru_name"]))


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def signin_expiry(secret: Secret) -> datetime | None:
    """When the refresh token lapses: the seller must sign in again by then."""
    return _when(secret.get("refresh_expires_at"))


class EbayTokens:
    """The seller's tokens in the credential store; a new access token is saved there at once,
    so every process of the data dir uses it."""

    def __init__(
        self,
        credentials: CredentialStore,
        key: str,
        post: Post = httpx.post,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.credentials = credentials
        self.key = key
        self._post = post
        self._now = now

    def _secret(self) -> Secret:
        secret = self.credentials.get(self.key)
        if not secret or secret.get("kind") != KIND:
            raise AuthFailed(f"No eBay sign-in is kept for {self.key}; connect it again.")
        return secret

    @property
    def environment(self) -> Environment:
        return environment_named(str(self._secret().get("environment", "production")))

    def access_token(self) -> str:
        secret = self._secret()
        lapses = _when(secret.get("access_expires_at"))
        if lapses is not None and lapses - self._now() <= REFRESH_AHEAD and self.refresh():
            secret = self._secret()
        return str(secret.get("access_token", ""))

    def expires_at(self) -> datetime | None:
        return signin_expiry(self.credentials.get(self.key) or {})

    def refresh(self) -> bool:
        """A new access token from the refresh token; False when eBay refuses it (revoked or
        lapsed: the seller must sign in again)."""
        secret = self._secret()
        if not secret.get("refresh_token"):
            return False
        lapses = signin_expiry(secret)
        if lapses is not None and lapses <= self._now():
            return False
        form = {
            "grant_type": "refresh_token",
            "refresh_token": str(secret["refresh_token"]),
            "scope": " ".join(secret.get("scopes") or SCOPES),
        }
        answer = _token_call(keyset_of(secret), self.environment, form, self._post)
        if answer is None:
            return False
        # eBay's refresh answer has no new refresh token: the one we hold stays good.
        self.credentials.set(self.key, {**secret, **_token_fields(answer, self._now())})
        return True
