"""The main window: a sidebar of sections, menus, and a status bar with counts and progress."""

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
from studio.ui.insights.section import InsightsSection
from studio.ui.inventory.section import InventorySection
from studio.ui.likes_offers.section import LikesOffersSection
from studio.ui.marketplace.controller import SyncController
from studio.ui.marketplace.indicator import AttentionIndicator, SyncIndicator
from studio.ui.marketplace.section import MarketplaceSection
from studio.ui.messages.section import MessagesSection
from studio.ui.orders.section import OrdersSection
from studio.ui.photos.section import PhotoStudioSection
from studio.ui.price_drops.section import PriceDropsSection
from studio.ui.progress import ProgressPanel
from studio.ui.services import Services
from studio.ui.shows.section import ShowsSection
from studio.ui.tasks import TaskContext
from studio.ui.view_settings import WINDOW_GEOMETRY
from studio.ui.welcome.help_menu import HelpMenu

SIDEBAR_STYLE = """
QListWidget { background: #f4f5f7; border: none; font-size: 14px; padding-top: 8px;
              outline: none; }
QListWidget::item { padding: 10px 14px; border-radius: 6px; margin: 2px 8px; }
QListWidget::item:selected { background: #dfe7f5; color: #17305e; border: none; }
"""


class MainWindow(QMainWindow):
    ready = Signal()  # the first section has shown its data

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle(f"Seller Studio — {services.data_dir.name}")
        self.inventory = InventorySection(services)
        self.sync = SyncController(services, self)
        self.sections: dict[str, QWidget] = {
            "inventory": self.inventory,
            "photos": PhotoStudioSection(services, self.inventory.selected_ids),
            "orders": OrdersSection(services),
            "likes_offers": LikesOffersSection(services),
            "price_drops": PriceDropsSection(services, self.inventory.selected_ids),
            "shows": ShowsSection(services, self.inventory.selected_ids),
            "messages": MessagesSection(services),
            "insights": InsightsSection(services),
            "marketplace": MarketplaceSection(services, self.sync),
        }

        self.sidebar = QListWidget()
        self.sidebar.setStyleSheet(SIDEBAR_STYLE)
        self.sidebar.setFixedWidth(180)
        self.stack = QStackedWidget()
        for key, section in self.sections.items():
            item = QListWidgetItem(getattr(section, "title", key.title()))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
            self.stack.addWidget(section)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
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
