"""The welcome shown on the first start of a data dir: where the data lives, the shop's
name and signature for slips and cards, background removal, the marketplace (or the demo),
and printers. Every step can be left for later."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.ui.welcome.model_panel import ModelPanel

WIDTH = 980  # two columns of cards, so it all fits a 1366x768 laptop screen
CARD_STYLE = """
QFrame#card { background: #f7f8fa; border: 1px solid #e1e4ea; border-radius: 8px; }
QLabel#heading { font-size: 15px; font-weight: 600; color: #17305e; }
"""


@dataclass(frozen=True)
class WelcomeActions:
    """What the welcome's buttons do; the main window supplies them."""

    open_data_folder: Callable[[], None]
    connect_marketplace: Callable[[], None]
    open_demo: Callable[[], None]
    set_up_printers: Callable[[], None]
    save_shop: Callable[["ShopDetails"], None]


@dataclass(frozen=True)
class ShopDetails:
    """What slips and cards print about the seller; empty until the seller says."""

    shop_name: str = ""
    signature: str = ""
    closet_url: str = ""


def _card(heading: str, text: str, *extra: QWidget) -> QFrame:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(16, 12, 16, 14)
    title = QLabel(heading)
    title.setObjectName("heading")
    layout.addWidget(title)
    if text:
        body = QLabel(text)
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(body)
    for widget in extra:
        layout.addWidget(widget)
    return card


def _buttons(*buttons: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 4, 0, 0)
    for button in buttons:
        layout.addWidget(button)
    layout.addStretch(1)
    return row


def _button(text: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(lambda _checked=False: slot())
    return button


class WelcomeDialog(QDialog):
    def __init__(
        self,
        data_dir: Path,
        model_panel: ModelPanel,
        actions: WelcomeActions,
        parent: QWidget | None = None,
        shop: ShopDetails | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Seller Studio")
        self.setStyleSheet(CARD_STYLE)
        self.model_panel = model_panel
        self.actions = actions
        self.shop_before = shop or ShopDetails()

        intro = QLabel(
            "<h2 style='color:#17305e; margin:0'>Welcome to Seller Studio</h2>"
            "A few things to set up now or whenever you like. Help ▸ Welcome brings this back."
        )
        intro.setWordWrap(True)
        data = _card(
            "Your data",
            f"Your inventory, photos and backups live in {data_dir}. Reinstalling or updating "
            "Seller Studio never touches this folder, and the inventory is backed up before "
            "each upgrade.",
            _buttons(_button("Open folder", actions.open_data_folder)),
        )
        photos = _card("Background removal", "", model_panel)
        self.shop_name = QLineEdit(self.shop_before.shop_name)
        self.shop_name.setPlaceholderText("e.g. Second Rack Vintage")
        self.signature = QLineEdit(self.shop_before.signature)
        self.signature.setPlaceholderText("how you sign a thank-you card, e.g. Maya")
        self.closet_url = QLineEdit(self.shop_before.closet_url)
        self.closet_url.setPlaceholderText("your closet's address, for the card's QR code")
        shop_form = QWidget()
        form = QFormLayout(shop_form)
        form.setContentsMargins(0, 4, 0, 0)
        form.addRow("Shop name", self.shop_name)
        form.addRow("Signature", self.signature)
        form.addRow("Closet address", self.closet_url)
        shop_card = _card(
            "Your shop",
            "Printed on packing slips and thank-you cards. Until they are set, slips and cards "
            "leave them out rather than print a blank.",
            shop_form,
        )
        market = _card(
            "Your marketplace",
            "Connect your seller account to sync listings, likes, offers and orders. Or try "
            "everything first in the demo: a separate inventory with a local marketplace and "
            "simulated buyers, in its own window.",
            _buttons(
                _button("Connect a marketplace…", self._then(actions.connect_marketplace)),
                _button("Open the demo", actions.open_demo),
            ),
        )
        printers = _card(
            "Printers",
            "Pick a printer and paper for pick lists, packing slips, 4x6 labels and cards, and "
            "print a calibration page to line each one up.",
            _buttons(_button("Set up printers…", self._then(actions.set_up_printers))),
        )
        self.skip_button = QPushButton("Skip for now")
        self.skip_button.clicked.connect(self.reject)
        self.done_button = QPushButton("Start using Seller Studio")
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self.accept)
        self.skip_button.setAutoDefault(False)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.skip_button)
        footer.addWidget(self.done_button)

        cards = QGridLayout()
        cards.setSpacing(12)
        for number, card in enumerate((shop_card, market, photos, printers, data)):
            cards.addWidget(card, number // 2, number % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 18)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(cards)
        layout.addLayout(footer)
        # Wrapped text only knows its height once the width is set: fix the width, then fit.
        self.setFixedWidth(WIDTH)
        self.resize(WIDTH, layout.totalHeightForWidth(WIDTH))

    def shop(self) -> ShopDetails:
        return ShopDetails(
            self.shop_name.text().strip(),
            self.signature.text().strip(),
            self.closet_url.text().strip(),
        )

    def done(self, result: int) -> None:
        """However the welcome closes, shop details typed into it are kept."""
        if self.shop() != self.shop_before:
            self.actions.save_shop(self.shop())
            self.shop_before = self.shop()
        super().done(result)

    def _then(self, action: Callable[[], None]) -> Callable[[], None]:
        """Steps that lead to another screen close the welcome first, so it is not in the way."""

        def run() -> None:
            self.accept()
            action()

        return run
