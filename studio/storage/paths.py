"""Where the studio keeps its files: one data dir per inventory, one models dir per user."""

import os
from pathlib import Path

import platformdirs

APP_NAME = "seller-studio"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data dir: `--data-dir`, else STUDIO_DATA_DIR, else the platform's user data dir."""
    chosen = override or os.environ.get("STUDIO_DATA_DIR")
    path = Path(chosen).expanduser() if chosen else platformdirs.user_data_path(APP_NAME)
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


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
