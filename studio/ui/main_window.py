"""The main window: a sidebar of sections, menus, and a status bar with counts and progress.

Only the Inventory is built at start; every other section (and the modules it imports:
charts, printing, photo processing) is built the first time it is shown or asked for.
"""

import importlib
from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from studio.jobs.scheduler import stop_jobs
from studio.storage import backup
from studio.ui.inventory.section import InventorySection
from studio.ui.marketplace.controller import SyncController
from studio.ui.marketplace.indicator import AttentionIndicator, SyncIndicator
from studio.ui.progress import ProgressPanel
from studio.ui.services import Services
from studio.ui.tasks import TaskContext
from studio.ui.view_settings import WINDOW_GEOMETRY
from studio.ui.welcome.help_menu import HelpMenu

SIDEBAR_STYLE = """
QListWidget { background: #f4f5f7; border: none; font-size: 14px; padding-top: 8px;
              outline: none; }
QListWidget::item { padding: 10px 14px; border-radius: 6px; margin: 2px 8px; }
QListWidget::item:selected { background: #dfe7f5; color: #17305e; border: none; }
"""

# key, sidebar title, "module:Class" of the section, and what its constructor takes beyond
# the services: the Inventory's selection ("selection") or the sync controller ("sync").
SECTIONS = (
    ("inventory", "Inventory", "", ""),
    ("photos", "Photo Studio", "studio.ui.photos.section:PhotoStudioSection", "selection"),
    ("orders", "Orders", "studio.ui.orders.section:OrdersSection", ""),
    ("likes_offers", "Likes & Offers", "studio.ui.likes_offers.section:LikesOffersSection", ""),
    ("price_drops", "Price Drops", "studio.ui.price_drops.section:PriceDropsSection", "selection"),
    ("shows", "Shows", "studio.ui.shows.section:ShowsSection", "selection"),
    ("messages", "Messages", "studio.ui.messages.section:MessagesSection", ""),
    ("insights", "Insights", "studio.ui.insights.section:InsightsSection", ""),
    ("marketplace", "Marketplace", "studio.ui.marketplace.section:MarketplaceSection", "sync"),
)


class Sections(Mapping[str, QWidget]):
    """The window's sections by key, each built (and its module imported) when first asked
    for; until then the stack holds an empty page in its place."""

    def __init__(self, window: "MainWindow", stack: QStackedWidget) -> None:
        self._window = window
        self._stack = stack
        self._built: dict[str, QWidget] = {"inventory": window.inventory}
        for key, _title, _where, _extra in SECTIONS:
            stack.addWidget(window.inventory if key == "inventory" else QWidget())

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._built:
            if key not in self.keys_in_order():
                raise KeyError(key)
            index = self.keys_in_order().index(key)
            self._built[key] = section = self._build(*SECTIONS[index][2:])
            placeholder = self._stack.widget(index)
            current = self._stack.currentIndex()
            self._stack.insertWidget(index, section)
            self._stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self._stack.setCurrentIndex(current)
        return self._built[key]

    def _build(self, where: str, extra: str) -> QWidget:
        module, name = where.split(":")
        section: Callable[..., QWidget] = getattr(importlib.import_module(module), name)
        window = self._window
        if extra == "selection":
            return section(window.services, window.inventory.selected_ids)
        if extra == "sync":
            return section(window.services, window.sync)
        return section(window.services)

    @staticmethod
    def keys_in_order() -> list[str]:
        return [key for key, *_rest in SECTIONS]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_in_order())

    def __len__(self) -> int:
        return len(SECTIONS)


class MainWindow(QMainWindow):
    ready = Signal()  # the first section has shown its data

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle(f"Seller Studio — {services.data_dir.name}")
        self.inventory = InventorySection(services)
        self.sync = SyncController(services, self)
        self.stack = QStackedWidget()
        self.sections = Sections(self, self.stack)

        self.sidebar = QListWidget()
        self.sidebar.setStyleSheet(SIDEBAR_STYLE)
        self.sidebar.setFixedWidth(180)
        for key, title, _where, _extra in SECTIONS:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._show_row)
        self.sidebar.setCurrentRow(0)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.counts = QLabel()
        self.progress = ProgressPanel()
        self.statusBar().addWidget(self.counts, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.attention = AttentionIndicator(self.sync)
        self.attention.go_to.connect(self.show_section)
        self.statusBar().addPermanentWidget(self.attention)
        self.statusBar().addPermanentWidget(SyncIndicator(self.sync))
        self.inventory.counts_changed.connect(self.counts.setText)
        self.inventory.data_shown.connect(self.ready)
        services.runner.task_started.connect(self.progress.follow)
        services.runner.error_handler = self._background_error
        self._build_menus()
        self._restore_geometry()

    def show_demo_note(self, market_url: str) -> None:
        note = QLabel(f"Demo mode: a local marketplace at {market_url} with simulated buyers")
        note.setStyleSheet("color: #6b46c1;")
        self.statusBar().addPermanentWidget(note)
        self.setWindowTitle(f"{self.windowTitle()} (demo)")

    def show_section(self, key: str) -> None:
        self.sidebar.setCurrentRow(list(self.sections).index(key))

    def _show_row(self, row: int) -> None:
        self.sections[SECTIONS[row][0]]  # built on its first showing
        self.stack.setCurrentIndex(row)

    def _build_menus(self) -> None:
        actions = self.inventory.actions_by_name
        menu = self.menuBar().addMenu("&File")
        menu.addAction(actions["import"])
        menu.addAction(actions["export"])
        menu.addSeparator()
        backup_action = QAction("Back up now", self)
        backup_action.triggered.connect(self.backup_now)
        menu.addAction(backup_action)
        menu.addSeparator()
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

        edit = self.menuBar().addMenu("&Edit")
        undo = self.services.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.services.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        edit.addAction(actions["find"])

        items = self.menuBar().addMenu("&Items")
        for name in ("new", "edit", "duplicate", "bulk_edit", "archive", "delete", "publish"):
            items.addAction(actions[name])
        items.addSeparator()
        items.addAction(actions["prefixes"])

        self.help = HelpMenu(self)

    def backup_now(self) -> None:
        database, directory = self.services.database, self.services.data_dir

        def work(_context: TaskContext) -> str:
            return backup.create_backup(database.engine, directory).name

        self.services.runner.run(
            "Backing up",
            work,
            on_done=lambda name: self.inventory.banner.show_info(f"Backed up as {name}."),
            writes=True,
            show_progress=True,
        )

    def _background_error(self, label: str, error: BaseException) -> None:
        self.inventory.banner.show_error(f"{label} failed: {error}")

    def _restore_geometry(self) -> None:
        geometry = WINDOW_GEOMETRY.read(self.services.settings)
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(QSize(1400, 860))

    def closeEvent(self, event: QCloseEvent) -> None:
        WINDOW_GEOMETRY.write(self.services.settings, self.saveGeometry().data())
        self.inventory.save_view_settings()
        self.services.settings.sync()
        stop_jobs(self.services.scheduler, self.services.database)
        self.services.runner.close()
        super().closeEvent(event)
