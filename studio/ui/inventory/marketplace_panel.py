"""The item editor's eBay tab: the category eBay suggests for the item (confirmed once per
studio category), the item specifics that category requires with those still missing to
fill in, and whether the item's condition is one the category takes.

What eBay said is read from the database (sync/marketplace_details.py) through the task
bridge; what is not known yet is asked of eBay in `runner.run` (network, off the UI
thread), kept with `runner.write`, and read again. Whether the item has what eBay needs is
worked out here, from what was read, on every keystroke, with no database and no network.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.inventory.fields import BY_NAME
from studio.inventory.tables import Item
from studio.sync import marketplace_details as details
from studio.sync.marketplace_details import Answers, AspectSpec, Known, Lookups, Needs
from studio.sync.port import AuthFailed, NotConnected, Unreachable
from studio.ui.tasks import TaskRunner

HINT_STYLE = "color: #5b6472;"
NEEDS_STYLE = "color: #8a4b00; font-weight: 600;"
READY_STYLE = "color: #2e7d32; font-weight: 600;"
LINK_STYLE = "text-align: left; color: #1a5fb4; text-decoration: underline;"
FILLED_STYLE = "text-align: left;"


@dataclass
class PanelSetup:
    """What the editor's eBay tab starts from, read with the item."""

    runner: TaskRunner
    marketplace: str  # the account's name
    known: Known
    lookups_for: Callable[[str], Lookups]  # builds the account's look-ups (network)
    aspects: dict[str, str] = field(default_factory=dict)  # the item's specifics as saved


def where(marketplace: str) -> str:
    """How the seller knows the account: "eBay", or "eBay (ebay-uk)" beside another."""
    return "eBay" if marketplace == details.EBAY else f"eBay ({marketplace})"


def when(known: Known) -> str:
    at = known.asked_at
    return "" if at is None else f"{at.astimezone():%d %b %Y}".lstrip("0")


def trouble(error: BaseException) -> str:
    """Why eBay could not answer, in the seller's words."""
    if isinstance(error, Unreachable):
        return "eBay could not be reached."
    if isinstance(error, AuthFailed | NotConnected):
        return "eBay did not accept the sign-in: connect the account again (Marketplace)."
    return f"eBay did not answer: {error}."


class MarketplacePanel(QWidget):
    edited = Signal()  # a specific was typed: the editor works out the needs again

    def __init__(
        self,
        setup: PanelSetup,
        current_item: Callable[[], Item],
        reveal: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        """`current_item`: the item as the form has it now; `reveal(field)` brings one of the
        editor's fields forward (a missing Department is typed where it always is)."""
        super().__init__(parent)
        self.runner = setup.runner
        self.marketplace = setup.marketplace
        self.lookups_for = setup.lookups_for
        self.known = setup.known
        self.saved_aspects = dict(setup.aspects)
        self.typed: dict[str, str] = dict(setup.aspects)  # by eBay's names, kept across rebuilds
        self.current_item = current_item
        self.reveal = reveal
        self.asking = False
        self.problem = ""  # why the last ask failed
        self.aspect_inputs: dict[str, QComboBox] = {}
        self.field_buttons: dict[str, QPushButton] = {}

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(HINT_STYLE)
        self.ask_button = self._button("Ask eBay again", lambda: self.ask(again=True))
        self.category = QComboBox()
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.category.activated.connect(self._picked)
        self.confirmation = QLabel()
        self.confirmation.setWordWrap(True)
        self.confirmation.setStyleSheet(HINT_STYLE)
        self.confirm_button = self._button("Use it", self._confirm)
        self.needs_line = QLabel()
        self.needs_line.setWordWrap(True)
        self.condition_line = QLabel()
        self.condition_line.setWordWrap(True)
        # One form for the required and the optional specifics, so their boxes line up.
        self.specifics = QFormLayout()

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.ask_button)
        confirm = QHBoxLayout()
        confirm.addWidget(self.confirmation, 1)
        confirm.addWidget(self.confirm_button)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self._heading("Category on eBay"))
        inner.addWidget(self.category)
        inner.addLayout(confirm)
        inner.addWidget(self._heading("Condition"))
        inner.addWidget(self.condition_line)
        inner.addLayout(self.specifics)
        inner.addStretch(1)
        scroll = QScrollArea()  # a category can have a few dozen specifics
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        # The tab's own background shows through, as on the editor's other tabs.
        scroll.viewport().setAutoFillBackground(False)
        body.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.needs_line)
        layout.addWidget(scroll, 1)
        self._show_known(self.known)

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: 600; margin-top: 8px;")
        return label

    @staticmethod
    def _button(text: str, on_click: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)  # Enter saves the item, wherever the focus is
        button.clicked.connect(on_click)
        return button

    # What is known, shown
    def _show_known(self, known: Known) -> None:
        self.known = known
        self.category.clear()
        for choice in known.choices:
            self.category.addItem(choice.label, choice.category_id)
        self.category.setEnabled(bool(known.choices))
        self._build_specifics()
        self._show_status()
        self.show_needs()
        if not self.asking and not self.problem:
            self.ask()

    def _facts(self) -> details.CategoryFacts | None:
        category = self.known.category
        return self.known.facts.get(category.category_id) if category is not None else None

    def _build_specifics(self) -> None:
        form = self.specifics
        while form.rowCount():
            form.removeRow(0)
        self.aspect_inputs.clear()
        self.field_buttons.clear()
        facts = self._facts()
        aspects = facts.aspects if facts is not None else ()
        form.addRow(self._heading("Item specifics eBay requires"))
        if facts is None:
            form.addRow(QLabel("Not known yet."))
        for aspect in aspects:
            if aspect.required:
                form.addRow(aspect.name, self._input_for(aspect))
        # Recommended ones the item's own fields give are sent as they are: not asked here.
        helpful = [a for a in aspects if not a.required and not a.field and a.recommended]
        if helpful:
            form.addRow(self._heading("Also help buyers find it (optional)"))
        for aspect in helpful:
            form.addRow(aspect.name, self._input_for(aspect))

    def _input_for(self, aspect: AspectSpec) -> QWidget:
        """One of the item's own fields is filled where it always is: a button brings it
        forward. A specific without one gets a box here, with eBay's values to pick from."""
        if aspect.field:
            button = self._button("", lambda _c=False, name=aspect.field: self.reveal(name))
            button.setFlat(True)
            self.field_buttons[aspect.name] = button
            return button
        box = QComboBox()
        box.setEditable(True)
        box.addItems(["", *aspect.values])
        box.setCurrentText(self._typed_value(aspect.name))
        line = box.lineEdit()
        line.setPlaceholderText("required by eBay" if aspect.required else "")
        box.currentTextChanged.connect(lambda text, name=aspect.name: self._typed(name, text))
        self.aspect_inputs[aspect.name] = box
        return box

    def _typed_value(self, name: str) -> str:
        wanted = name.lower()
        return next((v for k, v in self.typed.items() if k.lower() == wanted), "")

    def _typed(self, name: str, text: str) -> None:
        for key in [k for k in self.typed if k.lower() == name.lower()]:
            del self.typed[key]
        if text.strip():
            self.typed[name] = " ".join(text.split())
        self.edited.emit()

    def aspects(self) -> dict[str, str]:
        """The item's specifics as the seller has them now, by eBay's names."""
        return dict(self.typed)

    def _show_status(self) -> None:
        known, said = self.known, when(self.known)
        if self.asking:
            text = "Asking eBay…"
        elif self.problem:
            kept = f"Showing what eBay said on {said}." if said else "Nothing is known yet."
            text = f"{self.problem} {kept}"
        elif said:
            text = f"As eBay said on {said}."
        elif not known.words and known.chosen is None:
            text = "Type a title, and eBay suggests a category for it."
        else:
            text = "eBay has not been asked about this item yet."
        self.status.setText(text)
        self.ask_button.setEnabled(not self.asking and bool(known.words or known.chosen))
        category = known.category
        studio = known.studio_category or "items without a category"
        self.confirm_button.setText(f"Use it for every {studio} item")
        self.confirm_button.setVisible(category is not None and known.chosen is None)
        if category is None:
            self.confirmation.setText("")
        elif known.chosen is not None:
            self.confirmation.setText(f"Used for every {studio} item; pick another to change it.")
        else:
            self.confirmation.setText(
                "eBay suggests it for the title. Confirm it, or pick another."
            )

    def show_needs(self) -> Needs:
        """The needs line and the state of each specific, for the item as typed now."""
        item = self.current_item()
        needs = details.needs_of(self.known, item)
        if not needs.known:
            self.needs_line.setText("What eBay needs is not known yet.")
            self.needs_line.setStyleSheet(HINT_STYLE)
        elif needs.ready:
            self.needs_line.setText("eBay has what it needs.")
            self.needs_line.setStyleSheet(READY_STYLE)
        else:
            self.needs_line.setText(needs.words())
            self.needs_line.setStyleSheet(NEEDS_STYLE)
        for name, button in self.field_buttons.items():
            spec = next(a for a in self._facts_aspects() if a.name == name)
            label = BY_NAME[spec.field].label if spec.field in BY_NAME else name
            value = str(getattr(item, spec.field or "", "") or "").strip()
            button.setText(
                f"{value}  (the item's {label})" if value else f"Fill in the item's {label} →"
            )
            button.setStyleSheet(FILLED_STYLE if value else LINK_STYLE)
        self.condition_line.setText(self._condition_words(item))
        return needs

    def _facts_aspects(self) -> tuple[AspectSpec, ...]:
        facts = self._facts()
        return facts.aspects if facts is not None else ()

    def _condition_words(self, item: Item) -> str:
        facts = self._facts()
        if facts is None or not facts.conditions:
            return "eBay states no conditions for this category." if facts else "Not known yet."
        key = details.condition_key(item.condition)
        match = next((c for c in facts.conditions if key and key in c.words), None)
        if match is not None:
            return f"{item.condition} lists as eBay's “{match.description}”."
        takes = ", ".join(f"{c.word} (eBay's “{c.description}”)" for c in facts.conditions)
        return f"eBay takes these here: {takes}."

    # Asking eBay
    def reload(self, studio_category: str, words: str) -> None:
        """The item's category or title changed: read what is known for them."""
        if (studio_category, words) == (self.known.studio_category, self.known.words):
            return
        marketplace = self.marketplace
        self.problem = ""
        self.runner.query(
            "Reading what eBay needs",
            lambda session: details.read_known(session, marketplace, studio_category, words),
            on_done=self._show_known,
        )

    def ask(self, again: bool = False) -> None:
        """Asks eBay what is not known yet (everything, when the seller asked again)."""
        question = self.known.question(again)
        if question is None or self.asking:
            return
        self.asking, self.problem = True, ""
        self._show_status()
        lookups_for, marketplace = self.lookups_for, self.marketplace
        self.runner.run(
            "Asking eBay",
            lambda _context: details.ask(lookups_for(marketplace), *question),
            on_done=self._answered,
            on_error=self._not_answered,
        )

    def _answered(self, answers: Answers) -> None:
        marketplace, known = self.marketplace, self.known

        def keep(session: Session) -> Known:
            details.remember(session, marketplace, answers)
            return details.read_known(session, marketplace, known.studio_category, known.words)

        self.runner.write("Keeping what eBay said", keep, self._kept, self._not_answered)

    def _kept(self, known: Known) -> None:
        self.asking = False
        self._show_known(known)

    def _not_answered(self, error: BaseException) -> None:
        self.asking = False
        self.problem = trouble(error)
        self._show_status()

    # Choosing the category
    def _picked(self, index: int) -> None:
        choices = self.known.choices
        if 0 <= index < len(choices) and choices[index] != self.known.chosen:
            self._choose(choices[index])

    def _confirm(self) -> None:
        if self.known.category is not None:
            self._choose(self.known.category)

    def _choose(self, category: details.Category) -> None:
        marketplace, known = self.marketplace, self.known

        def choose(session: Session) -> Known:
            details.choose(session, marketplace, known.studio_category, category)
            return details.read_known(session, marketplace, known.studio_category, known.words)

        self.problem = ""
        self.runner.write("Remembering the eBay category", choose, self._show_known)
