import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from fault_injection import FaultInjector

from marketplace.embedded import EmbeddedMarketplace, run_embedded
from studio.inventory import service as inventory
from studio.inventory.tables import Item, utc_now
from studio.storage.credentials import PrivateFileStore
from studio.storage.database import Database, open_database
from studio.sync import outbox
from studio.sync.connection import SELLER_API, build_client, connect_with_token
from studio.sync.engine import SyncEngine

_sellers = itertools.count(1)


@pytest.fixture(scope="module")
def market(tmp_path_factory) -> Iterator[EmbeddedMarketplace]:
    with run_embedded(tmp_path_factory.mktemp("market"), rate_limit_per_minute=0) as server:
        yield server


@dataclass
class Studio:
    """A studio data dir connected to its own seller on the real server."""

    data_dir: Path
    database: Database
    credentials: PrivateFileStore
    market: EmbeddedMarketplace
    token: str
    faults: FaultInjector

    def engine(self, now: Callable[[], datetime] = utc_now) -> SyncEngine:
        client = build_client(self.database, self.credentials, transport=self.faults)
        client._sleep = lambda _seconds: None  # quick retries need no real waiting here
        return SyncEngine(self.database, self.data_dir, [client], now=now)

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return httpx.request(method, f"{self.market.base_url}{path}", headers=headers, **kwargs)

    def remote_listings(self) -> list[dict]:
        return self.api("GET", "/v1/listings", params={"limit": 200}).json()["listings"]

    def add_item(self, publish: bool = True, **raw: str) -> Item:
        raw.setdefault("title", "Wool coat")
        raw.setdefault("list_price_cents", "45")
        with self.database.transaction() as session:
            item = inventory.create_item(session, inventory.parse_values(raw))
            if publish:
                outbox.publish(session, item, SELLER_API)
        return item

    def edit(self, item_id: int, **raw: str) -> None:
        with self.database.transaction() as session:
            inventory.update_item(session, item_id, inventory.parse_values(raw))


@pytest.fixture
def studio(market, tmp_path) -> Iterator[Studio]:
    token = market.create_seller(f"closet-{next(_sellers)}")
    data_dir = tmp_path / "studio"
    database = open_database(data_dir)
    # The store a keyring-less desktop uses, so the scheduled job finds the token too.
    credentials = PrivateFileStore(data_dir)
    connect_with_token(database, credentials, market.base_url, token)
    yield Studio(data_dir, database, credentials, market, token, FaultInjector())
    database.close()
