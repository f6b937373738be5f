"""The video strip under the Photo Studio: the item's listing video, or a "meet the seller"
video per account: drop or add a clip, play it, trim it, pick its cover, make it.

Reads and writes go through the task bridge; the encode runs in a worker process (the photo
batches' machinery) from a task with progress and Cancel; frames for the cover and trim
previews are decoded off the UI thread, the newest request winning. A quit stops an encode
but leaves the video waiting, and the next start makes it again.
"""

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.storage.changes import Changes
from studio.storage.paths import videos_dir
from studio.sync.video_ops import video_notes, video_owners
from studio.ui.photos.trim_bar import TrimBar
from studio.ui.services import Services
from studio.ui.tasks import TaskContext
from studio.video import library
from studio.video.errors import VideoError
from studio.video.frames import FrameReader
from studio.video.limits import describe_bytes, describe_seconds
from studio.video.probe import VIDEO_SUFFIXES
from studio.video.recipe import VideoRecipe
from studio.video.store import StoredVideo, VideoStore
from studio.video.tables import Owner, Video, VideoState

PREVIEW_SIDE = 160
FILE_FILTER = "Videos (" + " ".join(f"*{suffix}" for suffix in sorted(VIDEO_SUFFIXES)) + ")"
NO_VIDEO = "No video yet: drop a clip from the phone here, or use “Add video…”."
NO_OWNER = "Pick an item to give it a listing video."


@dataclass(frozen=True)
class Shown:
    owners: list[tuple[str, Owner]]
    video: Video | None
    notes: dict[str, str]


def is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_SUFFIXES


class VideoStrip(QFrame):
    message = Signal(str)
    problem = Signal(str)
    loaded = Signal()  # what is shown was read again
    previewed = Signal(float)  # the time whose frame the preview now shows

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.store = VideoStore(videos_dir(services.data_dir))
        self.item_id: int | None = None
        self.owner: Owner | None = None
        self.video: Video | None = None
        self.encoding: set[int] = set()
        self._quitting = threading.Event()
        self._tasks: list = []
        self._reader: FrameReader | None = None
        self._reader_hash = ""
        self._preview_busy = False
        self._preview_next: float | None = None
        self._edited_from: tuple[int | None, str] | None = None  # the video the edits are of
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._build()

    def _build(self) -> None:
        self.owners = QComboBox()
        self.owners.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.owners.setToolTip(
            "Whose video: this item's, or yours to introduce you on a marketplace"
        )
        self.add_button = QPushButton("Add video…")
        self.make_button = QPushButton("Make video")
        self.make_button.setToolTip("Trim, turn upright, scale and strip location: the upload")
        self.play_button = QPushButton("Play")
        self.status = QLabel(NO_OWNER)
        self.status.setWordWrap(True)
        self.trim = TrimBar()
        self.times = QLabel("")
        self.mute = QCheckBox("Mute")
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #5d4f55;")
        self.cover = QLabel("Cover")
        self.cover.setFixedSize(PREVIEW_SIDE * 9 // 16 + 8, PREVIEW_SIDE)
        self.cover.setStyleSheet("background: #1d1719; color: #bbb;")
        self.screen = QVideoWidget()
        self.screen.setToolTip("Play shows the listing video once it is made, else the clip")
        self.screen.setFixedSize(PREVIEW_SIDE * 9 // 16 + 8, PREVIEW_SIDE)
        self.player = QMediaPlayer(self)
        self.player.setVideoOutput(self.screen)

        top = QHBoxLayout()
        for widget in (self.owners, self.add_button, self.make_button, self.play_button):
            top.addWidget(widget)
        top.addWidget(self.status, 1)
        middle = QGridLayout()
        middle.addWidget(self.trim, 0, 0, 1, 2)
        middle.addWidget(self.times, 1, 0)
        middle.addWidget(self.mute, 1, 1)
        middle.addWidget(self.notes, 2, 0, 1, 2)
        editor = QHBoxLayout()
        editor.addWidget(self.screen)
        editor.addLayout(middle, 1)
        editor.addWidget(self.cover)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(editor)

        self.owners.activated.connect(lambda index: self.show_owner(self.owners.itemData(index)))
        self.add_button.clicked.connect(self.choose_file)
        self.make_button.clicked.connect(self.make_video)
        self.play_button.clicked.connect(self.toggle_play)
        self.trim.previewing.connect(self.preview_at)
        self.trim.changed.connect(lambda *_: self._edited())
        self.mute.toggled.connect(lambda _on: self._edited())
        self.services.hub.changed.connect(self._on_changes)
        self._set_editable(False)
        self.add_button.setEnabled(False)

    # What is shown
    def show_item(self, item_id: int | None) -> None:
        if item_id != self.item_id or self.owner is None:
            self.item_id = item_id
            self.owner = Owner(item_id=item_id) if item_id is not None else None
        self.reload()

    def show_owner(self, owner: Owner) -> None:
        self.owner = owner
        self.reload()

    def reload(self) -> None:
        item_id, owner = self.item_id, self.owner

        def read(session: Session) -> Shown:
            video = library.find(session, owner) if owner else None
            notes = video_notes(session, owner) if owner else {}
            return Shown(video_owners(session, item_id), video, notes)

        self.services.runner.query("Reading the video", read, self._loaded)

    def _loaded(self, shown: Shown) -> None:
        self.owners.clear()
        for label, owner in shown.owners:
            self.owners.addItem(label, owner)
            if owner == self.owner:
                self.owners.setCurrentIndex(self.owners.count() - 1)
        self.video = shown.video
        self.notes.setText(
            "  ·  ".join(f"{name}: {note}" for name, note in sorted(shown.notes.items()))
        )
        video = shown.video
        self.add_button.setEnabled(self.owner is not None)
        if video is None:
            self._set_editable(False)
            self.trim.set_clip(0, 0, 0, 0)
            self.player.setSource(QUrl())
            self.cover.clear()
            self.status.setText(NO_VIDEO if self.owner else NO_OWNER)
            self.loaded.emit()
            return
        recipe = VideoRecipe.from_json(video.recipe)
        duration = video.duration_ms / 1000
        start, end = recipe.span(duration)
        moved = self.trim.dragging or (video.id, video.recipe) == self._edited_from
        if not moved:  # else keep the handles the seller is moving, or moved
            self._edited_from = None
            self.trim.set_clip(duration, start, end, recipe.cover_time())
            self.mute.blockSignals(True)
            self.mute.setChecked(recipe.mute)
            self.mute.blockSignals(False)
        self._set_editable(True)
        self._show_times()
        self.status.setText(self._state_text(video, recipe))
        if self._edited_from is not None:
            self._edited()
        encoded = self.store.encoded_path(video.file_hash, recipe)
        source = encoded if video.state == VideoState.READY and encoded.exists() else None
        source = source or self.store.original(video.file_hash)
        url = QUrl.fromLocalFile(str(source))
        if self.player.source() != url:  # a reload must not stop what is playing
            self.player.setSource(url)
            self.play_button.setText("Play")
        self.preview_at(recipe.cover_time())
        self.loaded.emit()

    def _state_text(self, video: Video, recipe: VideoRecipe) -> str:
        if video.id in self.encoding:
            return f"{video.filename}: making the video…"
        if video.state == VideoState.READY:
            start, end = recipe.span(video.duration_ms / 1000)
            return (
                f"{video.filename}: ready, {describe_seconds(end - start)}, "
                f"{describe_bytes(video.encoded_bytes)}, upright, no location"
            )
        if video.state == VideoState.FAILED:
            return f"{video.filename}: {video.error}"
        return f"{video.filename}: waiting to be made (press “Make video”)"

    def _set_editable(self, on: bool) -> None:
        for widget in (self.trim, self.mute, self.make_button, self.play_button):
            widget.setEnabled(on)

    def _show_times(self) -> None:
        bar = self.trim
        self.times.setText(
            f"Keep {bar.start:.2f}–{bar.end:.2f} s ({describe_seconds(bar.end - bar.start)}) · "
            f"cover at {bar.cover:.2f} s"
        )

    def _on_changes(self, changes: Changes) -> None:
        if self.owner is not None and changes.touches(Video.__tablename__, "outbox"):
            self.reload()

    # Editing
    def recipe(self) -> VideoRecipe:
        bar = self.trim
        end = None if self.video and bar.end >= self.video.duration_ms / 1000 else bar.end
        return VideoRecipe(start=bar.start, end=end, cover=bar.cover, mute=self.mute.isChecked())

    def _edited(self) -> None:
        self._show_times()
        if self.video is not None and self.recipe().to_json() != self.video.recipe:
            self._edited_from = (self.video.id, self.video.recipe)
            self.status.setText(f"{self.video.filename}: changed; press “Make video” to make it")

    def make_video(self) -> None:
        """Save the trim, cover and mute, then encode."""
        video, recipe = self.video, self.recipe()
        if video is None or video.id is None:
            return
        video_id, self._edited_from = video.id, None

        def saved(saved_video: Video) -> None:
            if saved_video.state == VideoState.READY:
                self.message.emit("The listing video is already made with this trim and cover.")
            else:
                self.encode(video_id)

        self.services.runner.write(
            "Saving the video's trim",
            lambda session: library.set_recipe(session, video_id, recipe),
            saved,
            lambda error: self._problem(error),
        )

    def encode(self, video_id: int) -> None:
        db, store, quitting = self.services.database, self.store, self._quitting
        self.encoding.add(video_id)

        def work(context: TaskContext) -> library.EncodeOutcome:
            def progress(part: float) -> None:
                context.progress(round(part * 100), 100, "listing video")

            return library.encode_video(
                db, store, video_id, progress, context.cancel_event, quitting=quitting
            )

        task = self.services.runner.run(
            "Making the listing video",
            work,
            on_done=self._encoded,
            on_error=lambda error: self._problem(error),
            show_progress=True,
        )
        task.ended.connect(lambda: self.encoding.discard(video_id))
        self._tasks = [t for t in self._tasks if t.running] + [task]
        if self.video is not None and self.video.id == video_id:
            self.status.setText(f"{self.video.filename}: making the video…")

    def _encoded(self, outcome: library.EncodeOutcome) -> None:
        self.encoding.discard(outcome.video_id)
        if outcome.state is VideoState.READY:
            self.message.emit("The listing video is ready: upright, trimmed, without location.")
        elif not self._quitting.is_set():
            self.problem.emit(f"The video was not made: {outcome.error}")
        self.reload()

    # Bringing clips in
    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Add a video", str(Path.home()), FILE_FILTER
        )
        if path:
            self.add_files([Path(path)])

    def add_files(self, paths: list[Path]) -> None:
        """The first clip that makes a listing video becomes the video; the others are
        reported one by one."""
        owner, store = self.owner, self.store
        if owner is None:
            self.problem.emit("Pick an item first, then add its video.")
            return

        # Importing reads and hashes the clip (no database); the row is then one write.
        def work(_context: TaskContext) -> tuple[StoredVideo | None, list[str]]:
            errors = []
            for path in paths:
                try:
                    return store.import_file(path), errors
                except VideoError as error:
                    errors.append(f"{path.name} {error}")
                except OSError as error:
                    errors.append(f"{path.name}: cannot read the file ({error.strerror})")
            return None, errors

        def imported(result: tuple[StoredVideo | None, list[str]]) -> None:
            stored, errors = result
            if errors:
                self.problem.emit("Not used: " + "; ".join(errors))
            if stored is None:
                return
            first = library.first_recipe(stored.info.duration)
            self.services.runner.write(
                "Adding the video",
                lambda session: library.attach(session, owner, stored, first).id,
                attached,
                self._problem,
            )

        def attached(video_id: int | None) -> None:
            if video_id is not None:
                self.encode(video_id)
                self.reload()

        self.services.runner.run(
            "Reading the video",
            work,
            imported,
            lambda error: self._problem(error),
            show_progress=True,
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if any(is_video(Path(url.toLocalFile())) for url in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls()]
        videos = [path for path in paths if is_video(path)]
        if videos:
            self.add_files(videos)
            event.acceptProposedAction()

    # Watching
    def toggle_play(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
            self.play_button.setText("Play")
        else:
            self.player.play()
            self.play_button.setText("Pause")

    def preview_at(self, seconds: float) -> None:
        """Show the frame at `seconds`; while one decodes, only the newest request waits."""
        self._show_times()
        if self.video is None:
            return
        if self._preview_busy:
            self._preview_next = seconds
            return
        self._preview_busy = True
        original = self.store.original(self.video.file_hash)
        file_hash = self.video.file_hash
        if self._reader_hash != file_hash:
            if self._reader is not None:
                self._reader.close()
            self._reader, self._reader_hash = None, file_hash

        def work(_context: TaskContext) -> tuple[float, QImage]:
            if self._reader is None:
                self._reader = FrameReader(original)
            picture = self._reader.frame(seconds, PREVIEW_SIDE).convert("RGB")
            data = picture.tobytes()
            image = QImage(
                data, picture.width, picture.height, 3 * picture.width, QImage.Format.Format_RGB888
            )
            return seconds, image.copy()

        self.services.runner.run(
            "Showing a frame", work, self._previewed, lambda error: self._preview_failed(error)
        )

    def _previewed(self, result: tuple[float, QImage]) -> None:
        seconds, image = result
        self.cover.setPixmap(QPixmap.fromImage(image))
        self.previewed.emit(seconds)
        self._preview_done()

    def _preview_failed(self, error: BaseException) -> None:
        self.cover.setText(f"No frame: {error}")
        self._preview_done()

    def _preview_done(self) -> None:
        self._preview_busy = False
        waiting, self._preview_next = self._preview_next, None
        if waiting is not None:
            self.preview_at(waiting)

    # Starting and stopping
    def resume_waiting(self) -> None:
        """Videos a quit left half made are made again now."""
        self.services.runner.query(
            "Looking for unfinished videos",
            library.waiting_videos,
            lambda videos: [self.encode(v.id) for v in videos if v.id is not None],
        )

    def stop_for_quit(self) -> None:
        self._quitting.set()
        for task in self._tasks:
            task.cancel()

    def _problem(self, error: BaseException) -> None:
        self.problem.emit(str(error))
