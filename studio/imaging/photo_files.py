"""Which files on disk are photos the studio can take in."""

from collections.abc import Iterable
from pathlib import Path

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif"}


def collect_photos(inputs: Iterable[Path]) -> list[Path]:
    """Files as given, and the photo files directly inside each folder, in name order."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file()
                    and p.suffix.lower() in PHOTO_SUFFIXES
                    and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    return found
