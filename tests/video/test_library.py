"""An item's video in the database, encoded in a worker process; a quit mid-encode."""

import threading

import pytest
from video_frames import frame_numbers

from studio.video import library
from studio.video.errors import VideoError
from studio.video.recipe import VideoRecipe
from studio.video.store import VideoStore
from studio.video.tables import Video, VideoState


@pytest.fixture
def store(data_dir) -> VideoStore:
    return VideoStore(data_dir / "videos")


def attach(database, store, item_id, source, recipe) -> int:
    stored = store.import_file(source, recipe)
    with database.transaction() as session:
        video_id = library.attach(session, library.Owner(item_id=item_id), stored, recipe).id
    assert video_id is not None
    return video_id


def test_an_encode_is_recorded_and_a_new_recipe_makes_it_again(
    database, store, add_item, clips
) -> None:
    item = add_item()
    original = clips["portrait"].read_bytes()
    recipe = VideoRecipe(start=1.0, end=2.0)
    video_id = attach(database, store, item.id, clips["portrait"], recipe)
    seen: list[float] = []
    outcome = library.encode_video(database, store, video_id, seen.append)
    assert outcome.state is VideoState.READY and seen[-1] == 1.0
    with database.session() as session:
        video = session.get(Video, video_id)
    assert video is not None and video.encoded_hash and video.encoded_bytes > 0
    assert frame_numbers(store.encoded_path(video.file_hash, recipe)) == list(range(25, 50))

    with database.transaction() as session:
        library.set_recipe(session, video_id, VideoRecipe(start=2.0, cover=2.5))
    with database.session() as session:
        assert [v.id for v in library.waiting_videos(session)] == [video_id]
    with pytest.raises(VideoError, match="needs at least"):
        with database.transaction() as session:
            library.set_recipe(session, video_id, VideoRecipe(start=2.5))
    assert library.encode_video(database, store, video_id).state is VideoState.READY
    assert store.original(video.file_hash).read_bytes() == original  # never changed


def test_a_quit_during_the_encode_leaves_it_waiting_and_the_next_start_finishes_it(
    database, store, add_item, clips
) -> None:
    item = add_item()
    video_id = attach(database, store, item.id, clips["portrait"], VideoRecipe())
    stop, quitting = threading.Event(), threading.Event()
    quitting.set()
    stop.set()  # the quit arrives before the worker has finished
    outcome = library.encode_video(database, store, video_id, cancel=stop, quitting=quitting)
    assert outcome.cancelled and outcome.state is VideoState.ENCODING
    with database.session() as session:
        [waiting] = library.waiting_videos(session)
    assert waiting.id == video_id
    # A Cancel by the seller (no quit) is recorded as stopped, to be encoded on request.
    cancel = threading.Event()
    cancel.set()
    stopped = library.encode_video(database, store, video_id, cancel=cancel)
    assert stopped.state is VideoState.FAILED and "Stopped" in stopped.error
    with database.transaction() as session:
        library.set_recipe(session, video_id, VideoRecipe())
    assert library.encode_video(database, store, video_id).state is VideoState.READY
    derived = store.encoded_path(waiting.file_hash, VideoRecipe()).parent
    assert not list(derived.glob(".tmp-*"))


def test_meet_the_seller_belongs_to_an_account(database, store, clips) -> None:
    from studio.sync.tables import MarketplaceAccount

    with database.transaction() as session:
        session.add(MarketplaceAccount(name="seller-api", base_url="http://127.0.0.1:1"))
    owner = library.Owner(account="seller-api")
    stored = store.import_file(clips["landscape"])
    with database.transaction() as session:
        first = library.attach(session, owner, stored, VideoRecipe()).id
    with database.transaction() as session:
        again = library.attach(session, owner, stored, VideoRecipe(start=0.5)).id
    assert first == again  # one per account: a new clip replaces the old
    with pytest.raises(ValueError):
        library.Owner()
