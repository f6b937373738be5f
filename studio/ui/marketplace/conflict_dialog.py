"""Side by side: for each field both sides changed, keep mine or take theirs."""

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from studio.sync.status import ConflictLine


class ConflictDialog(QDialog):
    def __init__(
        self,
        conflicts: list[ConflictLine],
        resolve: Callable[[dict[int, bool]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        first = conflicts[0]
        self.setWindowTitle(f"{first.sku}: changed here and on the marketplace")
        self._resolve = resolve
        intro = QLabel(
            f"<b>{first.title}</b> was changed both here and on the marketplace since the "
            "last sync. Pick, for each field, the value to keep everywhere."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        for column, heading in enumerate(("", "Mine (this computer)", "Theirs (marketplace)")):
            grid.addWidget(QLabel(f"<b>{heading}</b>"), 0, column)
        self.choices: dict[int, tuple[QRadioButton, QRadioButton]] = {}  # (mine, theirs)
        for row, conflict in enumerate(conflicts, start=1):
            mine, theirs = QRadioButton(conflict.mine), QRadioButton(conflict.theirs)
            mine.setChecked(True)
            group = QButtonGroup(self)
            group.addButton(mine)
            group.addButton(theirs)
            grid.addWidget(QLabel(conflict.field.replace("_cents", "").replace("_", " ")), row, 0)
            grid.addWidget(mine, row, 1)
            grid.addWidget(theirs, row, 2)
            self.choices[conflict.conflict_id] = (mine, theirs)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def keep_mine(self) -> dict[int, bool]:
        return {conflict_id: mine.isChecked() for conflict_id, (mine, _) in self.choices.items()}

    def apply(self) -> None:
        self._resolve(self.keep_mine())
        self.accept()
