"""Expenses and mileage, and the yearly profit and loss a reseller files.

Sales come from insights (orders and items sold by hand), their cost of goods from what each
item cost. Expenses are what the seller records: supplies, marketplace subscriptions,
sourcing trips. Mileage is kept in miles and priced at the year's rate per mile, which the
seller sets to their tax authority's standard rate (70 cents, the US rate for 2025, until
they do).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, col, select

from studio.money import MoneyError, parse_money, to_cents
from studio.seller_tools.insights import Totals, sales
from studio.seller_tools.tables import Expense, MileageRate

MILEAGE = "Mileage"
CATEGORIES = ("Supplies", "Shipping supplies", "Sourcing", "Subscriptions", "Equipment", MILEAGE)
DEFAULT_TENTH_CENTS_PER_MILE = 700
MAX_CENTS = 100_000_000  # a million: anything above is a typo


class ExpenseError(ValueError):
    """An expense that cannot be recorded; the message says what to enter instead."""


def add_expense(
    session: Session, spent_on: date, category: str, amount: str, note: str = ""
) -> Expense:
    """An expense in money, or for MILEAGE a distance in miles ("42.5")."""
    category = " ".join(category.split())
    if not category:
        raise ExpenseError("Choose a category, e.g. Supplies.")
    row = Expense(spent_on=spent_on, category=category, note=note.strip())
    try:
        value = parse_money(amount)
    except MoneyError as error:  # says what is wrong: not a number, too large, or cents
        raise ExpenseError(str(error)) from None
    cents = to_cents(value) or 0
    if cents <= 0:
        raise ExpenseError(f"{amount} is not an amount to record; enter more than 0")
    if cents >= MAX_CENTS:
        raise ExpenseError(f"{amount} is more than a million; check the number")
    if category == MILEAGE:
        row.miles_tenths = int((value * 10).to_integral_value(rounding=ROUND_HALF_UP))
    else:
        row.amount_cents = cents
    session.add(row)
    session.flush()
    return row


def delete_expense(session: Session, expense_id: int) -> None:
    row = session.get(Expense, expense_id)
    if row is not None:
        session.delete(row)
        session.flush()


def expenses(session: Session, start: date, end: date) -> list[Expense]:
    query = select(Expense).where(Expense.spent_on >= start, Expense.spent_on <= end)
    return list(session.exec(query.order_by(col(Expense.spent_on), col(Expense.id))))


def mileage_rate(session: Session, year: int) -> int:
    """Tenths of a cent per mile for the year."""
    row = session.get(MileageRate, year)
    return row.tenth_cents_per_mile if row else DEFAULT_TENTH_CENTS_PER_MILE


def set_mileage_rate(session: Session, year: int, cents_per_mile: str) -> None:
    try:
        value = Decimal(cents_per_mile.strip())
    except ArithmeticError:
        raise ExpenseError(
            f"'{cents_per_mile}' is not a rate; enter cents per mile, e.g. 70"
        ) from None
    if not 0 < value < 1000:
        raise ExpenseError("Enter the rate in cents per mile, between 0 and 1000.")
    row = session.get(MileageRate, year) or MileageRate(year=year, tenth_cents_per_mile=0)
    row.tenth_cents_per_mile = int((value * 10).to_integral_value(rounding=ROUND_HALF_UP))
    session.add(row)
    session.flush()


def cost_of(row: Expense, tenth_cents_per_mile: int) -> int:
    if row.miles_tenths is None:
        return row.amount_cents
    # tenths of a mile times tenths of a cent: hundredths of a cent
    return int(
        (Decimal(row.miles_tenths * tenth_cents_per_mile) / 100).to_integral_value(ROUND_HALF_UP)
    )


@dataclass
class ProfitAndLoss:
    year: int
    sales: Totals
    expenses_by_category: dict[str, int] = field(default_factory=dict)
    miles_tenths: int = 0
    tenth_cents_per_mile: int = DEFAULT_TENTH_CENTS_PER_MILE

    @property
    def gross_profit_cents(self) -> int:
        """Revenue less the cost of the goods sold, the marketplace fees and postage."""
        return self.sales.profit_cents

    @property
    def expenses_cents(self) -> int:
        return sum(self.expenses_by_category.values())

    @property
    def net_profit_cents(self) -> int:
        return self.gross_profit_cents - self.expenses_cents


def profit_and_loss(session: Session, year: int) -> ProfitAndLoss:
    start, end = date(year, 1, 1), date(year, 12, 31)
    totals = Totals()
    for sale in sales(session, start, end):
        totals.add(sale)
    rate = mileage_rate(session, year)
    report = ProfitAndLoss(year, totals, tenth_cents_per_mile=rate)
    for row in expenses(session, start, end):
        report.expenses_by_category[row.category] = report.expenses_by_category.get(
            row.category, 0
        ) + cost_of(row, rate)
        report.miles_tenths += row.miles_tenths or 0
    return report
