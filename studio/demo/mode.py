"""Demo mode: two whole marketplaces on this laptop, with buyers, for trying the studio.

Two reference Seller API servers, with their own names and fee schedules, and a buyer
simulator on each run as child processes (the studio shares only the HTTP contract with
them), in a demo data dir that never mixes with real data. The demo closet is listed on
both, so a person trying the app sees an item sell on one and come down from the other.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import platformdirs
from sqlmodel import Session, select

from studio.demo.data import add_demo_items
from studio.demo.photos import save_product
from studio.imaging.store import PhotoStore
from studio.inventory.tables import Item, ItemStatus, Photo
from studio.marketplaces.seller_api.tokens import personal_token
from studio.shows import service as shows
from studio.storage.credentials import CredentialStore
from studio.storage.database import Database
from studio.storage.paths import APP_NAME, photos_dir
from studio.sync.connection import SELLER_API, connect_with_token
from studio.sync.publishing import publish_items

DEMO_SELLER = "demo-closet"
DEMO_ITEMS = 60
START_TIMEOUT_S = 30.0
DEMO_SYNC_MINUTES = 0.25
SAMPLE_SHOW_ITEMS = 5
# A frozen bundle has no `python -m`: its executable runs the marketplace when this comes
# first (installer/launcher.py).
FROZEN_MARKETPLACE_ARG = "--run-marketplace"


class DemoError(RuntimeError):
    pass


def demo_data_dir() -> Path:
    chosen = os.environ.get("STUDIO_DEMO_DIR")
    path = Path(chosen) if chosen else platformdirs.user_data_path(APP_NAME) / "demo"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise DemoError("no free port on 127.0.0.1")


@dataclass(frozen=True)
class DemoMarketSpec:
    name: str  # the account's name in the studio
    preferred_port: int
    fees: tuple[str, ...]  # the server's fee options


DEMO_MARKETS = (
    DemoMarketSpec(SELLER_API, 8766, ()),  # the social marketplace: 20%, 2.95 below 15.00
    DemoMarketSpec(
        "thrift-hub",
        8767,
        ("--fee-percent", "12.9", "--flat-fee-cents", "100", "--flat-fee-below-cents", "1000"),
    ),
)


@dataclass
class DemoMarketplace:
    """One server and its simulator, as child processes that end with the app."""

    data_dir: Path
    spec: DemoMarketSpec = DEMO_MARKETS[0]
    base_url: str = ""
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def market_dir(self) -> Path:
        first = self.spec.name == SELLER_API  # where demo dirs made before kept it
        return self.data_dir / ("marketplace" if first else f"marketplace-{self.spec.name}")

    def _log(self, what: str) -> Path:
        return self.data_dir / f"{what}-{self.spec.name}.log"

    def _marketplace(self, *args: str) -> list[str]:
        if getattr(sys, "frozen", False):
            return [sys.executable, FROZEN_MARKETPLACE_ARG, *args]
        return [sys.executable, "-m", "marketplace", *args]

    def start(self) -> str:
        port = _free_port(self.spec.preferred_port)
        self.base_url = f"http://127.0.0.1:{port}"
        log = self._log("marketplace").open("ab")
        serve = ("serve", "--port", str(port), "--data", str(self.market_dir), *self.spec.fees)
        self.processes.append(subprocess.Popen(self._marketplace(*serve), stdout=log, stderr=log))
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base_url}/openapi.json", timeout=1.0).status_code == 200:
                    return self.base_url
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise DemoError(f"the demo marketplace did not start; see {self._log('marketplace')}")

    def create_seller(self) -> str:
        result = subprocess.run(
            self._marketplace("create-seller", DEMO_SELLER, "--data", str(self.market_dir)),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise DemoError(f"could not create the demo seller: {result.stderr.strip()}")
        return result.stdout.strip().splitlines()[-1]

    def start_buyers(self, seed: int) -> None:
        command = self._marketplace(
            "simulate", "--seller", DEMO_SELLER, "--base-url", self.base_url,
            "--seed", str(seed), "--speed", "0.5", "--actions", "100000", "--duration", "14400",
            "--watch-shows",
        )  # fmt: skip
        log = self._log("buyers").open("ab")
        self.processes.append(subprocess.Popen(command, stdout=log, stderr=log))

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


def add_demo_photos(database: Database, data_dir: Path) -> int:
    store = PhotoStore(photos_dir(data_dir))
    folder = data_dir / "demo-photos"
    with database.transaction() as session:
        items = session.exec(select(Item).where(~Item.id.in_(select(Photo.item_id)))).all()  # type: ignore[union-attr]
        for item in items:
            assert item.id is not None
            stored = store.import_file(save_product(item.category, item.color, item.id, folder))
            session.add(
                Photo(
                    item_id=item.id,
                    position=0,
                    file_hash=stored.file_hash,
                    filename=stored.filename,
                    width=stored.width,
                    height=stored.height,
                )
            )
    return len(items)


def add_sample_show(session: Session, item_ids: Sequence[int], marketplace: str = "") -> int:
    """A show planned for tomorrow evening with five items for sale, so its run sheet and
    show mode can be tried at once (Shows section); hosted on `marketplace`, whose simulated
    buyers buy on air once it starts."""
    tomorrow = datetime.now().astimezone().date() + timedelta(days=1)
    starts = datetime.combine(tomorrow, datetime.min.time()).replace(hour=19).astimezone()
    show = shows.create_show(session, "Demo live show", starts, marketplace)
    assert show.id is not None
    shows.add_items(session, show.id, item_ids[:SAMPLE_SHOW_ITEMS])
    return show.id


@dataclass
class Demo:
    """The demo's marketplaces, each with its server and buyers."""

    markets: list[DemoMarketplace]

    @property
    def addresses(self) -> str:
        return ", ".join(f"{m.spec.name} at {m.base_url}" for m in self.markets)

    def stop(self) -> None:
        for market in self.markets:
            market.stop()


def start_demo(
    database: Database, data_dir: Path, credentials: CredentialStore, seed: int = 7
) -> Demo:
    """Starts the marketplaces and their buyers; the first time, fills a demo closet and
    lists it on every demo marketplace."""
    demo = Demo([DemoMarketplace(data_dir, spec) for spec in DEMO_MARKETS])
    try:
        for market in demo.markets:
            market.start()
            token = personal_token(credentials, market.spec.name) or market.create_seller()
            connect_with_token(database, credentials, market.base_url, token, market.spec.name)
        with database.transaction() as session:
            first_time = session.exec(select(Item.id)).first() is None
        if first_time:
            with database.transaction() as session:
                add_demo_items(session, DEMO_ITEMS, seed=seed)
            add_demo_photos(database, data_dir)
            with database.transaction() as session:
                for_sale = session.exec(
                    select(Item.id).where(Item.status == ItemStatus.LISTED.value)
                ).all()
                listed = [i for i in for_sale if i is not None]
                for market in demo.markets:
                    publish_items(session, listed, market.spec.name)
                add_sample_show(session, listed, SELLER_API)
        for offset, market in enumerate(demo.markets):
            market.start_buyers(seed + offset)
    except BaseException:
        demo.stop()
        raise
    return demo
