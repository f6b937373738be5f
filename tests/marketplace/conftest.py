"""A real Seller API server on 127.0.0.1 for the whole session, and clients for it."""

import hashlib
import io
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from PIL import Image
from postgres import run_server_on

from marketplace.embedded import EmbeddedMarketplace

_names = itertools.count(1)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `postgres_too` runs against the server on PostgreSQL as well."""
    marked = metafunc.definition.get_closest_marker("postgres_too") is not None
    if marked and "market" in metafunc.fixturenames:
        metafunc.parametrize("server_database", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def server_database(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def market(
    server_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedMarketplace]:
    data_dir = tmp_path_factory.mktemp(f"market-{server_database}")
    with run_server_on(server_database, data_dir, rate_limit_per_minute=0) as server:
        yield server


def seller_client(market: EmbeddedMarketplace, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=market.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


@pytest.fixture
def new_seller(market: EmbeddedMarketplace) -> Iterator[Callable[..., httpx.Client]]:
    """Creates sellers with unique names; each comes as an authenticated client."""
    clients: list[httpx.Client] = []

    def make(password: str | None = None) -> httpx.Client:
        name = f"seller-{next(_names)}"
        client = seller_client(market, market.create_seller(name, password))
        client.headers["X-Test-Seller"] = name
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def seller(new_seller: Callable[..., httpx.Client]) -> httpx.Client:
    return new_seller()


def make_buyer(market: EmbeddedMarketplace, name: str = "Ана Ѓорѓиева") -> httpx.Client:
    """A new buyer (Macedonian Cyrillic name and address) as an authenticated client."""
    address = {
        "name": name,
        "line1": "ул. Македонија 12",
        "city": "Скопје",
        "postal_code": "1000",
        "country": "MK",
    }
    response = httpx.post(
        f"{market.base_url}/v1/market/buyers", json={"name": name, "address": address}
    )
    assert response.status_code == 201, response.text
    return httpx.Client(
        base_url=market.base_url,
        headers={"Authorization": f"Bearer {response.json()['token']}"},
        timeout=30,
    )


@pytest.fixture
def buyer(market: EmbeddedMarketplace) -> Iterator[httpx.Client]:
    client = make_buyer(market)
    yield client
    client.close()


def png_bytes(color: tuple[int, int, int], size: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buffer, "PNG")
    return buffer.getvalue()


def upload_photo(client: httpx.Client, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    response = client.put(f"/v1/photos/{sha}", content=data, headers={"Content-Type": "image/png"})
    assert response.status_code in (200, 201), response.text
    return sha


def create_listing(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"title": "Linen shirt", "price_cents": 2500, **fields}
    response = client.post("/v1/listings", json=body)
    assert response.status_code == 201, response.text
    listing: dict[str, Any] = response.json()
    return listing


def all_events(client: httpx.Client, after: int = 0, limit: int = 200) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while True:
        page = client.get("/v1/events", params={"after": after, "limit": limit}).json()
        events.extend(page["events"])
        after = page["next_cursor"]
        if not page["has_more"]:
            return events


class Kit:
    """The helpers above, handed to tests as a fixture (importlib mode has no `import conftest`)."""

    make_buyer = staticmethod(make_buyer)
    png_bytes = staticmethod(png_bytes)
    upload_photo = staticmethod(upload_photo)
    create_listing = staticmethod(create_listing)
    all_events = staticmethod(all_events)
    seller_client = staticmethod(seller_client)


@pytest.fixture
def kit() -> type[Kit]:
    return Kit
