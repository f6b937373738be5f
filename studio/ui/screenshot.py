"""`studio screenshot`: the main window with the current data, rendered offscreen to a PNG."""

import os
from pathlib import Path

from studio.storage.database import open_database

READY_TIMEOUT_MS = 20_000
SETTLE_ROUNDS = 10


def take_screenshot(
    data_dir: Path,
    out: Path,
    section: str,
    size: tuple[int, int],
    edit_sku: str | None = None,
    tab: int = 0,
) -> None:
    """The window on a section, or with `edit_sku` the item editor open on that item."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from studio.ui.app import application, build_services
    from studio.ui.main_window import MainWindow

    app = application()
    database = open_database(data_dir)
    services = build_services(data_dir, database, background=False)
    window = MainWindow(services)
    if section not in window.sections:
        raise SystemExit(f"No section {section!r}; pick one of {', '.join(window.sections)}")
    window.show_section(section)
    window.resize(*size)
    window.show()
    loop = QEventLoop()
    window.ready.connect(loop.quit)
    QTimer.singleShot(READY_TIMEOUT_MS, loop.quit)
    loop.exec()
    # Painting asks for the rows shown, and those rows for their thumbnails, all read off the
    # UI thread: paint, let what was asked for arrive, and again until nothing more is asked.
    for _ in range(SETTLE_ROUNDS):
        window.grab()
        app.processEvents()
        if not services.runner.active:
            break
        services.runner.wait_all()
        app.processEvents()
    shown = window if edit_sku is None else _editor_on(window, services, edit_sku, tab, loop)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not shown.grab().save(str(out)):
        raise SystemExit(f"Could not write {out}; check that its folder is writable.")
    window.close()
    database.close()


def _editor_on(window, services, sku: str, tab: int, loop):
    """Finds the item by its SKU, opens its editor on `tab` and waits until it is shown."""
    from sqlmodel import select

    from studio.inventory.tables import Item

    inventory, found = window.inventory, []
    services.runner.query(
        "Finding the item",
        lambda session: session.exec(select(Item.id).where(Item.sku == sku.upper())).first(),
        on_done=found.append,
    )
    _wait(loop, lambda: bool(found))
    if not found or found[0] is None:
        raise SystemExit(f"No item with SKU {sku}.")
    inventory.search.setText(sku)
    _wait(loop, lambda: inventory.model.row_of(found[0]) is not None)
    inventory.select_items([found[0]])
    inventory.edit_item()
    _wait(loop, lambda: inventory.editor is not None)
    if inventory.editor is None:
        raise SystemExit(f"The editor did not open on {sku}.")
    inventory.editor.tabs.setCurrentIndex(tab)
    _wait(loop, lambda: False, 500)  # let it paint
    return inventory.editor


def _wait(loop, done, timeout_ms: int = READY_TIMEOUT_MS) -> None:
    from PySide6.QtCore import QTimer

    waited = 0
    while not done() and waited < timeout_ms:
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 50
