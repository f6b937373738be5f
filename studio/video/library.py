"""Videos of items and accounts in the database: attach, edit the recipe, encode, read.

The row is written before the encode starts (state "encoding"), so a quit or a crash mid
encode is found by `waiting_videos` and done again on the next start; an edit made while an
encode runs wins (the finished encode of the older recipe is not recorded as current).
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from studio.imaging.batch import BatchJob, Progress
from studio.imaging.store import file_sha256
from studio.inventory.tables import Item, utc_now
from studio.storage.database import Database
from studio.video.encode_worker import EncodeRunner
from studio.video.limits import LISTING_LIMITS, VideoLimits
from studio.video.recipe import VideoRecipe, check
from studio.video.store import StoredVideo, VideoStore
from studio.video.tables import Owner, Video, VideoState

STOPPED = "Stopped before it was finished; encode it again to finish it."


@dataclass(frozen=True)
class EncodeOutcome:
    video_id: int
    state: VideoState
    error: str = ""
    cancelled: bool = False


def find(session: Session, owner: Owner) -> Video | None:
    if owner.item_id is not None:
        return session.exec(select(Video).where(Video.item_id == owner.item_id)).first()
    return session.exec(select(Video).where(Video.account == owner.account)).first()


def attach(
    session: Session,
    owner: Owner,
    stored: StoredVideo,
    recipe: VideoRecipe,
    limits: VideoLimits = LISTING_LIMITS,
) -> Video:
    """Make `stored` the owner's video (replacing one it had), waiting to be encoded."""
    check(recipe, stored.info.duration, limits)
    if owner.item_id is not None and session.get(Item, owner.item_id) is None:
        raise LookupError(f"item {owner.item_id} no longer exists")
    video = find(session, owner) or Video(
        item_id=owner.item_id, account=owner.account, file_hash=stored.file_hash
    )
    video.file_hash, video.filename = stored.file_hash, stored.filename
    video.duration_ms = round(stored.info.duration * 1000)
    video.width, video.height = stored.info.width, stored.info.height
    _wait_for_encode(video, recipe)
    session.add(video)
    session.flush()
    return video


def set_recipe(
    session: Session, video_id: int, recipe: VideoRecipe, limits: VideoLimits = LISTING_LIMITS
) -> Video:
    """A new trim, cover or mute; the listing video is made again from the original."""
    video = _video(session, video_id)
    check(recipe, video.duration_ms / 1000, limits)
    if recipe.to_json() != video.recipe or video.state == VideoState.FAILED:
        _wait_for_encode(video, recipe)
        session.add(video)
    return video


def first_recipe(duration: float, limits: VideoLimits = LISTING_LIMITS) -> VideoRecipe:
    """A new clip's recipe: all of it, or its first `max_seconds` for the seller to move."""
    return VideoRecipe() if duration <= limits.max_seconds else VideoRecipe(end=limits.max_seconds)


def remove(session: Session, video_id: int) -> None:
    session.delete(_video(session, video_id))


def waiting_videos(session: Session) -> list[Video]:
    """Videos whose encode has not happened yet: queued, or stopped by a quit."""
    query = select(Video).where(Video.state == VideoState.ENCODING.value).order_by(col(Video.id))
    return list(session.exec(query))


def encode_video(
    db: Database,
    store: VideoStore,
    video_id: int,
    on_progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    limits: VideoLimits = LISTING_LIMITS,
    quitting: threading.Event | None = None,
) -> EncodeOutcome:
    """Encode the video's current recipe in a worker process and record the result.

    A Cancel records the video as stopped; a quit (`quitting` set with `cancel`) leaves it
    waiting, so the next start encodes it again from the beginning."""
    with db.session() as session:
        video = _video(session, video_id)
        recipe_json, file_hash = video.recipe, video.file_hash
    recipe = VideoRecipe.from_json(recipe_json)
    output = store.encoded_path(file_hash, recipe)
    store.clear_partial(file_hash)

    def progress(report: Progress) -> None:
        if on_progress is not None:
            on_progress(report.part if report.done == 0 else 1.0)

    runner = EncodeRunner(recipe, limits, cancel)
    job = BatchJob(store.original(file_hash), output, file_hash)
    result = runner.run([job], progress)
    if result.cancelled:
        if quitting is not None and quitting.is_set():
            return EncodeOutcome(video_id, VideoState.ENCODING, cancelled=True)
        return _record(db, video_id, recipe_json, VideoState.FAILED, STOPPED, cancelled=True)
    [done] = result.results
    if done.error is not None:
        return _record(db, video_id, recipe_json, VideoState.FAILED, done.error)
    return _record(db, video_id, recipe_json, VideoState.READY, encoded=output)


def _record(
    db: Database,
    video_id: int,
    recipe_json: str,
    state: VideoState,
    error: str = "",
    encoded: Path | None = None,
    cancelled: bool = False,
) -> EncodeOutcome:
    digest = file_sha256(encoded) if encoded is not None else None
    with db.transaction() as session:
        video = session.get(Video, video_id)
        if video is None or video.recipe != recipe_json:
            # Deleted or edited while encoding: the newer recipe waits for its own encode.
            current = VideoState(video.state) if video else state
            return EncodeOutcome(video_id, current, "", cancelled)
        video.state, video.error = state.value, error
        video.encoded_hash = digest
        video.encoded_bytes = encoded.stat().st_size if encoded is not None else 0
        video.updated_at = utc_now()
        session.add(video)
    return EncodeOutcome(video_id, state, error, cancelled)


def _wait_for_encode(video: Video, recipe: VideoRecipe) -> None:
    video.recipe = recipe.to_json()
    video.state, video.error = VideoState.ENCODING.value, ""
    video.encoded_hash, video.encoded_bytes = None, 0
    video.updated_at = utc_now()


def _video(session: Session, video_id: int) -> Video:
    video = session.get(Video, video_id)
    if video is None:
        raise LookupError(f"video {video_id} no longer exists")
    return video
