"""Group photos shot in sequence into draft items by the gaps in their capture times."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from studio.imaging import decode  # noqa: F401  (registers the HEIC opener)

DEFAULT_GAP = timedelta(minutes=2)
_EXIF_IFD = 0x8769
_DATE_TIME_ORIGINAL = 0x9003
_DATE_TIME = 0x0132
_EXIF_DATE = "%Y:%m:%d %H:%M:%S"


@dataclass(frozen=True)
class Shot:
    path: Path
    taken: datetime  # camera-local time, naive, as cameras write it
    from_exif: bool  # False: the file's modification time stood in


def capture_time(path: Path) -> Shot:
    """When the photo was taken: EXIF DateTimeOriginal, else DateTime, else the file time."""
    try:
        with Image.open(path) as image:
            exif = image.getexif()
            stamp = exif.get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL) or exif.get(_DATE_TIME)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        stamp = None
    if isinstance(stamp, str):
        try:
            return Shot(path, datetime.strptime(stamp.strip("\x00 "), _EXIF_DATE), True)
        except ValueError:
            pass  # "0000:00:00 00:00:00" and other placeholders: use the file time
    # Local time, like EXIF, so the two kinds of time can be compared in one folder.
    return Shot(path, datetime.fromtimestamp(path.stat().st_mtime), False)


def group_by_gaps(shots: Iterable[Shot], gap: timedelta = DEFAULT_GAP) -> list[list[Shot]]:
    """Sort by time and start a new group wherever two neighbours are more than `gap` apart."""
    groups: list[list[Shot]] = []
    for shot in sorted(shots, key=lambda s: (s.taken, s.path.name)):
        if groups and shot.taken - groups[-1][-1].taken <= gap:
            groups[-1].append(shot)
        else:
            groups.append([shot])
    return groups


def group_photos(paths: Sequence[Path], gap: timedelta = DEFAULT_GAP) -> list[list[Shot]]:
    return group_by_gaps((capture_time(p) for p in paths), gap)
