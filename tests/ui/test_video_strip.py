"""The video strip in the Photo Studio, driven like a seller would: a clip dropped on the
item, trimmed with the handles, a cover picked with its live frame, made in a worker."""

import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtMultimedia import QMediaPlayer
from sqlmodel import select
from video_frames import frame_numbers

from studio.video.recipe import VideoRecipe
from studio.video.sample_clip import has_mark_top_left, make_clip, read_frame_number
from studio.video.tables import Video, VideoState


@pytest.fixture
def strip(window, qtbot, add_item):
    window.show_section("photos")
    studio = window.sections["photos"]
    item = add_item(title="Linen dress")
    studio.show_items([item.id])
    strip = studio.video_strip
    qtbot.waitUntil(lambda: strip.item_id == item.id and strip.owners.count() >= 1)
    return strip


def drop(widget, paths: list[Path]) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)


def shown_picture(image: QImage) -> np.ndarray:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    return rows[:, : rgb.width() * 3].reshape(rgb.height(), rgb.width(), 3)


def stored_video(window) -> Video | None:
    with window.services.database.session() as session:
        return session.exec(select(Video)).first()


def made(window, muted: bool = False) -> bool:
    """One read: the video is made (with the sound left out, when `muted`)."""
    video = stored_video(window)
    if video is None or video.state != VideoState.READY:
        return False
    return VideoRecipe.from_json(video.recipe).mute or not muted


def test_drop_trim_pick_a_cover_and_make_the_video(strip, window, qtbot, tmp_path) -> None:
    clip = make_clip(tmp_path / "dress.mov", seconds=3.0, rotation=90)
    notes = tmp_path / "notes.mp4"
    notes.write_text("not a video")
    problems: list[str] = []
    strip.problem.connect(problems.append)
    drop(strip, [notes, clip])
    qtbot.waitUntil(lambda: made(window), timeout=30_000)
    assert problems and "notes.mp4" in problems[0] and "not a video file" in problems[0]
    qtbot.waitUntil(lambda: strip.trim.duration > 0 and "ready" in strip.status.text())
    assert strip.trim.duration == pytest.approx(3.0)

    # Drag the start handle to 1 s and the end handle to 2.5 s; click the track at 1.6 s
    # for the cover.
    bar = strip.trim
    middle = bar.height() // 2
    for which, seconds in (("start", 1.0), ("end", 2.5)):
        x = round(bar.x_of(getattr(bar, which)))
        qtbot.mousePress(bar, Qt.MouseButton.LeftButton, pos=QPoint(x, middle))
        target = QPoint(round(bar.x_of(seconds)), middle)
        with qtbot.waitSignal(strip.previewed, timeout=10_000):
            qtbot.mouseMove(bar, target)
        qtbot.mouseRelease(bar, Qt.MouseButton.LeftButton, pos=target)
    with qtbot.waitSignal(strip.previewed, timeout=10_000):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(round(bar.x_of(1.6)), middle))
    qtbot.waitUntil(lambda: not strip._preview_busy)
    tolerance = 3 * bar.duration / bar.width()  # a few pixels
    assert bar.start == pytest.approx(1.0, abs=tolerance)
    assert bar.end == pytest.approx(2.5, abs=tolerance)
    assert bar.cover == pytest.approx(1.6, abs=tolerance)
    assert "Keep 1." in strip.times.text()
    # The live preview shows the frame under the cover marker, upright.
    picture = shown_picture(strip.cover.pixmap().toImage())
    # the first frame at or after the marker's time (25 fps)
    assert read_frame_number(picture) == math.ceil(bar.cover * 25 - 1e-3)
    assert picture.shape[0] > picture.shape[1]  # portrait, as filmed
    assert has_mark_top_left(picture)  # and upright

    strip.mute.setChecked(True)
    strip.make_button.click()
    qtbot.waitUntil(
        lambda: made(window, muted=True),
        timeout=30_000,
    )
    video = stored_video(window)
    assert video is not None
    recipe = VideoRecipe.from_json(video.recipe)
    assert recipe.start == pytest.approx(bar.start) and recipe.cover == pytest.approx(bar.cover)
    numbers = frame_numbers(strip.store.encoded_path(video.file_hash, recipe))
    first = round(recipe.start * 25 + 0.4999)
    assert numbers[0] == first and numbers == list(range(first, first + len(numbers)))
    qtbot.waitUntil(lambda: "ready" in strip.status.text())

    # Playback of the made video (QtMultimedia's FFmpeg backend plays offscreen here).
    strip.play_button.click()
    qtbot.waitUntil(
        lambda: (
            strip.player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia
            or strip.player.position() > 0
        ),
        timeout=10_000,
    )


def test_meet_the_seller_is_offered_for_each_account(strip, window, qtbot) -> None:
    from studio.sync.tables import MarketplaceAccount

    with window.services.database.transaction() as session:
        session.add(MarketplaceAccount(name="thrift-hub", base_url="http://127.0.0.1:9"))
    strip.reload()
    qtbot.waitUntil(lambda: strip.owners.count() == 2)
    assert strip.owners.itemText(1) == "Meet the seller on thrift-hub"
    strip.owners.setCurrentIndex(1)
    strip.owners.activated.emit(1)
    qtbot.waitUntil(lambda: strip.owner is not None and strip.owner.account == "thrift-hub")
    assert "No video yet" in strip.status.text()
