"""Content-addressed photo store: originals kept once and never changed, derivatives cached.

The store lies in the data dir, and like the database it is the seller's alone: its folders
are made 0700, derivatives 0600 and originals 0400 (read-only, as they never change).

Layout under the root (the data dir's `photos/` folder):
    originals/ab/<sha256>.<ext>      read-only copy of the imported file
    derived/ab/<sha256>/<key>.<ext>  thumbnails, previews, exports (keyed by recipe hash)
    masks/ab/<sha256>.<remover>.png  the subject mask, so restyling never reruns a model
"""

import hashlib
import io
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from studio.imaging import decode
from studio.imaging.errors import PhotoError
from studio.storage.paths import private_dir

THUMB_SIZE = 256
_READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredPhoto:
    file_hash: str
    filename: str
    width: int
    height: int
    format: str
    path: Path
    is_new: bool  # False when the same bytes were imported before


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write so that readers see the old file or the whole new one, never half of it. A new
    folder, and the file (mkstemp's mode), are its owner's only."""
    private_dir(path.parent)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def copy_read_only(source: Path, target: Path) -> None:
    """Copy `source` to `target` whole or not at all, and make the copy read-only (and, like
    all in the data dir, its owner's only)."""
    private_dir(target.parent)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    os.close(fd)
    try:
        shutil.copyfile(source, temp)
        os.chmod(temp, stat.S_IRUSR)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def thumbnail_bytes(image: Image.Image, size: int) -> bytes:
    """A small JPEG for grids; transparency is shown on white."""
    image = image.copy()
    image.thumbnail((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0)
    if image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class PhotoStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        private_dir(root)

    def import_file(self, source: Path) -> StoredPhoto:
        """Copy `source` in (once per distinct content) after checking it decodes completely."""
        info = decode.probe(source)
        file_hash = file_sha256(source)
        target = self._original_path(file_hash, info.extension)
        is_new = not target.exists()
        if is_new:
            # A full (draft) decode catches truncated files that the header alone hides; the
            # thumbnail comes from the same decode for free.
            image = decode.load(source, min_long_side=THUMB_SIZE)
            write_atomically(self.thumbnail_path(file_hash), thumbnail_bytes(image, THUMB_SIZE))
            copy_read_only(source, target)
        return StoredPhoto(
            file_hash, source.name, info.width, info.height, info.format, target, is_new
        )

    def contains(self, file_hash: str) -> bool:
        return any((self.root / "originals" / file_hash[:2]).glob(f"{file_hash}.*"))

    def original(self, file_hash: str) -> Path:
        matches = sorted((self.root / "originals" / file_hash[:2]).glob(f"{file_hash}.*"))
        if not matches:
            raise PhotoError(f"photo {file_hash[:12]} is not in the photo store")
        return matches[0]

    def thumbnail(self, file_hash: str) -> Path:
        """The grid thumbnail, made again from the original if the cache was cleared."""
        path = self.thumbnail_path(file_hash)
        if not path.exists():
            image = decode.load(self.original(file_hash), min_long_side=THUMB_SIZE)
            write_atomically(path, thumbnail_bytes(image, THUMB_SIZE))
        return path

    def thumbnail_path(self, file_hash: str) -> Path:
        return self.derived_path(file_hash, f"thumb-{THUMB_SIZE}", ".jpg")

    def derived_path(self, file_hash: str, key: str, extension: str) -> Path:
        return self.root / "derived" / file_hash[:2] / file_hash / f"{key}{extension}"

    def mask_path(self, file_hash: str, remover_id: str) -> Path:
        return self.root / "masks" / file_hash[:2] / f"{file_hash}.{remover_id}.png"

    def _original_path(self, file_hash: str, extension: str) -> Path:
        return self.root / "originals" / file_hash[:2] / f"{file_hash}{extension}"
