"""Side by side: for each field both sides changed, keep mine or take theirs."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from studio.sync.status import ConflictLine
from studio.ui.banner import Banner
from studio.ui.dialog_buttons import action_buttons


class ConflictDialog(QDialog):
    """Emits `chosen` on Apply; whoever stores the choice closes the dialog once it is stored,
    or hands the error to `not_applied`."""

    chosen = Signal(object)  # {conflict id: keep mine}

    def __init__(self, conflicts: list[ConflictLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        first = conflicts[0]
        self.setWindowTitle(f"{first.sku}: changed here and on the marketplace")
        self.problem = Banner()
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
        buttons, self.apply_button = action_buttons(self, "Keep the chosen values", self.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def keep_mine(self) -> dict[int, bool]:
        return {conflict_id: mine.isChecked() for conflict_id, (mine, _) in self.choices.items()}

    def apply(self) -> None:
        self.apply_button.setEnabled(False)  # one choice on its way at a time
        self.problem.hide()
        self.chosen.emit(self.keep_mine())

    def not_applied(self, error: BaseException) -> None:
        self.apply_button.setEnabled(True)
        self.problem.show_error(f"Not resolved: {error}")
