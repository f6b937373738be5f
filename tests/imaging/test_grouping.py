"""Auto-grouping photos into draft items by gaps in capture time."""

import os
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image

from studio.imaging.grouping import Shot, capture_time, group_by_gaps, group_photos


def _shot(name: str, minute: float) -> Shot:
    return Shot(Path(name), datetime(2026, 5, 1, 10, 0) + timedelta(minutes=minute), True)


def test_gaps_split_groups_and_the_gap_is_adjustable() -> None:
    shots = [_shot("c", 1.5), _shot("a", 0), _shot("b", 0.5), _shot("d", 9), _shot("e", 9.2)]
    groups = group_by_gaps(shots, timedelta(minutes=2))
    assert [[s.path.name for s in g] for g in groups] == [["a", "b", "c"], ["d", "e"]]
    assert len(group_by_gaps(shots, timedelta(seconds=40))) == 3
    assert len(group_by_gaps(shots, timedelta(minutes=10))) == 1
    assert group_by_gaps([]) == []


def test_exif_time_wins_and_file_time_stands_in(tmp_path: Path) -> None:
    def photo(name: str, taken: str | None, mtime: datetime) -> Path:
        exif = Image.Exif()
        if taken:
            exif.get_ifd(0x8769)[0x9003] = taken
        path = tmp_path / name
        Image.new("RGB", (8, 8)).save(path, exif=exif)
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))
        return path

    later = datetime(2026, 5, 1, 18, 0)
    paths = [
        photo("1.jpg", "2026:05:01 10:00:00", later),
        photo("2.jpg", "2026:05:01 10:00:40", later),
        photo("3.jpg", None, datetime(2026, 5, 1, 10, 1, 10)),
        photo("4.jpg", "2026:05:01 10:30:00", later),
    ]
    assert capture_time(paths[0]).from_exif and not capture_time(paths[2]).from_exif
    groups = group_photos(paths, timedelta(minutes=1))
    assert [[s.path.name for s in g] for g in groups] == [["1.jpg", "2.jpg", "3.jpg"], ["4.jpg"]]
