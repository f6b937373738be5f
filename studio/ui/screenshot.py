"""`studio screenshot`: the main window with the current data, rendered offscreen to a PNG."""

import os
from pathlib import Path

from studio.storage.database import open_database

READY_TIMEOUT_MS = 20_000


def take_screenshot(data_dir: Path, out: Path, section: str, size: tuple[int, int]) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from studio.ui.app import application, build_services
    from studio.ui.main_window import MainWindow

    app = application()
    database = open_database(data_dir)
    services = build_services(data_dir, database)
    window = MainWindow(services, background_sync=False)
    if section not in window.sections:
        raise SystemExit(f"No section {section!r}; pick one of {', '.join(window.sections)}")
    window.show_section(section)
    window.resize(*size)
    window.show()
    loop = QEventLoop()
    window.ready.connect(loop.quit)
    QTimer.singleShot(READY_TIMEOUT_MS, loop.quit)
    loop.exec()
    # Let the thumbnails that the first rows asked for arrive and paint.
    services.runner.wait_all()
    for _ in range(5):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise SystemExit(f"Could not write {out}; check that its folder is writable.")
    window.close()
    database.close()
