"""The year's expenses and mileage, entered by hand, and the profit and loss they make with
the year's sales: what a reseller files, saved as a printable PDF page."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from studio.money import format_money
from studio.printing.settings import shop_profile
from studio.seller_tools import expenses
from studio.seller_tools.tables import Expense, MileageRate
from studio.ui.banner import Banner
from studio.ui.dialog_buttons import action_buttons
from studio.ui.live_read import LiveRead
from studio.ui.read_only_table import ReadOnlyTable
from studio.ui.services import Services

# Sales move the figures too, so any write to these is a reason to read again.
SUMMED_TABLES = (Expense.__tablename__, MileageRate.__tablename__, "item", "orders", "order_line")


@dataclass(frozen=True)
class Year:
    report: expenses.ProfitAndLoss
    rows: list[Expense]
    shop_name: str


class ProfitAndLossDialog(QDialog):
    def __init__(self, services: Services, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Expenses and profit and loss")
        self.services = services
        self.current: Year | None = None
        self.banner = Banner()
        self.year = QSpinBox(minimum=2000, maximum=2100, value=year)
        self.year.valueChanged.connect(lambda _year: self.reads.refresh())
        self.table = ReadOnlyTable(["Date", "Category", "Amount", "Note"], 3)
        delete = QPushButton("Delete the selected expense")
        delete.setAutoDefault(False)
        delete.clicked.connect(self.delete_selected)
        self.day = QDateEdit(QDate.currentDate(), calendarPopup=True)
        self.category = QComboBox(editable=True)
        self.category.addItems(list(expenses.CATEGORIES))
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("12.50, or miles for Mileage")
        self.note = QLineEdit()
        self.note.setPlaceholderText("what for (optional)")
        add = QPushButton("Add")
        add.clicked.connect(self.add_expense)
        self.rate = QLineEdit()
        self.rate.setPlaceholderText("cents a mile")
        self.rate.setMaximumWidth(110)
        set_rate = QPushButton("Set mileage rate")
        set_rate.setAutoDefault(False)
        set_rate.clicked.connect(self.set_rate)
        self.figures = QLabel()
        entry = QHBoxLayout()
        for widget in (self.day, self.category, self.amount, self.note, add):
            entry.addWidget(widget)
        top = QHBoxLayout()
        top.addWidget(QLabel("Year"))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.rate)
        top.addWidget(set_rate)
        buttons, save = action_buttons(self, "Save as PDF…", self.save_pdf, cancel="Close")
        # Entering expenses is what this dialog is mostly for: Enter adds the one typed.
        save.setDefault(False)
        save.setAutoDefault(False)
        add.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(delete)
        layout.addLayout(entry)
        layout.addWidget(self.figures)
        layout.addWidget(buttons)
        self.resize(820, 600)
        self.reads = LiveRead(
            services,
            "Reading the year's figures",
            self._reader,
            self._show,
            lambda changes: changes.touches(*SUMMED_TABLES),
            lambda error: self.banner.show_error(f"Reading the year failed: {error}"),
            self,
        )
        self.reads.refresh()

    def _reader(self) -> Callable[[Session], Year]:
        year = self.year.value()

        def read(session: Session) -> Year:
            rows = expenses.expenses(session, date(year, 1, 1), date(year, 12, 31))
            report = expenses.profit_and_loss(session, year)
            return Year(report, rows, shop_profile(session).shop_name)

        return read

    def _show(self, year: Year) -> None:
        self.current = year
        report, rate = year.report, year.report.tenth_cents_per_mile
        self.table.fill(
            [
                (
                    row.id,
                    (
                        f"{row.spent_on}",
                        row.category,
                        format_money(expenses.cost_of(row, rate))
                        + (f" ({row.miles_tenths / 10:g} mi)" if row.miles_tenths else ""),
                        row.note,
                    ),
                )
                for row in year.rows
            ]
        )
        self.rate.setPlaceholderText(f"{rate / 10:g}¢ a mile")
        sales = report.sales
        self.figures.setText(
            f"<b>{report.year}</b>: revenue {format_money(sales.revenue_cents)} from "
            f"{sales.sales} sale(s) · gross profit {format_money(report.gross_profit_cents)} · "
            f"expenses {format_money(report.expenses_cents)} · "
            f"<b>net profit {format_money(report.net_profit_cents)}</b>"
        )

    def add_expense(self) -> None:
        qdate, category = self.day.date(), self.category.currentText()
        spent_on = date(qdate.year(), qdate.month(), qdate.day())
        amount, note = self.amount.text(), self.note.text()

        def change(session: Session) -> None:
            expenses.add_expense(session, spent_on, category, amount, note)

        self._write(
            "Adding the expense", change, after=lambda: (self.amount.clear(), self.note.clear())
        )

    def delete_selected(self) -> None:
        chosen = self.table.selected_id()
        if isinstance(chosen, int):
            self._write("Deleting the expense", lambda s: expenses.delete_expense(s, chosen))

    def set_rate(self) -> None:
        year, cents = self.year.value(), self.rate.text()
        self._write(
            "Setting the mileage rate",
            lambda session: expenses.set_mileage_rate(session, year, cents),
            after=self.rate.clear,
        )

    def _write(
        self,
        label: str,
        change: Callable[[Session], None],
        after: Callable[[], object] = lambda: None,
    ) -> None:
        self.services.runner.write(
            label,
            change,
            on_done=lambda _none: (self.banner.hide(), after()),
            on_error=lambda error: self.banner.show_error(str(error)),
        )

    def save_pdf(self) -> None:
        if self.current is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self,
            "Save the profit and loss",
            f"profit-and-loss-{self.year.value()}.pdf",
            "PDF (*.pdf)",
        )
        if path:
            self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> None:
        from studio.printing.output import write_pdf
        from studio.printing.profit_and_loss import profit_and_loss_page

        assert self.current is not None
        page = profit_and_loss_page(self.current.report, self.current.shop_name, date.today())
        write_pdf([page], path)
        self.banner.show_info(f"Saved {path.name}.")
