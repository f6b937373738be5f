"""The first run: the welcome on a new data dir, skipping it, Help to reopen it, About."""

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from studio import __version__
from studio.imaging.model_catalog import InstalledModel
from studio.imaging.model_install import InstallCancelled
from studio.logs import log_file
from studio.printing import settings as print_settings
from studio.ui.app import build_services
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskRunner
from studio.ui.welcome.model_panel import ModelPanel


@pytest.fixture(autouse=True)
def empty_models_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "models"
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(folder))
    return folder


def shown_text(widget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel))


def help_action(window: MainWindow, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    return next(a for a in menu.actions() if a.text() == text)


def test_a_new_data_dir_is_welcomed_once_and_skipping_is_remembered(
    qtbot, window, database, data_dir
) -> None:
    window.help.offer_welcome()
    qtbot.waitUntil(lambda: window.help.welcome is not None)  # once the shop is read
    welcome = window.help.welcome
    assert welcome.isVisible()
    assert str(data_dir) in shown_text(welcome)
    assert "works" in shown_text(welcome.model_panel)  # what works without the model

    qtbot.mouseClick(welcome.skip_button, Qt.MouseButton.LeftButton)
    assert not welcome.isVisible()

    # The next start of the same data dir goes straight to work...
    again = MainWindow(build_services(data_dir, database, background=False))
    qtbot.addWidget(again)
    again.help.offer_welcome()
    assert again.help.welcome is None
    # ...and Help > Welcome brings it back.
    help_action(again, "Welcome…").trigger()
    qtbot.waitUntil(lambda: again.help.welcome is not None and again.help.welcome.isVisible())
    again.help.welcome.reject()


def test_the_welcome_asks_for_the_shop_details_slips_and_cards_print(
    qtbot, window, database
) -> None:
    window.help.show_welcome()
    qtbot.waitUntil(lambda: window.help.welcome is not None)
    welcome = window.help.welcome
    qtbot.keyClicks(welcome.shop_name, "Second Rack Vintage")
    qtbot.keyClicks(welcome.signature, "Maya")
    qtbot.keyClicks(welcome.closet_url, "https://closet.example/secondrack")
    qtbot.keyClick(welcome.closet_url, Qt.Key.Key_Return)  # Enter: "Start using", not Skip
    assert not welcome.isVisible() and welcome.result() == welcome.DialogCode.Accepted

    def stored() -> tuple[str, str, str]:
        with database.session() as session:
            shop = print_settings.shop_profile(session)
            return shop.shop_name, shop.signature, shop.closet_url

    expected = ("Second Rack Vintage", "Maya", "https://closet.example/secondrack")
    qtbot.waitUntil(lambda: stored() == expected, timeout=10_000)


def test_about_shows_the_version_data_dir_and_log_file(window, data_dir) -> None:
    help_action(window, "About Seller Studio").trigger()
    about = window.help.about
    assert about is not None and about.isVisible()
    text = about.details.text()
    assert __version__ in text
    assert str(data_dir) in text
    assert str(log_file(data_dir)) in text
    about.reject()


def test_set_up_printers_leads_to_the_printer_profiles(qtbot, window) -> None:
    window.help.show_welcome()
    qtbot.waitUntil(lambda: window.help.welcome is not None)
    welcome = window.help.welcome
    button = next(
        b for b in welcome.findChildren(type(welcome.skip_button)) if "printers" in b.text()
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    orders = window.sections["orders"]
    assert window.stack.currentWidget() is orders
    # The dialog with "Print calibration page" opens once the profiles are read.
    qtbot.waitUntil(lambda: orders.printers is not None and orders.printers.isVisible())
    assert not welcome.isVisible()
    orders.printers.reject()


def test_installing_the_model_shows_progress_then_the_model(
    qtbot, tmp_path: Path, database
) -> None:
    model_file = tmp_path / "chunks.onnx"
    model_file.write_bytes(b"\0" * 2_000_000)
    steps_seen: list[tuple[int, int]] = []

    def fake_installer(name, report, progress, cancel) -> InstalledModel:
        """Stands in for the 136 MB download: reports as the npm build does."""
        report("fetching the package")
        progress(0, 0)
        for chunk in range(1, 4):
            progress(chunk, 3)
        return InstalledModel("imgly-isnet-medium", model_file, "dis_custom")

    runner = TaskRunner(database)
    panel = ModelPanel(runner, installer=fake_installer, find_model=lambda: None)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.install_button.isVisible()
    panel.bar.valueChanged.connect(lambda value: steps_seen.append((value, panel.bar.maximum())))

    qtbot.mouseClick(panel.install_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Installed: imgly-isnet-medium" in panel.status.text(), timeout=5000)
    assert (3, 3) in steps_seen
    assert not panel.bar.isVisible() and not panel.install_button.isVisible()


def test_a_failed_install_says_what_still_works_and_can_be_retried(qtbot, database) -> None:
    def offline_installer(name, report, progress, cancel) -> InstalledModel:
        raise OSError("name resolution failed")

    panel = ModelPanel(TaskRunner(database), installer=offline_installer, find_model=lambda: None)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.install_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.install_button.isEnabled(), timeout=5000)
    assert "name resolution failed" in panel.step.text()
    assert "plain" in panel.step.text()  # the fallback remover still works
    assert panel.install_button.text() == "Try again"


def test_the_install_can_be_cancelled_and_says_the_same_sizes_everywhere(qtbot, database) -> None:
    started = threading.Event()

    def slow_installer(name, report, progress, cancel) -> InstalledModel:
        """Stands in for a slow download that stops when cancelled, as the real one does."""
        started.set()
        cancel.wait(10)
        raise InstallCancelled("cancelled")

    panel = ModelPanel(TaskRunner(database), installer=slow_installer, find_model=lambda: None)
    qtbot.addWidget(panel)
    panel.resize(560, 200)
    panel.show()
    assert "136 MB download that leaves a 90 MB model" in panel.status.text()
    qtbot.mouseClick(panel.install_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set)
    assert panel.cancel_button.isVisible()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "nothing was installed" in panel.step.text(), timeout=5000)
    assert panel.install_button.isEnabled() and not panel.cancel_button.isVisible()
    # The whole text is shown: word-wrapped, within the panel's width.
    assert panel.status.wordWrap() and panel.status.width() <= panel.width()
