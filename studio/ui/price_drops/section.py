"""The Price Drops section: plan drops for the items selected in Inventory (a % every so many
days, down to the floor), see each plan as a timeline, cancel one. The plans run as the
stored seller-tools job the bootstrap installs, so they keep going after a restart."""

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.money import format_money
from studio.seller_tools import price_drops
from studio.seller_tools.price_drops import PlanView
from studio.seller_tools.tables import PriceDropPlan, PriceDropStep
from studio.storage.changes import Changes
from studio.ui.banner import Banner
from studio.ui.live_read import LiveRead
from studio.ui.price_drops.timeline import Timeline
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services


class PriceDropsSection(QWidget):
    shown = Signal()

    def __init__(
        self,
        services: Services,
        selected_items: Callable[[], list[int]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.selected_items = selected_items
        self.plans: list[PlanView] = []
        self.banner = Banner()
        self.percent = QSpinBox(minimum=1, maximum=50, value=10, suffix=" %")
        self.every = QSpinBox(minimum=1, maximum=90, value=7, suffix=" days")
        plan = QPushButton("Plan for the items selected in Inventory")
        plan.clicked.connect(self.plan_selected)
        cancel = QPushButton("Cancel plan")
        cancel.clicked.connect(self.cancel_selected)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Drop"))
        tools.addWidget(self.percent)
        tools.addWidget(QLabel("every"))
        tools.addWidget(self.every)
        tools.addWidget(QLabel("until the floor price"))
        tools.addWidget(plan)
        tools.addStretch(1)
        tools.addWidget(cancel)
        self.table = ReadOnlyTable(["Item", "Plan", "Now", "Floor", "Next step", "Status"], 0)
        self.table.itemSelectionChanged.connect(self._show_timeline)
        self.timeline = Timeline()
        note = QLabel(
            "A cut of 10% or more tells every liker about the new price. Plans stop at the "
            "floor and are cancelled when the item sells."
        )
        note.setStyleSheet("color: #6b7280;")
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.timeline)
        splitter.setSizes([640, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(tools)
        layout.addWidget(note)
        layout.addWidget(splitter, 1)
        self.reads = LiveRead(
            services,
            "Reading price-drop plans",
            lambda: price_drops.timelines,
            self._show,
            self._affected,
            lambda error: self.banner.show_error(f"Reading the plans failed: {error}"),
            self,
        )
        self.refresh()

    def refresh(self) -> None:
        self.reads.refresh()

    def _affected(self, changes: Changes) -> bool:
        # The scheduled job takes steps and cancels plans of sold items; the items shown
        # count too, for their titles.
        plans = changes.touches(PriceDropPlan.__tablename__, PriceDropStep.__tablename__)
        return plans or not changes.items.isdisjoint(p.item_id for p in self.plans)

    def _show(self, plans: list[PlanView]) -> None:
        self.plans = plans
        rows = []
        for plan in plans:
            done = [s for s in plan.steps if s.state == "done"]
            upcoming = next((s for s in plan.steps if s.state == "planned"), None)
            now = done[-1].price_cents if done else plan.start_cents
            next_text = (
                f"{upcoming.due_at.astimezone():%d %b}: {format_money(upcoming.price_cents)}"
                if upcoming
                else "—"
            )
            status = plan.status + (f" ({plan.note})" if plan.note else "")
            rule = f"{plan.percent}% every {plan.every_days} d"
            cells = (plan.title, rule, format_money(now), format_money(plan.stop_cents))
            rows.append((plan.id, (*cells, next_text, status)))
        self.table.fill(rows)
        if plans and self.table.selected_id() is None:
            self.table.selectRow(0)  # a timeline to look at rather than an empty chart
        self._show_timeline()
        self.shown.emit()

    def _show_timeline(self) -> None:
        chosen = self.table.selected_id()
        self.timeline.show_plan(next((p for p in self.plans if p.id == chosen), None))

    def plan_selected(self) -> None:
        ids = self.selected_items()
        if not ids:
            self.banner.show_error("Select items in Inventory first, then plan their drops here.")
            return
        percent, every = self.percent.value(), self.every.value()

        def change(session: Session) -> list[str]:
            # Each plan checks its item before writing anything, so a refused one leaves the
            # others to be stored in the same transaction.
            problems = []
            for item_id in ids:
                try:
                    price_drops.create_plan(session, item_id, percent, every)
                except price_drops.PlanError as error:
                    problems.append(str(error))
            return problems

        def done(problems: list[str]) -> None:
            made = len(ids) - len(problems)
            if problems:
                self.banner.show_error(f"Planned {made}; not planned: " + " ".join(problems))
            else:
                self.banner.show_info(f"Planned price drops for {made} item(s).")

        self.services.runner.write(
            "Planning price drops", change, on_done=done, on_error=self._failed
        )

    def cancel_selected(self) -> None:
        chosen = self.table.selected_id()
        if not isinstance(chosen, int):
            self.banner.show_error("Select a plan first.")
            return
        self.services.runner.write(
            "Cancelling the plan",
            lambda session: price_drops.cancel_plan(session, chosen),
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.banner.show_error(str(error))
