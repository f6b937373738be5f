"""The Insights section: the business at a glance for a date range. Figures, charts by month
and category, best and worst brands, aged inventory, the first-sale checklist or the
milestones, CSV export and the yearly profit-and-loss summary."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.inventory.tables import Item, Photo, utc_now
from studio.money import format_money
from studio.orders.tables import Order, OrderLine
from studio.seller_tools import first_sale
from studio.seller_tools.insights import Insights, insights
from studio.seller_tools.insights_report import sales_csv
from studio.seller_tools.tables import LikersOffer
from studio.sync.tables import Like
from studio.ui.banner import Banner
from studio.ui.insights.charts import GroupChart, MonthChart
from studio.ui.insights.profit_and_loss import ProfitAndLossDialog
from studio.ui.live_read import LiveRead
from studio.ui.services import Services

# What the figures and the first-sale checklist are summed from.
SUMMED_TABLES = tuple(
    table.__tablename__ for table in (Item, Photo, Order, OrderLine, Like, LikersOffer)
)
CARD_STYLE = "background: #f4f5f7; border-radius: 6px; padding: 8px 12px; font-size: 13px;"


@dataclass(frozen=True)
class Snapshot:
    figures: Insights
    progress: first_sale.Progress


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _rate(value: object, suffix: str) -> str:
    return "—" if value is None else f"{value}{suffix}"


class InsightsSection(QWidget):
    shown = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.snapshot: Snapshot | None = None
        self.banner = Banner()
        today = date.today()
        self.start = QDateEdit(_qdate(date(today.year, 1, 1)), calendarPopup=True)
        self.end = QDateEdit(_qdate(today), calendarPopup=True)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self.refresh)
        export = QPushButton("Export sales as CSV…")
        export.clicked.connect(lambda: self.export_csv())
        yearly = QPushButton("Expenses and profit and loss…")
        yearly.clicked.connect(self.show_year)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("From"))
        tools.addWidget(self.start)
        tools.addWidget(QLabel("to"))
        tools.addWidget(self.end)
        tools.addStretch(1)
        tools.addWidget(yearly)
        tools.addWidget(export)
        self.cards: dict[str, QLabel] = {}
        cards = QGridLayout()
        names = ("Sales", "Revenue", "Profit", "Sell-through", "Days to sell", "Likes → sale")
        for index, name in enumerate(names):
            card = QLabel()
            card.setStyleSheet(CARD_STYLE)
            self.cards[name] = card
            cards.addWidget(card, 0, index)
        self.months = MonthChart()
        self.categories = GroupChart("Profit by category")
        charts = QHBoxLayout()
        charts.addWidget(self.months.view, 3)
        charts.addWidget(self.categories.view, 2)
        self.brands = QLabel()
        self.brands.setWordWrap(True)
        self.brands.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.aged = QListWidget()
        self.guide = QListWidget()
        lists = QHBoxLayout()
        for heading, widget in (
            ("Brands and marketplaces", self.brands),
            ("Aged: listed over 90 days, no likes", self.aged),
            ("Your progress", self.guide),
        ):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{heading}</b>"))
            column.addWidget(widget, 1)
            lists.addLayout(column, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(tools)
        layout.addLayout(cards)
        layout.addLayout(charts, 3)
        layout.addLayout(lists, 2)
        self.reads = LiveRead(
            services,
            "Reading insights",
            self._reader,
            self._show,
            lambda changes: changes.touches(*SUMMED_TABLES),
            lambda error: self.banner.show_error(f"Reading insights failed: {error}"),
            self,
        )
        self.refresh()

    def refresh(self) -> None:
        self.reads.refresh()

    def _reader(self) -> Callable[[Session], Snapshot]:
        start, end = _date(self.start.date()), _date(self.end.date())

        def read(session: Session) -> Snapshot:
            return Snapshot(insights(session, start, end, utc_now()), first_sale.progress(session))

        return read

    def _show(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        figures, totals = snapshot.figures, snapshot.figures.totals
        values = {
            "Sales": str(totals.sales),
            "Revenue": format_money(totals.revenue_cents),
            "Profit": format_money(totals.profit_cents),
            "Sell-through": _rate(figures.sell_through, "%"),
            "Days to sell": _rate(figures.average_days_to_sell, " days"),
            "Likes → sale": _rate(figures.likes_to_sale, "%"),
        }
        for name, value in values.items():
            self.cards[name].setText(f"{name}<br><b style='font-size: 18px'>{value}</b>")
        self.months.show(figures.by_month)
        self.categories.show(figures.by_category)

        def names(items: list[str]) -> str:
            return ", ".join(items) or "—"

        markets = ", ".join(
            f"{name}: {format_money(t.revenue_cents)}"
            for name, t in sorted(figures.by_marketplace.items())
        )
        self.brands.setText(
            f"Best brands: {names(figures.best(figures.by_brand))}<br>"
            f"Worst brands: {names(figures.worst(figures.by_brand))}<br>"
            f"Best categories: {names(figures.best(figures.by_category))}<br>"
            f"Worst categories: {names(figures.worst(figures.by_category))}<br>"
            f"By marketplace: {markets or '—'}"
        )
        self.aged.clear()
        for aged in figures.aged:
            self.aged.addItem(f"{aged.sku}  {aged.title} — {aged.days_listed} days")
        self.guide.clear()
        progress = snapshot.progress
        for step in progress.checklist:
            self.guide.addItem(f"{'✓' if step.done else '○'} {step.title}: {step.detail}")
        if not progress.checklist:
            for milestone in progress.milestones:
                mark = "★" if milestone.reached else "☆"
                self.guide.addItem(f"{mark} {milestone.title} ({milestone.progress})")
        self.shown.emit()

    def export_csv(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, "Export sales", "sales.csv")
            if not chosen:
                return
            path = Path(chosen)
        start, end = _date(self.start.date()), _date(self.end.date())

        def export(session: Session) -> Path:
            path.write_text(sales_csv(session, start, end), encoding="utf-8")
            return path

        self.services.runner.query(
            "Exporting sales",
            export,
            on_done=lambda written: self.banner.show_info(f"Saved the sales to {written}."),
            on_error=lambda error: self.banner.show_error(f"Could not save: {error}"),
        )

    def show_year(self) -> None:
        """Expenses, mileage and the year's profit and loss, for the year of the range's end."""
        self.year_dialog = ProfitAndLossDialog(self.services, _date(self.end.date()).year, self)
        self.year_dialog.open()
