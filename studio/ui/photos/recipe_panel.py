"""The right-hand panel: preset, step controls, mask brush, and applying to the selection."""

from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studio.imaging.recipe import Recipe, RemoveBackground
from studio.ui.photos.brush_bar import BrushBar
from studio.ui.photos.preset_bar import PresetBar
from studio.ui.photos.step_controls import StepControls

PANEL_WIDTH = 340


class RecipePanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets = PresetBar()
        self.steps = StepControls()
        self.brush = BrushBar()
        self.selection = QLabel()
        self.selection.setWordWrap(True)
        self.apply_button = QPushButton("Apply to selected photos")
        self.apply_button.setShortcut("Ctrl+Return")
        self.apply_button.setToolTip(
            "Give every selected photo this photo's styling and render them in the background"
            " (Ctrl+Enter)"
        )
        self.apply_button.setStyleSheet("QPushButton { padding: 6px 12px; font-weight: 600; }")

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(10)
        layout.addWidget(_titled("Preset", self.presets))
        layout.addWidget(self.steps)
        layout.addWidget(_titled("Touch up the cut-out", self.brush))
        layout.addWidget(self.selection)
        layout.addWidget(self.apply_button)
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(PANEL_WIDTH)
        self.setMaximumWidth(PANEL_WIDTH + 60)
        self.show_photo(None)
        self.set_selection_count(0)

    def show_photo(self, recipe: Recipe | None) -> None:
        """The photo's recipe into the controls; None when no photo is picked."""
        self.steps.show_recipe(recipe or Recipe())
        for part in (self.presets, self.steps):
            part.setEnabled(recipe is not None)
        self.update_brush(recipe)

    def update_brush(self, recipe: Recipe | None) -> None:
        removal: RemoveBackground | None = recipe.find(RemoveBackground) if recipe else None
        self.brush.set_available(removal is not None, len(removal.strokes) if removal else 0)

    def set_selection_count(self, count: int) -> None:
        self.apply_button.setEnabled(count > 0)
        if count:
            self.selection.setText(f"{count} photo(s) selected in the grid.")
        else:
            self.selection.setText("Select photos in the grid (Ctrl+A for all) to style them.")


def _titled(title: str, content: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(content)
    return box
