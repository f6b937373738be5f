"""The photos of a closet import: brought into the photo store several at a time, each
distinct photo once, checked against the hash that names it (studio/sync/closet_import.py)."""

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from studio.imaging import decode
from studio.imaging.errors import PhotoError
from studio.imaging.store import PhotoStore, StoredPhoto
from studio.sync.closet_plan import Action, Decision
from studio.sync.port import NotFound

if TYPE_CHECKING:  # the import module uses this one; these only name its types
    from studio.sync.closet_import import ImportReport, _Reader

PHOTO_THREADS = 8  # photos wait on the network and the disk; decoding releases the GIL
DOWNLOADED, REUSED = "downloaded", "reused"  # how a photo came in
Fetched = tuple[StoredPhoto | None, str]  # the photo, and DOWNLOADED, REUSED or what failed
IMAGE_SUFFIXES = ((b"\xff\xd8", ".jpg"), (b"\x89PNG", ".png"), (b"RIFF", ".webp"))


class PhotoFetcher:
    """Brings a batch's photos into the store, several at a time, each distinct photo once."""

    def __init__(
        self,
        store: PhotoStore,
        reader: "_Reader",
        pool: ThreadPoolExecutor,
        scratch: Path,
        report: "ImportReport",
    ) -> None:
        self.store = store
        self.reader = reader
        self.pool = pool
        self.scratch = scratch
        self.report = report
        self.started: dict[str, Future[Fetched]] = {}
        self.counted: set[str] = set()

    def start(self, batch: list[Decision]) -> dict[str, Future[Fetched]]:
        """Starts bringing in the batch's photos; a photo an earlier batch started is not
        started again (two threads must never store the same photo at once)."""
        coming: dict[str, Future[Fetched]] = {}
        for decision in batch:
            if decision.action is not Action.CREATE:
                continue
            for file_hash in decision.listing.fields.get("photos") or []:
                if file_hash not in self.started:
                    self.started[file_hash] = self.pool.submit(self._one, file_hash)
                coming[file_hash] = self.started[file_hash]
        return coming

    def collect(self, coming: dict[str, Future[Fetched]]) -> dict[str, StoredPhoto]:
        stored: dict[str, StoredPhoto] = {}
        for file_hash, future in coming.items():
            photo, outcome = future.result()
            if photo is not None:
                stored[file_hash] = photo
            if file_hash in self.counted:
                continue  # shared with a listing of an earlier batch
            self.counted.add(file_hash)
            if outcome == DOWNLOADED:
                self.report.photos_downloaded += 1
            elif outcome == REUSED:
                self.report.photos_reused += 1
            else:
                self.report.problems.append(f"photo {file_hash[:12]}: {outcome}")
        return stored

    def _one(self, file_hash: str) -> Fetched:
        """On a worker thread: the stored photo, and DOWNLOADED, REUSED or why it could not
        come in. A fault of the marketplace stops the import."""
        if self.store.contains(file_hash):
            return self._known(file_hash)
        try:
            data = self.reader.call(self.reader.market.download_photo, file_hash)
        except NotFound:
            return None, "gone from the marketplace; the item has its other photos"
        if hashlib.sha256(data).hexdigest() != file_hash:
            # Stored under a hash its bytes do not have, it would break the photo store.
            return None, "arrived damaged; the item has its other photos"
        path = self.scratch / f"{self.reader.market.name}-{file_hash[:12]}{_suffix(data)}"
        path.write_bytes(data)
        try:
            return self.store.import_file(path), DOWNLOADED
        except PhotoError as error:
            return None, str(error)
        finally:
            path.unlink(missing_ok=True)

    def _known(self, file_hash: str) -> Fetched:
        try:
            path = self.store.original(file_hash)
            info = decode.probe(path)
        except PhotoError as error:
            return None, str(error)
        stored = StoredPhoto(
            file_hash, path.name, info.width, info.height, info.format, path, False
        )
        return stored, REUSED


def _suffix(data: bytes) -> str:
    return next((suffix for magic, suffix in IMAGE_SUFFIXES if data.startswith(magic)), "")
