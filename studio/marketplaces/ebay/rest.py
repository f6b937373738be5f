"""The one way requests reach eBay: the user token, timeouts, quick retries, error mapping.

REST calls (the Sell APIs, the Media API) and Trading calls (XML over one endpoint) share a
keep-alive connection, the request counters and the rules: a brief blip (a connection
error, a 5xx, eBay's "system error" 25001) is retried a couple of times with jittered
back-off when repeating the request is safe; a 401 gets one token refresh; a 429 or the
Trading daily limit becomes RateLimited; everything else becomes the port error that says
what the engine must do.
"""

import random
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx

from studio import __version__
from studio.marketplaces.ebay import errors
from studio.marketplaces.ebay.environments import Environment
from studio.marketplaces.ebay.listing_setup import Site
from studio.sync.port import AuthFailed, Counters, NotFound, RateLimited, Refused, Unreachable

QUICK_RETRIES = 2
PAGE = 200  # the most rows a paged Sell API answer holds here
RETRY_BASE_S = 0.25
TRADING_NS = "urn:ebay:apis:eBLBaseComponents"
# The Trading schema version the XML here is written against.
TRADING_COMPATIBILITY = "1349"
DEFAULT_WAIT = timedelta(minutes=1)
DAILY_LIMIT_WAIT = timedelta(hours=1)


class TokenSource(Protocol):
    def access_token(self) -> str: ...

    def refresh(self) -> bool: ...

    def expires_at(self) -> datetime | None: ...


def _now() -> datetime:
    return datetime.now(UTC)


def _wait_from(response: httpx.Response, now: datetime) -> datetime:
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    return now + DEFAULT_WAIT


class EbayHttp:
    def __init__(
        self,
        tokens: TokenSource,
        env: Environment,
        site: Site,
        counters: Counters,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = _now,
        timeout_s: float = 20.0,
    ) -> None:
        self.tokens = tokens
        self.env = env
        self.site = site
        self.counters = counters
        self.sleep = sleep
        self.now = now
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            transport=transport,
            headers={"User-Agent": f"SellerStudio/{__version__}"},
        )

    def close(self) -> None:
        self._http.close()

    def _count(self, key: str) -> None:
        self.counters.requests += 1
        self.counters.by_path[key] = self.counters.by_path.get(key, 0) + 1

    def _pause(self, attempt: int) -> None:
        # Full jitter: spreads the retries of many clients instead of synchronising them.
        self.sleep(random.uniform(0, RETRY_BASE_S * 2**attempt))

    def rest(
        self,
        method: str,
        url: str,
        *,
        quick_retries: int = QUICK_RETRIES,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """A REST call; returns a 2xx answer or raises the port error for what eBay said.
        `quick_retries=0` for a request that must not be repeated blindly (it may have
        worked with its answer lost: the outbox checks before it tries again)."""
        refreshed = False
        attempt = 0
        key = f"{method} {httpx.URL(url).path}"
        while True:
            sent = {"Authorization": f"Bearer {self.tokens.access_token()}", **(headers or {})}
            self._count(key)
            try:
                response = self._http.request(method, url, headers=sent, **kwargs)
            except httpx.TransportError as error:
                if attempt < quick_retries:
                    attempt += 1
                    self._pause(attempt)
                    continue
                raise Unreachable(f"eBay: {type(error).__name__}: {error}") from error
            status = response.status_code
            if status < 300:
                return response
            if status == 401:
                if not refreshed and self.tokens.refresh():
                    refreshed = True
                    continue
                raise AuthFailed(
                    "eBay no longer accepts this sign-in (revoked, or unused for 18 months); "
                    "connect the account again."
                )
            if status == 429:
                raise RateLimited(_wait_from(response, self.now()))
            problem = errors.refusal(status, errors.rest_errors(_json(response)), _reason(response))
            if isinstance(problem, Unreachable) or status >= 500:
                if attempt < quick_retries:
                    attempt += 1
                    self._pause(attempt)
                    continue
                if not isinstance(problem, Unreachable):
                    problem = Unreachable(f"eBay answered {status} ({problem})")
            raise problem

    def download(self, url: str) -> bytes:
        """A public file (a picture on eBay's servers): no token goes with it."""
        self._count("GET picture")
        try:
            response = self._http.get(url)
        except httpx.TransportError as error:
            raise Unreachable(f"eBay pictures: {type(error).__name__}: {error}") from error
        if response.status_code == 404:
            raise NotFound(f"eBay no longer has the picture {url}")
        if response.status_code >= 400:
            raise Unreachable(f"eBay pictures answered {response.status_code}")
        return response.content

    def trading(
        self, call: str, fields: ET.Element, *, quick_retries: int = QUICK_RETRIES
    ) -> ET.Element:
        """A Trading API call: `fields` is the request element (its children are sent);
        returns the response element, or raises the port error for its <Errors>."""
        body = ET.tostring(fields, encoding="unicode")
        content = f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()
        refreshed = False
        attempt = 0
        while True:
            headers = {
                "X-EBAY-API-CALL-NAME": call,
                "X-EBAY-API-SITEID": self.site.trading_site_id,
                "X-EBAY-API-COMPATIBILITY-LEVEL": TRADING_COMPATIBILITY,
                "X-EBAY-API-IAF-TOKEN": self.tokens.access_token(),
                "Content-Type": "text/xml",
            }
            self._count(f"POST trading:{call}")
            try:
                response = self._http.post(self.env.trading, content=content, headers=headers)
            except httpx.TransportError as error:
                if attempt < quick_retries:
                    attempt += 1
                    self._pause(attempt)
                    continue
                raise Unreachable(f"eBay Trading: {type(error).__name__}: {error}") from error
            if response.status_code >= 500:
                if attempt < quick_retries:
                    attempt += 1
                    self._pause(attempt)
                    continue
                raise Unreachable(f"eBay's Trading API answered {response.status_code}")
            if response.status_code == 429:
                raise RateLimited(_wait_from(response, self.now()))
            root = _xml(response)
            failure = trading_failure(root)
            if failure is None:
                return root
            if failure.code in errors.TRADING_AUTH_CODES:
                if not refreshed and self.tokens.refresh():
                    refreshed = True
                    continue
                raise AuthFailed(
                    f"eBay no longer accepts this sign-in ({failure.message}); connect the "
                    "account again."
                )
            if failure.code in errors.TRADING_LIMIT_CODES:
                raise RateLimited(self.now() + DAILY_LIMIT_WAIT)
            if failure.code == "10007" and attempt < quick_retries:  # "internal error"
                attempt += 1
                self._pause(attempt)
                continue
            if failure.code == "10007":
                raise Unreachable(f"eBay's Trading API had an internal error: {failure.message}")
            raise Refused(400, failure.code, f"eBay: {failure.message}")


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _reason(response: httpx.Response) -> str:
    return f"{response.status_code} {response.reason_phrase}".strip()


def _xml(response: httpx.Response) -> ET.Element:
    try:
        return ET.fromstring(response.content)
    except ET.ParseError as error:
        raise Unreachable(f"eBay's Trading API sent what is not XML ({error})") from error


def tag(name: str) -> str:
    return f"{{{TRADING_NS}}}{name}"


def trading_failure(root: ET.Element) -> errors.TradingError | None:
    """The first error of an answer whose Ack is Failure (warnings alone are success)."""
    ack = root.findtext(tag("Ack"), default="")
    if ack not in ("Failure", "PartialFailure"):
        return None
    found = []
    for node in root.findall(tag("Errors")):
        params = {
            p.get("ParamID", ""): p.findtext(tag("Value"), default="")
            for p in node.findall(tag("ErrorParameters"))
        }
        found.append(
            errors.TradingError(
                code=node.findtext(tag("ErrorCode"), default=""),
                message=node.findtext(tag("LongMessage"))
                or node.findtext(tag("ShortMessage"))
                or "an error",
                severity=node.findtext(tag("SeverityCode"), default="Error"),
                parameters=params,
            )
        )
    serious = [error for error in found if error.severity == "Error"]
    if not serious:
        return None if found else errors.TradingError("", "eBay failed the call", "Error", {})
    return serious[0]
