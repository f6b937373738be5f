"""eBay's two worlds: the sandbox and production have separate hosts and separate keysets.

An account's base_url is its REST host; everything else about the environment follows
from it, so the environment is chosen once, at connect time, and never mixed.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Environment:
    name: str
    api: str  # the REST APIs and the OAuth token endpoint
    apim: str  # the Media API lives on its own host
    auth: str  # where the seller gives consent in the browser
    trading: str  # the Trading API (XML): watch counts and best offers live only there

    @property
    def token_url(self) -> str:
        return f"{self.api}/identity/v1/oauth2/token"

    @property
    def consent_url(self) -> str:
        return f"{self.auth}/oauth2/authorize"


SANDBOX = Environment(
    name="sandbox",
    api="https://api.sandbox.ebay.com",
    apim="https://apim.sandbox.ebay.com",
    auth="https://auth.sandbox.ebay.com",
    trading="https://api.sandbox.ebay.com/ws/api.dll",
)
PRODUCTION = Environment(
    name="production",
    api="https://api.ebay.com",
    apim="https://apim.ebay.com",
    auth="https://auth.ebay.com",
    trading="https://api.ebay.com/ws/api.dll",
)
ENVIRONMENTS = {env.name: env for env in (SANDBOX, PRODUCTION)}


def environment_named(name: str) -> Environment:
    try:
        return ENVIRONMENTS[name]
    except KeyError:
        raise ValueError(
            f"{name!r} is not an eBay environment: use 'sandbox' or 'production'."
        ) from None


def environment_of(base_url: str) -> Environment:
    """The environment an account's address belongs to."""
    host = base_url.rstrip("/")
    for env in ENVIRONMENTS.values():
        if host in (env.api, env.apim, env.auth):
            return env
    raise ValueError(f"{base_url} is not an eBay address: use {SANDBOX.api} or {PRODUCTION.api}.")
