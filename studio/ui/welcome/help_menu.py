"""The Help menu: the welcome (shown by itself on a data dir's first start) and About."""

import subprocess
import sys

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMainWindow
from sqlmodel import Session

from studio.logs import log_file
from studio.printing import settings as print_settings
from studio.ui.view_settings import WELCOME_SEEN
from studio.ui.welcome.about import AboutDialog
from studio.ui.welcome.dialog import ShopDetails, WelcomeActions, WelcomeDialog
from studio.ui.welcome.model_panel import ModelPanel


def demo_command() -> list[str]:
    # A frozen bundle is its own interpreter: its executable takes the studio's arguments.
    if getattr(sys, "frozen", False):
        return [sys.executable, "--demo"]
    return [sys.executable, "-m", "studio", "--demo"]


class HelpMenu(QObject):
    """Builds Help in `window`'s menu bar. `window` is the MainWindow: the welcome's steps
    lead to its Marketplace and Orders sections."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.services = window.services
        self.welcome: WelcomeDialog | None = None
        self.about: AboutDialog | None = None
        menu = window.menuBar().addMenu("&Help")
        self.welcome_action = QAction("Welcome…", self)
        self.welcome_action.triggered.connect(self.show_welcome)
        self.about_action = QAction("About Seller Studio", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        menu.addAction(self.welcome_action)
        menu.addAction(self.about_action)

    def offer_welcome(self) -> None:
        """Shows the welcome unless this data dir has seen it (finished or skipped) before."""
        if not WELCOME_SEEN.read(self.services.settings):
            self.show_welcome()

    def show_welcome(self) -> None:
        """Reads the shop's details (the welcome asks for them), then shows it."""
        if self.welcome is not None:
            self._present(self.welcome)
            return

        def read(session: Session) -> ShopDetails:
            shop = print_settings.shop_profile(session)
            return ShopDetails(shop.shop_name, shop.signature, shop.closet_url)

        def show(shop: ShopDetails) -> None:
            if self.welcome is None:
                panel = ModelPanel(self.services.runner)
                self.welcome = WelcomeDialog(
                    self.services.data_dir, panel, self._actions(), self.window, shop
                )
                self.welcome.finished.connect(self._seen)
            self._present(self.welcome)

        self.services.runner.query("Opening the welcome", read, on_done=show)

    @staticmethod
    def _present(welcome: WelcomeDialog) -> None:
        welcome.show()
        welcome.raise_()
        welcome.activateWindow()

    def _save_shop(self, details: ShopDetails) -> None:
        def change(session: Session) -> None:
            shop = print_settings.shop_profile(session)
            shop.shop_name, shop.signature = details.shop_name, details.signature
            shop.closet_url = details.closet_url
            print_settings.save_shop_profile(session, shop)

        self.services.runner.write("Saving the shop's details", change)

    def show_about(self) -> None:
        data_dir = self.services.data_dir
        self.about = AboutDialog(data_dir, log_file(data_dir), self.window)
        self.about.open()

    def _seen(self) -> None:
        WELCOME_SEEN.write(self.services.settings, True)
        self.services.settings.sync()

    def _actions(self) -> WelcomeActions:
        return WelcomeActions(
            open_data_folder=lambda: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(self.services.data_dir))
            ),
            connect_marketplace=lambda: self.window.show_section("marketplace"),
            open_demo=lambda: subprocess.Popen(demo_command(), start_new_session=True),
            set_up_printers=self._set_up_printers,
            save_shop=self._save_shop,
        )

    def _set_up_printers(self) -> None:
        self.window.show_section("orders")
        self.window.sections["orders"].edit_printers()
