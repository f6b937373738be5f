"""Per-address limits behind a reverse proxy (issue 15): X-Forwarded-For names the client
only when the request comes from a configured trusted proxy; from anyone else it is ignored,
or a client could dodge every per-address limit by naming a new address each time."""

from pathlib import Path

import httpx

from marketplace.embedded import run_embedded

BURST = 3


def bad_token(base_url: str, forwarded_for: str | None = None) -> int:
    headers = {"Authorization": "Bearer a-guess"}
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    return httpx.get(f"{base_url}/v1/me", headers=headers).status_code


def test_without_trusted_proxies_the_header_changes_nothing(tmp_path: Path):
    with run_embedded(tmp_path, bad_token_burst=BURST) as market:
        answers = [bad_token(market.base_url, f"203.0.113.{n}") for n in range(BURST + 2)]
    assert answers == [401] * BURST + [429, 429]


def test_a_peer_that_is_not_a_trusted_proxy_cannot_name_the_client(tmp_path: Path):
    with run_embedded(tmp_path, bad_token_burst=BURST, trusted_proxies=("10.0.0.0/8",)) as market:
        answers = [bad_token(market.base_url, f"203.0.113.{n}") for n in range(BURST + 2)]
    assert answers == [401] * BURST + [429, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(tmp_path: Path):
    with run_embedded(tmp_path, bad_token_burst=BURST, trusted_proxies=("127.0.0.1",)) as market:
        one = [bad_token(market.base_url, "203.0.113.1") for _ in range(BURST + 1)]
        # An address the client put in front of the proxy's entry does not start a new
        # count: the proxy appended the address it really came from.
        spoofed = bad_token(market.base_url, "198.51.100.9, 203.0.113.1")
        other = bad_token(market.base_url, "203.0.113.2")
        # Several proxies in a row: the nearest address that is not a trusted proxy counts.
        chained = bad_token(market.base_url, "203.0.113.1, 127.0.0.1")
        broken = [bad_token(market.base_url, "not-an-address") for _ in range(BURST + 1)]
    assert one == [401] * BURST + [429]
    assert (spoofed, other, chained) == (429, 401, 429)
    # An entry that is no address leaves the proxy's own: one count for all such requests.
    assert broken == [401] * BURST + [429]
