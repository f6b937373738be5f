"""Import listings: what an import of a marketplace's listings would do, shown before it runs.

The dialog reads the chosen marketplace's listings and plans their import (studio/sync/
closet_import.py) without writing anything; the seller sees how many would be linked to
items they have, created, or left alone and why, and confirms. The import itself then runs
as a task with the status bar's progress and Cancel; the dialog has closed by then, and says
how it ended through `finished` (the section shows it in its banner).
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget
from sqlmodel import Session, col, select

from studio.sync import closet_import
from studio.sync.closet_import import ImportPlan, ImportReport
from studio.sync.connection import build_client
from studio.sync.tables import MarketplaceAccount
from studio.ui.confirm import confirm
from studio.ui.dialog_buttons import action_buttons
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services
from studio.ui.tasks import Task, TaskContext

INTRO = (
    "Bring in the listings you already have on a marketplace. Each one is first matched with "
    "your items, by SKU, then by title, price and cover photo: a match is linked to your item, "
    "and only a listing that matches nothing becomes a new item, with its photos, likes and "
    "offers. Nothing is changed until you confirm."
)
STOPPED = (
    "Import stopped. The listings imported so far are kept; import again to carry on where "
    "it stopped."
)


def _account_names(session: Session) -> list[str]:
    query = select(MarketplaceAccount.name).order_by(col(MarketplaceAccount.connected_at))
    return list(session.exec(query).all())


class ImportListingsDialog(QDialog):
    finished_import = Signal(bool, str)  # (ended well, what happened in words)

    def __init__(
        self, services: Services, parent: QWidget | None = None, name: str | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.wanted = name
        self.plan: ImportPlan | None = None
        self.reading: Task | None = None
        self.importing: Task | None = None
        self.setWindowTitle("Import listings")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.account = QComboBox()
        self.account.currentTextChanged.connect(self.check)
        self.summary = QLabel("Reading the connected marketplaces…")
        self.summary.setWordWrap(True)
        self.left_alone = ReadOnlyTable(["Listing", "Left alone because"], 1)
        self.left_alone.hide()
        buttons, self.import_button = action_buttons(self, "Import", self.confirm_import)
        self.import_button.setEnabled(False)
        form = QFormLayout()
        form.addRow("Marketplace", self.account)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.left_alone, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)
        services.runner.query(
            "Reading the connected marketplaces",
            _account_names,
            on_done=self._show_accounts,
            on_error=lambda error: self.summary.setText(f"Reading them failed: {error}"),
        )

    def _show_accounts(self, names: list[str]) -> None:
        if not names:
            self.summary.setText("No marketplace is connected yet: connect one first.")
            return
        self.account.addItems(names)  # the first one is checked at once
        if self.wanted in names:
            self.account.setCurrentText(self.wanted)

    def check(self, name: str) -> None:
        """Reads the marketplace's listings and plans their import; changes nothing."""
        if not name:
            return
        if self.reading is not None and self.reading.running:
            self.reading.cancel()  # the answer for another marketplace is not wanted now
        self.plan = None
        self.import_button.setEnabled(False)
        self.left_alone.hide()
        self.summary.setText(f"Reading the listings on {name}…")
        database, credentials = self.services.database, self.services.credentials

        def work(context: TaskContext) -> ImportPlan:
            client = build_client(database, credentials, name)
            try:
                return closet_import.preview(
                    database, client, context.progress, context.cancel_event
                )
            finally:
                client.close()

        self.reading = self.services.runner.run(
            f"Reading the listings on {name}",
            work,
            on_done=self._show_plan,
            on_error=lambda error: self._not_read(name, error),
            show_progress=True,
        )

    def _show_plan(self, plan: ImportPlan) -> None:
        if plan.marketplace != self.account.currentText():
            return  # read for a marketplace no longer chosen
        self.plan = plan
        work = len(plan.work)
        self.summary.setText(
            plan.summary() if work else f"{plan.summary()} There is nothing to import."
        )
        self.left_alone.fill(
            [
                (decision.listing.id, (f"{decision.listing.id} {decision.title}", decision.reason))
                for decision in plan.left_alone
            ]
        )
        self.left_alone.setVisible(bool(plan.left_alone))
        self.import_button.setText(f"Import {work:,} listing(s)" if work else "Import")
        self.import_button.setEnabled(work > 0)

    def _not_read(self, name: str, error: BaseException) -> None:
        if name == self.account.currentText():
            self.summary.setText(f"Could not read the listings on {name}: {error}")

    def confirm_import(self) -> None:
        plan = self.plan
        if plan is None or not plan.work:
            return
        question = (
            f"Create {len(plan.to_create):,} new item(s) and link {len(plan.to_link):,} "
            f"listing(s) to items you have, from {plan.marketplace}? "
            f"{len(plan.left_alone):,} listing(s) are left alone. You can stop it at any time "
            "with Cancel in the status bar; what was imported stays."
        )
        if not confirm(self, "Import listings", question, f"Import {len(plan.work):,} listing(s)"):
            return
        self.importing = self.start_import(plan.marketplace)
        self.accept()

    def start_import(self, name: str) -> Task:
        database, credentials = self.services.database, self.services.credentials
        data_dir = self.services.data_dir

        def work(context: TaskContext) -> ImportReport:
            client = build_client(database, credentials, name)
            try:
                return closet_import.run_import(
                    database, data_dir, client, context.progress, context.cancel_event
                )
            finally:
                client.close()

        # On the read pool, not the writer thread: the import commits a batch at a time, so
        # the seller's own edits go in between instead of waiting minutes behind it.
        task = self.services.runner.run(
            f"Importing listings from {name}",
            work,
            on_done=self._imported,
            on_error=lambda error: self.finished_import.emit(False, str(error)),
            show_progress=True,
            on_cancel=lambda: self.finished_import.emit(True, STOPPED),
        )
        return task

    def _imported(self, report: ImportReport) -> None:
        problems = f" {len(report.problems)} photo(s) could not come in." if report.problems else ""
        self.finished_import.emit(True, report.summary() + problems)

    def reject(self) -> None:
        if self.reading is not None and self.reading.running:
            self.reading.cancel()
        super().reject()
