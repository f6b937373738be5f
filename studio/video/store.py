"""Content-addressed video store, laid out like the photo store.

Under the data dir's `videos/` folder:
    originals/ab/<sha256>.<ext>           read-only copy of the imported clip
    derived/ab/<sha256>/<recipe key>.mp4  the listing video a recipe makes
    derived/ab/<sha256>/<recipe key>.jpg  its cover frame
"""

from dataclasses import dataclass
from pathlib import Path

from studio.imaging.store import copy_read_only, file_sha256
from studio.storage.paths import private_dir
from studio.video.errors import VideoError
from studio.video.limits import LISTING_LIMITS, VideoLimits
from studio.video.probe import VIDEO_SUFFIXES, VideoInfo, probe
from studio.video.recipe import VideoRecipe, check


@dataclass(frozen=True)
class StoredVideo:
    file_hash: str
    filename: str
    info: VideoInfo
    path: Path


class VideoStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        private_dir(root)  # the seller's alone, like the photo store

    def import_file(
        self, source: Path, recipe: VideoRecipe | None = None, limits: VideoLimits = LISTING_LIMITS
    ) -> StoredVideo:
        """Copy `source` in (once per distinct content) after checking it is a whole clip
        and, when given, that `recipe` makes a listing video of it: a refused clip leaves
        nothing behind."""
        info = probe(source, limits)
        if recipe is not None:
            check(recipe, info.duration, limits)
        file_hash = file_sha256(source)
        suffix = source.suffix.lower() if source.suffix.lower() in VIDEO_SUFFIXES else ".mp4"
        target = self.root / "originals" / file_hash[:2] / f"{file_hash}{suffix}"
        if not self.contains(file_hash):
            copy_read_only(source, target)
        return StoredVideo(file_hash, source.name, info, self.original(file_hash))

    def contains(self, file_hash: str) -> bool:
        return any((self.root / "originals" / file_hash[:2]).glob(f"{file_hash}.*"))

    def original(self, file_hash: str) -> Path:
        matches = sorted((self.root / "originals" / file_hash[:2]).glob(f"{file_hash}.*"))
        if not matches:
            raise VideoError(f"video {file_hash[:12]} is not in the video store")
        return matches[0]

    def encoded_path(self, file_hash: str, recipe: VideoRecipe) -> Path:
        return self._derived(file_hash) / f"{recipe.key()}.mp4"

    def cover_path(self, file_hash: str, recipe: VideoRecipe) -> Path:
        return self._derived(file_hash) / f"{recipe.key()}.jpg"

    def clear_partial(self, file_hash: str) -> None:
        """Remove what an encode stopped by a quit or a crash left half written."""
        for leftover in self._derived(file_hash).glob(".tmp-*"):
            leftover.unlink(missing_ok=True)

    def _derived(self, file_hash: str) -> Path:
        return self.root / "derived" / file_hash[:2] / file_hash
