"""Controls for the common recipe steps: cut-out, background, shadow, canvas and light.

Each control patches only its own step of the recipe, so settings the panel does not show
(a gradient's angle, a crop, the export quality, touch-up strokes) pass through untouched.
"""

import re
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.imaging.recipe import (
    AutoAdjust,
    Background,
    Canvas,
    FitSubject,
    Recipe,
    RemoveBackground,
    Shadow,
)
from studio.ui.photos.slider_row import SliderRow

REMOVERS = (("Automatic", "auto"), ("Plain backdrop (no model)", "fallback"), ("Model", "model"))
FILLS = (("As shot", None), ("White", "white"), ("Colour", "color"), ("Gradient", "gradient"))
CANVASES = (
    ("Original shape", None),
    ("Square 1:1", "1:1"),
    ("Portrait 4:5", "4:5"),
    ("Portrait 3:4", "3:4"),
)
SWATCHES = ("#ffffff", "#f4f1ea", "#e6edf5", "#f6e4e8", "#dfeee2", "#23262d")
SWATCH_BORDER = "border: 1px solid #b9bec7; border-radius: 4px;"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class StepControls(QWidget):
    edited = Signal(object, str)  # the new Recipe, and which setting changed (for undo)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recipe = Recipe()
        self._loading = False
        self.remove = QCheckBox("Remove the background")
        self.remover = _combo(REMOVERS)
        self.clean_edges = QCheckBox("Clean edge colours (slower)")
        self.clean_edges.setToolTip(
            "Gives the cut-out's edge the product's own colour, so no rim of the old backdrop "
            "shows on the new one. Adds about a tenth of a second per 12 MP photo."
        )
        self.refine = QCheckBox("Refine with the photo")
        self.refine.setToolTip(
            "Lets the photo correct the model: drops cast shadows, keeps a handle's hole open, "
            "removes specks and follows the product's edge at full size. Adds about a twentieth "
            "of the model's time; turn it off for the fastest batches."
        )
        self.fill = _combo(FILLS)
        self.colour = QLineEdit()
        self.colour.setPlaceholderText("#rrggbb")
        self.colour.setMaxLength(7)
        self.colour.setFixedWidth(86)
        self.shadow = QCheckBox("Soft contact shadow")
        self.shadow_strength = SliderRow("Strength", 0, 100, lambda v: f"{v} %")
        self.canvas = _combo(CANVASES)
        self.margin = SliderRow("Margin", 0, 40, lambda v: f"{v} %")
        self.auto = QCheckBox("Auto exposure and white balance")
        self.brightness = SliderRow("Brightness", -100, 100, lambda v: f"{v:+d}")

        swatches = QHBoxLayout()
        swatches.setSpacing(4)
        for colour in SWATCHES:
            swatches.addWidget(self._swatch(colour))
        swatches.addWidget(self.colour)
        swatches.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            _group(
                "Cut-out",
                self.remove,
                _form(("Remover", self.remover)),
                self.refine,
                self.clean_edges,
            )
        )
        background = _form(("Fill", self.fill))
        background.addRow(swatches)
        layout.addWidget(_group("Background", background))
        layout.addWidget(_group("Shadow", self.shadow, self.shadow_strength))
        layout.addWidget(_group("Canvas", _form(("Shape", self.canvas)), self.margin))
        layout.addWidget(_group("Light", self.auto, self.brightness))

        self._connect(self.remove.toggled, "Background removal", self._set_removal)
        self._connect(self.remover.currentIndexChanged, "Remover", self._set_removal)
        self._connect(self.refine.toggled, "Refine with the photo", self._set_removal)
        self._connect(self.clean_edges.toggled, "Clean edge colours", self._set_removal)
        self._connect(self.fill.currentIndexChanged, "Background fill", self._set_fill)
        self._connect(self.colour.textEdited, "Background colour", self._set_fill)
        self._connect(self.shadow.toggled, "Shadow", self._set_shadow)
        self._connect(self.shadow_strength.value_changed, "Shadow strength", self._set_shadow)
        self._connect(self.canvas.currentIndexChanged, "Canvas", self._set_canvas)
        self._connect(self.margin.value_changed, "Margin", self._set_canvas)
        self._connect(self.auto.toggled, "Auto adjust", self._set_light)
        self._connect(self.brightness.value_changed, "Brightness", self._set_light)
        self.show_recipe(Recipe())

    def _connect(self, signal: object, what: str, patch: Callable[[Recipe], Recipe]) -> None:
        def changed(*_args: object) -> None:
            if self._loading:
                return
            self.recipe = patch(self.recipe)
            self._update_enabled()
            self.edited.emit(self.recipe, what)

        signal.connect(changed)  # type: ignore[attr-defined]

    def _swatch(self, colour: str) -> QToolButton:
        button = QToolButton()
        button.setFixedSize(22, 22)
        button.setToolTip(colour)
        button.setStyleSheet(f"QToolButton {{ background: {colour}; {SWATCH_BORDER} }}")
        button.clicked.connect(lambda: self.pick_colour(colour))
        return button

    def set_model_available(self, available: bool) -> None:
        """Without a model, "Model" cannot be picked; "Automatic" means the fallback then."""
        entry = self.remover.model().item(_index(REMOVERS, "model"))  # type: ignore[attr-defined]
        entry.setEnabled(available)
        entry.setToolTip("" if available else "No model installed: run `studio models install`")

    def pick_colour(self, colour: str) -> None:
        """Use a colour fill of `colour`, as a click on its swatch does."""
        self._loading = True
        self.colour.setText(colour)
        self.fill.setCurrentIndex(_index(FILLS, "color"))
        self._loading = False
        self.recipe = self._set_fill(self.recipe)
        self._update_enabled()
        self.edited.emit(self.recipe, "Background colour")

    # Reading a recipe into the controls
    def show_recipe(self, recipe: Recipe) -> None:
        self._loading = True
        self.recipe = recipe
        removal: RemoveBackground | None = recipe.find(RemoveBackground)
        self.remove.setChecked(removal is not None)
        self.remover.setCurrentIndex(_index(REMOVERS, removal.remover if removal else "auto"))
        self.refine.setChecked(removal is None or removal.refine)
        self.clean_edges.setChecked(removal is not None and removal.clean_edges)
        background: Background | None = recipe.find(Background)
        self.fill.setCurrentIndex(_index(FILLS, background.fill if background else None))
        self.colour.setText(background.color if background else "#ffffff")
        shadow: Shadow | None = recipe.find(Shadow)
        self.shadow.setChecked(shadow is not None)
        self.shadow_strength.set_value(round((shadow or Shadow()).opacity * 100))
        canvas: Canvas | None = recipe.find(Canvas)
        self.canvas.setCurrentIndex(_index(CANVASES, canvas.aspect if canvas else None))
        self.margin.set_value(round((recipe.find(FitSubject) or FitSubject()).margin_pct))
        adjust: AutoAdjust | None = recipe.find(AutoAdjust)
        self.auto.setChecked(adjust is not None and (adjust.exposure or adjust.white_balance))
        self.brightness.set_value(round((adjust.brightness if adjust else 0.0) * 100))
        self._loading = False
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.remover.setEnabled(self.remove.isChecked())
        self.refine.setEnabled(self.remove.isChecked())
        self.clean_edges.setEnabled(self.remove.isChecked())
        self.colour.setEnabled(self.fill.currentData() in ("color", "gradient"))
        self.shadow_strength.setEnabled(self.shadow.isChecked())
        self.margin.setEnabled(self.canvas.currentData() is not None)

    # Each control's patch of the recipe
    def _set_removal(self, recipe: Recipe) -> Recipe:
        if not self.remove.isChecked():
            return recipe.without(RemoveBackground)
        current = recipe.find(RemoveBackground) or RemoveBackground()
        return recipe.with_step(
            replace(
                current,
                remover=self.remover.currentData(),
                refine=self.refine.isChecked(),
                clean_edges=self.clean_edges.isChecked(),
            )
        )

    def _set_fill(self, recipe: Recipe) -> Recipe:
        fill = self.fill.currentData()
        if fill is None:
            return recipe.without(Background)
        current = recipe.find(Background) or Background()
        colour = self.colour.text().strip().lower()
        if _HEX.match(colour):
            current = replace(current, color=colour)
        return recipe.with_step(replace(current, fill=fill))

    def _set_shadow(self, recipe: Recipe) -> Recipe:
        if not self.shadow.isChecked():
            return recipe.without(Shadow)
        current = recipe.find(Shadow) or Shadow()
        return recipe.with_step(replace(current, opacity=self.shadow_strength.get() / 100))

    def _set_canvas(self, recipe: Recipe) -> Recipe:
        aspect = self.canvas.currentData()
        if aspect is None:
            return recipe.without(Canvas).without(FitSubject)
        canvas = replace(recipe.find(Canvas) or Canvas(), aspect=aspect)
        fit = replace(recipe.find(FitSubject) or FitSubject(), margin_pct=self.margin.get())
        return recipe.with_step(canvas).with_step(fit)

    def _set_light(self, recipe: Recipe) -> Recipe:
        automatic = self.auto.isChecked()
        brightness = self.brightness.get() / 100
        if not automatic and brightness == 0:
            return recipe.without(AutoAdjust)
        current = recipe.find(AutoAdjust) or AutoAdjust()
        return recipe.with_step(
            replace(current, exposure=automatic, white_balance=automatic, brightness=brightness)
        )


def _combo(choices: tuple[tuple[str, str | None], ...]) -> QComboBox:
    combo = QComboBox()
    for text, value in choices:
        combo.addItem(text, value)
    return combo


def _index(choices: tuple[tuple[str, str | None], ...], value: str | None) -> int:
    return next((n for n, (_text, v) in enumerate(choices) if v == value), 0)


def _form(*rows: tuple[str, QWidget]) -> QFormLayout:
    form = QFormLayout()
    form.setContentsMargins(0, 0, 0, 0)
    for label, widget in rows:
        form.addRow(label, widget)
    return form


def _group(title: str, *parts: QWidget | QFormLayout) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setSpacing(6)
    for part in parts:
        if isinstance(part, QFormLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return box
