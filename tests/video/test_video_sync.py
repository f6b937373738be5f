"""A listing video through the outbox to the real Seller API server, and on the closet page."""

import hashlib
import itertools
from collections.abc import Iterator

import httpx
import pytest
from fault_injection import FaultInjector, drop_after
from sqlmodel import select

from marketplace.config import VideoLimits as ServerVideoLimits
from marketplace.embedded import EmbeddedMarketplace, run_embedded
from studio.inventory import service as inventory
from studio.marketplaces.ebay.client import EbayClient
from studio.storage.credentials import PrivateFileStore
from studio.storage.database import open_database
from studio.sync import outbox
from studio.sync.connection import SELLER_API, build_client, connect_with_token
from studio.sync.engine import SyncEngine
from studio.sync.port import ListingVideo
from studio.sync.tables import OpKind, OutboxOp
from studio.sync.video_ops import video_notes
from studio.video import library
from studio.video.recipe import VideoRecipe
from studio.video.store import VideoStore
from studio.video.tables import Video

PIECE = 16 * 1024
_sellers = itertools.count(1)


@pytest.fixture(scope="module")
def market(tmp_path_factory) -> Iterator[EmbeddedMarketplace]:
    limits = ServerVideoLimits(chunk_bytes=PIECE)  # small pieces, so the clip takes several
    with run_embedded(
        tmp_path_factory.mktemp("market"), rate_limit_per_minute=0, video_limits=limits
    ) as server:
        yield server


class WithoutVideo:
    """The real client, answering a listing video the way the eBay adapter does."""

    def __init__(self, real) -> None:
        self.real = real

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    def put_listing_video(self, remote_id: str, video: ListingVideo) -> None:
        EbayClient.put_listing_video(self, remote_id, video)  # type: ignore[arg-type]


@pytest.fixture
def studio(market, tmp_path):
    token = market.create_seller(f"filmer-{next(_sellers)}")
    data_dir = tmp_path / "studio"
    database = open_database(data_dir)
    credentials = PrivateFileStore(data_dir)
    connect_with_token(database, credentials, market.base_url, token)
    yield data_dir, database, credentials, token
    database.close()


def listed_item_with_video(database, data_dir, clip) -> tuple[int, str]:
    with database.transaction() as session:
        item = inventory.create_item(
            session, inventory.parse_values({"title": "Silk scarf", "list_price_cents": "30"})
        )
        outbox.publish(session, item, SELLER_API)
    store = VideoStore(data_dir / "videos")
    recipe = VideoRecipe(start=0.4, end=2.8, cover=1.2)
    stored = store.import_file(clip, recipe)
    with database.transaction() as session:
        video = library.attach(session, library.Owner(item_id=item.id), stored, recipe)
    assert video.id is not None and item.id is not None
    library.encode_video(database, store, video.id)
    with database.session() as session:
        ready = session.get(Video, video.id)
    assert ready is not None and ready.encoded_hash
    return item.id, ready.encoded_hash


def test_an_interrupted_upload_carries_on_and_the_closet_shows_the_video(
    market, studio, clips
) -> None:
    data_dir, database, credentials, token = studio
    item_id, sha = listed_item_with_video(database, data_dir, clips["portrait"])
    faults = FaultInjector()
    faults.add(f"PUT /v1/videos/{sha}", lambda request, forward: forward())
    faults.add(f"PUT /v1/videos/{sha}", drop_after)  # the 2nd piece lands; its answer is lost
    client = build_client(database, credentials, transport=faults)
    client._sleep = lambda _seconds: None
    engine = SyncEngine(database, data_dir, [client])
    engine.cycle()
    with database.session() as session:
        assert video_notes(session, library.Owner(item_id=item_id)) == {
            SELLER_API: "waiting to be sent"
        }
        op = session.exec(select(OutboxOp).where(OutboxOp.kind == OpKind.PUT_VIDEO.value)).one()
        op.next_attempt_at = op.created_at  # its back-off is over
        session.add(op)
        session.commit()
    engine.cycle()
    with database.session() as session:
        assert video_notes(session, library.Owner(item_id=item_id)) == {
            SELLER_API: "on the listing"
        }

    [encoded_path] = (VideoStore(data_dir / "videos").root / "derived").rglob("*.mp4")
    encoded = encoded_path.read_bytes()
    assert len(encoded) > 2 * PIECE
    pieces = [seen for seen in faults.seen if seen == f"PUT /v1/videos/{sha}"]
    assert len(pieces) == -(-len(encoded) // PIECE)  # every piece sent once, none again
    headers = {"Authorization": f"Bearer {token}"}
    [listing] = httpx.get(f"{market.base_url}/v1/listings", headers=headers).json()["listings"]
    attached = httpx.get(f"{market.base_url}/v1/listings/{listing['id']}/video", headers=headers)
    assert attached.json()["sha256"] == sha
    served = httpx.get(f"{market.base_url}/v1/videos/{sha}")
    assert served.content == encoded and served.headers["content-type"] == "video/mp4"
    poster = httpx.get(market.base_url + attached.json()["poster_url"])
    assert poster.headers["content-type"] == "image/jpeg"
    me = httpx.get(f"{market.base_url}/v1/me", headers=headers).json()
    page = httpx.get(f"{market.base_url}/closet/{me['name']}").text
    assert f'src="/v1/videos/{sha}"' in page
    assert f'poster="{attached.json()["poster_url"]}"' in page


def test_a_marketplace_without_video_skips_it_and_says_why(studio, clips) -> None:
    data_dir, database, credentials, _token = studio
    item_id, _sha = listed_item_with_video(database, data_dir, clips["landscape"])
    client = WithoutVideo(build_client(database, credentials))
    SyncEngine(database, data_dir, [client]).cycle()
    with database.session() as session:
        note = video_notes(session, library.Owner(item_id=item_id))[SELLER_API]
    assert note.startswith("not sent: eBay takes listing videos through its Media API")


def test_the_server_refuses_what_breaks_its_limits(market) -> None:
    token = market.create_seller("limits")
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.get(f"{market.base_url}/v1/video-limits").json()
    assert limits["max_seconds"] == 60 and limits["formats"] == ["video/mp4"]
    data = b"not an mp4 at all"
    sha = hashlib.sha256(data).hexdigest()
    refused = httpx.put(f"{market.base_url}/v1/videos/{sha}", content=data, headers=headers)
    assert refused.status_code == 415 and refused.json()["code"] == "unsupported_video"
    state = httpx.get(f"{market.base_url}/v1/videos/{sha}/upload", headers=headers).json()
    assert state == {"sha256": sha, "received_bytes": 0, "complete": False, "url": None}
    too_big = httpx.put(
        f"{market.base_url}/v1/videos/{sha}",
        content=data,
        headers={**headers, "Content-Range": f"bytes 0-{len(data) - 1}/{200 * 1024 * 1024}"},
    )
    assert too_big.status_code == 422 and too_big.json()["code"] == "video_too_big"


def test_listing_an_item_that_has_a_video_queues_the_video_after_the_listing(studio, clips) -> None:
    data_dir, database, _credentials, _token = studio
    with database.transaction() as session:
        item = inventory.create_item(session, inventory.parse_values({"title": "Beret"}))
    store = VideoStore(data_dir / "videos")
    stored = store.import_file(clips["landscape"])
    with database.transaction() as session:
        video = library.attach(session, library.Owner(item_id=item.id), stored, VideoRecipe())
    assert video.id is not None
    library.encode_video(database, store, video.id)
    with database.transaction() as session:
        outbox.publish(session, session.get(type(item), item.id), SELLER_API)
    with database.session() as session:
        kinds = [op.kind for op in session.exec(select(OutboxOp).order_by(OutboxOp.id))]
    assert kinds == [OpKind.CREATE_LISTING.value, OpKind.PUT_VIDEO.value]


def test_meet_the_seller_goes_to_its_account_and_tops_the_closet(market, studio, clips) -> None:
    data_dir, database, credentials, token = studio
    store = VideoStore(data_dir / "videos")
    owner = library.Owner(account=SELLER_API)
    stored = store.import_file(clips["portrait"])
    with database.transaction() as session:
        video_id = library.attach(session, owner, stored, VideoRecipe(end=2.0)).id
    assert video_id is not None
    library.encode_video(database, store, video_id)
    SyncEngine(database, data_dir, [build_client(database, credentials)]).cycle()
    with database.session() as session:
        assert video_notes(session, owner) == {SELLER_API: "on your closet page"}
        sha = session.get(Video, video_id).encoded_hash
    headers = {"Authorization": f"Bearer {token}"}
    mine = httpx.get(f"{market.base_url}/v1/me/video", headers=headers).json()
    assert mine["sha256"] == sha
    me = httpx.get(f"{market.base_url}/v1/me", headers=headers).json()
    page = httpx.get(f"{market.base_url}/closet/{me['name']}").text
    assert (
        f'class="intro" controls preload="none" playsinline poster="{mine["poster_url"]}"' in page
    )
