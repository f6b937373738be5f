"""Renders resources/icons/seller-studio.svg into the PNG sizes Linux wants, a Windows .ico
and a macOS .icns. Run after changing the SVG: `.venv/bin/python installer/make_icons.py`."""

import io
import os
from pathlib import Path

from PIL import Image

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SOURCE = ICONS / "seller-studio.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication([])
    images = {}
    for size in PNG_SIZES:
        png = render_png(size)
        (ICONS / f"seller-studio-{size}.png").write_bytes(png)
        images[size] = Image.open(io.BytesIO(png))
    images[256].save(
        ICONS / "seller-studio.ico",
        sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)],
        append_images=[images[s] for s in (16, 24, 32, 48, 64, 128)],
    )
    images[512].save(ICONS / "seller-studio.icns", append_images=[images[256], images[128]])


if __name__ == "__main__":
    main()
