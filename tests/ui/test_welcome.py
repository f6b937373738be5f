"""The first run: the welcome on a new data dir, skipping it, Help to reopen it, About."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from studio import __version__
from studio.imaging.model_catalog import InstalledModel
from studio.logs import log_file
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
    welcome = window.help.welcome
    assert welcome is not None and welcome.isVisible()
    assert str(data_dir) in shown_text(welcome)
    assert "works" in shown_text(welcome.model_panel)  # what works without the model

    qtbot.mouseClick(welcome.skip_button, Qt.MouseButton.LeftButton)
    assert not welcome.isVisible()

    # The next start of the same data dir goes straight to work...
    again = MainWindow(build_services(data_dir, database), background_sync=False)
    qtbot.addWidget(again)
    again.help.offer_welcome()
    assert again.help.welcome is None
    # ...and Help > Welcome brings it back.
    help_action(again, "Welcome…").trigger()
    assert again.help.welcome is not None and again.help.welcome.isVisible()
    again.help.welcome.reject()


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
    welcome = window.help.welcome
    button = next(
        b for b in welcome.findChildren(type(welcome.skip_button)) if "printers" in b.text()
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    orders = window.sections["orders"]
    assert window.stack.currentWidget() is orders
    assert orders.printers.isVisible()  # the dialog with "Print calibration page"
    assert not welcome.isVisible()
    orders.printers.reject()


def test_installing_the_model_shows_progress_then_the_model(qtbot, tmp_path: Path) -> None:
    model_file = tmp_path / "chunks.onnx"
    model_file.write_bytes(b"\0" * 2_000_000)
    steps_seen: list[tuple[int, int]] = []

    def fake_installer(name, report, progress) -> InstalledModel:
        """Stands in for the 136 MB download: reports as the npm build does."""
        report("fetching the package")
        progress(0, 0)
        for chunk in range(1, 4):
            progress(chunk, 3)
        return InstalledModel("imgly-isnet-medium", model_file, "dis_custom")

    runner = TaskRunner()
    panel = ModelPanel(runner, installer=fake_installer, find_model=lambda: None)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.install_button.isVisible()
    panel.bar.valueChanged.connect(lambda value: steps_seen.append((value, panel.bar.maximum())))

    qtbot.mouseClick(panel.install_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Installed: imgly-isnet-medium" in panel.status.text(), timeout=5000)
    assert (3, 3) in steps_seen
    assert not panel.bar.isVisible() and not panel.install_button.isVisible()


def test_a_failed_install_says_what_still_works_and_can_be_retried(qtbot) -> None:
    def offline_installer(name, report, progress) -> InstalledModel:
        raise OSError("name resolution failed")

    panel = ModelPanel(TaskRunner(), installer=offline_installer, find_model=lambda: None)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.install_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.install_button.isEnabled(), timeout=5000)
    assert "name resolution failed" in panel.step.text()
    assert "plain" in panel.step.text()  # the fallback remover still works
    assert panel.install_button.text() == "Try again"
