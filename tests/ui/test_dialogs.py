"""Every dialog fits a 1366x768 laptop screen (less its taskbar), and Enter presses the
button the dialog is for, never Cancel."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton

from studio.inventory.csv_import import CsvTable
from studio.printing.calibration import calibration_page
from studio.printing.paper import PAPERS
from studio.sync.status import ConflictLine
from studio.ui.inventory.bulk_edit import BulkEditDialog
from studio.ui.inventory.csv_dialog import ColumnMappingDialog
from studio.ui.inventory.editor import ItemEditor
from studio.ui.inventory.prefixes_dialog import PrefixesDialog
from studio.ui.likes_offers.likers_dialog import LikersOfferDialog
from studio.ui.marketplace.conflict_dialog import ConflictDialog
from studio.ui.orders.preview import PrintPreview
from studio.ui.photos.folder_import import FolderImportDialog
from studio.ui.welcome.about import AboutDialog

LAPTOP_WIDTH, LAPTOP_HEIGHT = 1366, 768 - 48  # the taskbar takes the rest


def check(qtbot, dialog: QDialog, action: str | None) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    needed = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    shown = dialog.frameGeometry().size()
    title = dialog.windowTitle()
    assert needed.width() <= LAPTOP_WIDTH and needed.height() <= LAPTOP_HEIGHT, title
    assert shown.width() <= LAPTOP_WIDTH and shown.height() <= LAPTOP_HEIGHT, title
    if action is not None:
        defaults = [b.text() for b in dialog.findChildren(QPushButton) if b.isDefault()]
        assert defaults == [action], title
    dialog.reject()


def quiet(*_args) -> None:
    pass


def test_the_inventory_dialogs(qtbot, window) -> None:
    parent = window.inventory
    table = CsvTable(["Name", "Price", "Colour"], [["Tee", "12", "red"]] * 3)
    for dialog, action in (
        (ItemEditor(quiet, None, {}, parent), "Save"),
        (BulkEditDialog(3, quiet, parent), "Apply to 3 items"),
        (PrefixesDialog({"Bags": "BAG", "Tops": "TOP"}, quiet, parent), "Save"),
        (
            ColumnMappingDialog(table, {"Name": "title", "Price": None, "Colour": None}, parent),
            "Import",
        ),
        (FolderImportDialog(window.services, Path("/nonexistent"), parent), "Create items"),
    ):
        check(qtbot, dialog, action)


def test_the_selling_and_shipping_dialogs(qtbot, window, add_item) -> None:
    item = add_item(title="Camel coat", list_price_cents="120", status="listed")
    conflict = ConflictLine(1, item.id, item.sku, item.title, "title", "Mine", "Theirs")
    page = calibration_page(PAPERS["4x6"], "label")
    image = QImage(288, 432, QImage.Format.Format_RGB32)
    for dialog, action in (
        (LikersOfferDialog(window.services, [item.id], quiet, 10, window), "Send to likers"),
        (ConflictDialog([conflict], window), "Keep the chosen values"),
        (PrintPreview([page], [image], quiet, quiet, window), "Print"),
        (AboutDialog(window.services.data_dir, Path("studio.log"), window), None),
    ):
        check(qtbot, dialog, action)


@pytest.mark.parametrize("opener", ["edit_printers", "edit_templates"])
def test_the_orders_dialogs(qtbot, window, opener) -> None:
    orders = window.sections["orders"]
    getattr(orders, opener)()
    attribute = "printers" if opener == "edit_printers" else "editor"
    qtbot.waitUntil(lambda: getattr(orders, attribute, None) is not None)
    check(qtbot, getattr(orders, attribute), "Save")


def test_the_welcome(qtbot, window) -> None:
    window.help.show_welcome()
    qtbot.waitUntil(lambda: window.help.welcome is not None)
    check(qtbot, window.help.welcome, "Start using Seller Studio")


def test_enter_in_bulk_edit_applies_the_edit(qtbot, window) -> None:
    applied = []
    dialog = BulkEditDialog(3, lambda edit, done, _failed: applied.append(edit) or done(), window)
    dialog.show()
    bin_field = next(f for f in dialog.findChildren(QLineEdit) if f is dialog.bin)
    qtbot.keyClicks(bin_field, "A3-12")
    qtbot.keyClick(bin_field, Qt.Key.Key_Return)
    assert [edit.bin_location for edit in applied] == ["A3-12"]
