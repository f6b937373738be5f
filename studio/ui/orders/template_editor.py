"""Templates for thank-you cards and packing slips, with a live preview: text with
{fields}, font, size, logo, QR code and the "you may also like" line; one default per kind."""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.placeholders import fill
from studio.printing import settings
from studio.printing.images import PhotoSource, load_image
from studio.printing.output import render_image
from studio.printing.packing_slip import SlipText, slip_pages
from studio.printing.paper import PAPERS
from studio.printing.settings import (
    TEMPLATE_FIELDS,
    PrintTemplate,
    ShopProfile,
    TemplateKind,
)
from studio.printing.thank_you_card import CardContent, card_page
from studio.ui.banner import Banner
from studio.ui.orders.sample_order import SAMPLE_ORDER
from studio.ui.services import Services

PREVIEW_DELAY_MS = 150
KIND_LABELS = {TemplateKind.CARD: "Thank-you cards", TemplateKind.SLIP: "Packing slips"}


@dataclass(frozen=True)
class Loaded:
    """One kind's templates as stored, and which to show (None: the one shown before)."""

    kind: str
    templates: list[PrintTemplate]
    select_id: int | None = None


def _loaded(session: Session, kind: str, select_id: int | None = None) -> Loaded:
    # Runs as a write: the first look at a kind stores its standard template.
    return Loaded(kind, settings.templates(session, kind), select_id)


def open_template_editor(
    services: Services,
    parent: QWidget,
    opened: Callable[["TemplateEditor"], None],
    failed: Callable[[BaseException], None],
) -> None:
    """Reads the shop profile and the first kind's templates, then opens the editor on them."""
    kind = next(iter(KIND_LABELS)).value

    def read(session: Session) -> tuple[ShopProfile, Loaded]:
        return settings.shop_profile(session), _loaded(session, kind)

    def show(result: tuple[ShopProfile, Loaded]) -> None:
        editor = TemplateEditor(services, *result, parent)
        editor.open()
        opened(editor)

    services.runner.write("Opening the templates", read, on_done=show, on_error=failed)


class TemplateEditor(QDialog):
    def __init__(
        self,
        services: Services,
        shop: ShopProfile,
        loaded: Loaded,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Card and slip templates")
        self.services = services
        self.photos = PhotoSource(services.data_dir)
        self.current: PrintTemplate | None = None
        self.templates: list[PrintTemplate] = []
        self.problem = Banner()
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.kind.setCurrentIndex(self.kind.findData(loaded.kind))
        self.list = QListWidget()
        self.name = QLineEdit()
        self.body = QPlainTextEdit()
        self.font_style = QComboBox()
        for key, label in (("hand", "Hand-written"), ("sans", "Sans"), ("serif", "Serif")):
            self.font_style.addItem(label, key)
        self.size = QSpinBox(minimum=8, maximum=36)
        self.logo = QLineEdit()
        self.logo.setPlaceholderText("No logo")
        choose_logo = QPushButton("Choose…")
        choose_logo.clicked.connect(self._choose_logo)
        self.show_qr = QCheckBox("QR code to my closet")
        self.show_related = QCheckBox('"You may also like" line')
        self.is_default = QCheckBox("Default for this kind")
        self.shop_name = QLineEdit(shop.shop_name)
        self.signature = QLineEdit(shop.signature)
        self.signature.setPlaceholderText("how you sign a card, e.g. Maya")
        self.closet_url = QLineEdit(shop.closet_url)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(320, 460)

        new, delete, save = QPushButton("New"), QPushButton("Delete"), QPushButton("Save")
        save.setDefault(True)
        new.clicked.connect(self.new_template)
        delete.clicked.connect(self.delete_template)
        save.clicked.connect(self.save)
        fields = ", ".join("{" + name + "}" for name in TEMPLATE_FIELDS)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(choose_logo)
        form = QFormLayout()
        form.addRow("Shop name", self.shop_name)
        form.addRow("Signature", self.signature)
        form.addRow("Closet URL", self.closet_url)
        form.addRow("Template name", self.name)
        form.addRow("Text", self.body)
        form.addRow("", QLabel(f"Fields: {fields}", wordWrap=True))
        form.addRow("Font", self.font_style)
        form.addRow("Size (pt)", self.size)
        form.addRow("Logo", logo_row)
        form.addRow("", self.show_qr)
        form.addRow("", self.show_related)
        form.addRow("", self.is_default)
        left = QVBoxLayout()
        left.addWidget(self.kind)
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        for button in (new, delete, save):
            buttons.addWidget(button)
        left.addLayout(buttons)
        columns = QHBoxLayout()
        columns.addLayout(left)
        columns.addLayout(form, 2)
        columns.addWidget(self.preview, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addLayout(columns)

        self._debounce = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._debounce.timeout.connect(self.refresh_preview)
        for signal in (
            self.name.textChanged,
            self.body.textChanged,
            self.font_style.currentIndexChanged,
            self.size.valueChanged,
            self.logo.textChanged,
            self.show_qr.toggled,
            self.show_related.toggled,
            self.shop_name.textChanged,
            self.signature.textChanged,
            self.closet_url.textChanged,
        ):
            signal.connect(self._debounce.start)
        self.kind.currentIndexChanged.connect(self.load)
        self.list.currentRowChanged.connect(self._select)
        self._show_list(loaded)

    def load(self) -> None:
        kind = self.kind.currentData()
        self._write("Reading the templates", lambda session: _loaded(session, kind))

    def _write(self, label: str, change: Callable[[Session], Loaded]) -> None:
        """Every write here hands back the kind's templates as they are after it."""
        self.services.runner.write(
            label,
            change,
            on_done=self._show_list,
            on_error=lambda error: self.problem.show_error(f"{label} failed: {error}"),
        )

    def _show_list(self, loaded: Loaded) -> None:
        if loaded.kind != self.kind.currentData():
            return  # another kind was chosen meanwhile; its own read is on the way
        shown = self.current.id if self.current else None
        select_id = loaded.select_id if loaded.select_id is not None else shown
        self.templates = loaded.templates
        self.list.blockSignals(True)
        self.list.clear()
        for template in self.templates:
            self.list.addItem(template.name + ("  (default)" if template.is_default else ""))
        self.list.blockSignals(False)
        ids = [t.id for t in self.templates]
        self.list.setCurrentRow(ids.index(select_id) if select_id in ids else 0)
        self._select(self.list.currentRow())

    def _select(self, row: int) -> None:
        if not 0 <= row < len(self.templates):
            return
        template = self.templates[row]
        self.current = template
        self.name.setText(template.name)
        self.body.setPlainText(template.body)
        self.font_style.setCurrentIndex(max(0, self.font_style.findData(template.font)))
        self.size.setValue(template.font_size_pt)
        self.logo.setText(template.logo_path)
        self.show_qr.setChecked(template.show_qr)
        self.show_related.setChecked(template.show_related)
        self.is_default.setChecked(template.is_default)
        self.refresh_preview()

    def edited(self) -> PrintTemplate:
        return PrintTemplate(
            id=self.current.id if self.current else None,
            kind=self.kind.currentData(),
            name=self.name.text().strip() or "Untitled",
            body=self.body.toPlainText(),
            font=self.font_style.currentData(),
            font_size_pt=self.size.value(),
            logo_path=self.logo.text().strip(),
            show_qr=self.show_qr.isChecked(),
            show_related=self.show_related.isChecked(),
            is_default=self.is_default.isChecked(),
        )

    def preview_page(self):
        template = self.edited()
        values = dict(
            TEMPLATE_FIELDS,
            shop_name=self.shop_name.text(),
            signature=self.signature.text() or self.shop_name.text(),
            closet_url=self.closet_url.text(),
        )
        text = fill(template.body, values)
        if template.kind == TemplateKind.SLIP:
            slip = SlipText(self.shop_name.text(), text, template.font, template.font_size_pt)
            return slip_pages(SAMPLE_ORDER, PAPERS["4x6"], slip, self.photos)[-1]
        card = CardContent(
            order_number=SAMPLE_ORDER.number,
            message=text,
            style=template.font,
            size_pt=template.font_size_pt,
            shop_name=self.shop_name.text(),
            logo=load_image(template.logo_path) if template.logo_path else None,
            closet_url=self.closet_url.text() if template.show_qr else "",
            related=("Silk scarf", "Pleated midi skirt") if template.show_related else (),
        )
        return card_page(card, PAPERS["4x6"])

    def refresh_preview(self) -> None:
        image = render_image(self.preview_page(), 1.0)
        self.preview.setPixmap(QPixmap.fromImage(image))

    def save(self) -> None:
        edited = self.edited()
        shop_name, closet_url = self.shop_name.text().strip(), self.closet_url.text().strip()
        signature = self.signature.text().strip()

        def change(session: Session) -> Loaded:
            saved = settings.save_template(session, edited)
            shop = settings.shop_profile(session)
            shop.shop_name, shop.closet_url, shop.signature = shop_name, closet_url, signature
            settings.save_shop_profile(session, shop)
            return _loaded(session, edited.kind, saved.id)

        self._write("Saving the template", change)

    def new_template(self) -> None:
        kind = TemplateKind(self.kind.currentData())
        blank = PrintTemplate(
            kind=kind.value, name="New template", body=settings.DEFAULT_TEMPLATES[kind]
        )

        def change(session: Session) -> Loaded:
            made = settings.save_template(session, blank)
            return _loaded(session, kind.value, made.id)

        self._write("Adding a template", change)

    def delete_template(self) -> None:
        if self.current is None or self.current.id is None or len(self.templates) < 2:
            return
        kind, template_id = self.current.kind, self.current.id

        def change(session: Session) -> Loaded:
            settings.delete_template(session, template_id)
            return _loaded(session, kind)

        self._write("Deleting the template", change)

    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Logo", "", "Images (*.png *.jpg *.jpeg)")
        if path:
            self.logo.setText(path)
