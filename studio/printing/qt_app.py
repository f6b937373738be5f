"""The QGuiApplication that fonts and painting need, for scripts that have no window."""

import os

from PySide6.QtGui import QGuiApplication

from studio.printing.fonts import register_bundled_fonts


def ensure_gui_application() -> QGuiApplication:
    app = QGuiApplication.instance()
    if app is None:
        # A script prints without a screen; CUPS printing works the same offscreen.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["studio"])
    register_bundled_fonts()
    return app
