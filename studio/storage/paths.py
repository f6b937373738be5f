"""Where the studio keeps its files: one data dir per inventory, one models dir per user."""

import contextlib
import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "seller-studio"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data dir: `--data-dir`, else STUDIO_DATA_DIR, else the platform's user data dir."""
    chosen = override or os.environ.get("STUDIO_DATA_DIR")
    path = Path(chosen).expanduser() if chosen else platformdirs.user_data_path(APP_NAME)
    return private_dir(path).resolve()


def models_dir() -> Path:
    """Background-removal models are shared by every data dir of the user (they are large)."""
    chosen = os.environ.get("STUDIO_MODELS_DIR")
    path = Path(chosen) if chosen else platformdirs.user_data_path(APP_NAME) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def database_file(directory: Path) -> Path:
    return directory / "studio.sqlite3"


def backups_dir(directory: Path) -> Path:
    return directory / "backups"


def photos_dir(directory: Path) -> Path:
    return directory / "photos"


def videos_dir(directory: Path) -> Path:
    return directory / "videos"


# The inventory holds buyers' names and addresses and the seller's business: on a shared
# computer other accounts must not read it. (On Windows a user's profile is private already
# and these modes mean little; os.chmod only sets the read-only flag there.)
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Makes the folder (and missing parents) readable by its owner only. A folder that
    exists already keeps its mode: the seller may have chosen to share it."""
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(20, "a file is there, not a folder", str(path))
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    # One level at a time: mkdir(parents=True) would give the parents the default mode.
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """Creates the file empty, readable and writable by its owner only; an existing file
    loses any access by others (its contents are the seller's business alone)."""
    fd = os.open(path, os.O_RDONLY | os.O_CREAT, PRIVATE_FILE)
    os.close(fd)
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        # A file system without POSIX modes (a FAT stick) refuses; the file is usable still.
        with contextlib.suppress(OSError):
            path.chmod(PRIVATE_FILE)
    return path
