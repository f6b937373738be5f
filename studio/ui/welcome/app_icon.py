"""The app's icon, drawn in resources/icons/ (installer/make_icons.py renders its sizes)."""

from pathlib import Path

from PySide6.QtGui import QIcon

ICONS_DIR = Path(__file__).resolve().parents[3] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_file(size: int) -> Path:
    return ICONS_DIR / f"seller-studio-{size}.png"


def app_icon() -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addFile(str(icon_file(size)))
    return icon
