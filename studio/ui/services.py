"""What every screen is handed: built once in app.py, passed in, never reached globally."""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack

from studio.storage.database import Database
from studio.ui.hub import ChangeHub
from studio.ui.tasks import TaskRunner
from studio.ui.thumbnails import ThumbnailCache


@dataclass
class Services:
    data_dir: Path
    database: Database
    runner: TaskRunner
    hub: ChangeHub
    undo_stack: QUndoStack
    settings: QSettings
    thumbnails: ThumbnailCache
