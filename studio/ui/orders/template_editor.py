"""Templates for thank-you cards and packing slips, with a live preview: text with
{fields}, font, size, logo, QR code and the "you may also like" line; one default per kind."""

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

from studio.printing import settings
from studio.printing.images import PhotoSource, load_image
from studio.printing.output import render_image
from studio.printing.packing_slip import SlipText, slip_pages
from studio.printing.paper import PAPERS
from studio.printing.settings import TEMPLATE_FIELDS, PrintTemplate, TemplateKind, fill_fields
from studio.printing.thank_you_card import CardContent, card_page
from studio.ui.orders.sample_order import SAMPLE_ORDER
from studio.ui.services import Services

PREVIEW_DELAY_MS = 150
KIND_LABELS = {TemplateKind.CARD: "Thank-you cards", TemplateKind.SLIP: "Packing slips"}


class TemplateEditor(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Card and slip templates")
        self.services = services
        self.photos = PhotoSource(services.data_dir)
        self.current: PrintTemplate | None = None
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
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
        with services.database.session() as session:
            shop = settings.shop_profile(session)
        self.shop_name = QLineEdit(shop.shop_name)
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
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(form, 2)
        layout.addWidget(self.preview, 2)

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
            self.closet_url.textChanged,
        ):
            signal.connect(self._debounce.start)
        self.kind.currentIndexChanged.connect(self.load)
        self.list.currentRowChanged.connect(self._select)
        self.load()

    def load(self, select_id: int | None = None) -> None:
        with self.services.database.transaction() as session:
            self.templates = settings.templates(session, self.kind.currentData())
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
            TEMPLATE_FIELDS, shop_name=self.shop_name.text(), closet_url=self.closet_url.text()
        )
        text = fill_fields(template.body, values)
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
        with self.services.database.transaction() as session:
            saved = settings.save_template(session, self.edited())
            shop = settings.shop_profile(session)
            shop.shop_name = self.shop_name.text().strip()
            shop.closet_url = self.closet_url.text().strip()
            settings.save_shop_profile(session, shop)
        self.load(saved.id)

    def new_template(self) -> None:
        kind = TemplateKind(self.kind.currentData())
        with self.services.database.transaction() as session:
            made = settings.save_template(
                session,
                PrintTemplate(
                    kind=kind.value, name="New template", body=settings.DEFAULT_TEMPLATES[kind]
                ),
            )
        self.load(made.id)

    def delete_template(self) -> None:
        if self.current and self.current.id is not None and len(self.templates) > 1:
            with self.services.database.transaction() as session:
                settings.delete_template(session, self.current.id)
            self.load()

    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Logo", "", "Images (*.png *.jpg *.jpeg)")
        if path:
            self.logo.setText(path)
