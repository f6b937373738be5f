"""What every screen is handed: built once in app.py, passed in, never reached globally."""

from dataclasses import dataclass
from pathlib import Path

from apscheduler.schedulers.base import BaseScheduler
from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack

from studio.storage.credentials import CredentialStore
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
    credentials: CredentialStore  # marketplace tokens: the one store this process builds
    scheduler: BaseScheduler  # started by the bootstrap; every job is installed there
    undo_stack: QUndoStack
    settings: QSettings
    thumbnails: ThumbnailCache
