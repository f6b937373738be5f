"""Where the push finds a listing video: the video store, by the encode's content hash."""

import hashlib
from pathlib import Path

from sqlmodel import select

from studio.storage.database import Database
from studio.storage.paths import videos_dir
from studio.sync.port import ListingVideo
from studio.video.recipe import VideoRecipe
from studio.video.store import VideoStore
from studio.video.tables import Video, VideoState


class StoreVideos:
    """A listing video as the port sends it, from the video store, by its content hash."""

    def __init__(self, database: Database, data_dir: Path) -> None:
        self.database = database
        self.store = VideoStore(videos_dir(data_dir))

    def __call__(self, sha256: str) -> ListingVideo | None:
        """None when no video is that encode any more (replaced or removed meanwhile)."""
        with self.database.session() as session:
            video = session.exec(
                select(Video).where(
                    Video.encoded_hash == sha256, Video.state == VideoState.READY.value
                )
            ).first()
        if video is None:
            return None
        recipe = VideoRecipe.from_json(video.recipe)
        path = self.store.encoded_path(video.file_hash, recipe)
        poster = self.store.cover_path(video.file_hash, recipe).read_bytes()
        start, end = recipe.span(video.duration_ms / 1000)
        return ListingVideo(
            sha256=sha256,
            path=path,
            size_bytes=path.stat().st_size,
            duration_s=end - start,
            width=video.width,
            height=video.height,
            poster_sha256=hashlib.sha256(poster).hexdigest(),
            poster=poster,
        )
