"""Expenses, mileage and the yearly profit and loss, against figures worked out by hand."""

from datetime import date

import pytest

from studio.inventory import service as inventory
from studio.seller_tools import expenses


def test_the_yearly_profit_and_loss_adds_up(database, add_item) -> None:
    item = add_item(title="Coach tote", list_price_cents="120", cost_cents="15")
    with database.transaction() as session:
        inventory.update_item(session, item.id, inventory.parse_values({"status": "sold"}))
        year = date.today().year
        expenses.add_expense(session, date(year, 1, 5), "Supplies", "23.40", "poly mailers")
        expenses.add_expense(session, date(year, 2, 9), "Supplies", "6.60")
        expenses.add_expense(session, date(year, 3, 1), expenses.MILEAGE, "42.5", "bins sale")
        expenses.add_expense(session, date(year - 1, 12, 31), "Supplies", "99")  # last year
        expenses.set_mileage_rate(session, year, "67")
        report = expenses.profit_and_loss(session, year)
    assert report.sales.revenue_cents == 12_000
    assert report.gross_profit_cents == 12_000 - 1_500
    # 42.5 miles at 67 cents: 28.475 -> 28.48
    assert report.expenses_by_category == {"Supplies": 3_000, "Mileage": 2_848}
    assert report.miles_tenths == 425
    assert report.net_profit_cents == 10_500 - 3_000 - 2_848


@pytest.mark.parametrize(
    ("category", "amount", "message"),
    [
        ("", "5", "Choose a category"),
        ("Supplies", "lots", "not an amount"),
        ("Supplies", "-3", "more than 0"),
        ("Supplies", "99999999", "too large"),
    ],
)
def test_bad_expenses_say_what_to_enter(database, category, amount, message) -> None:
    with database.transaction() as session, pytest.raises(expenses.ExpenseError, match=message):
        expenses.add_expense(session, date(2026, 1, 1), category, amount)


def test_the_profit_and_loss_prints_as_a_page(qapp, data_dir, database, add_item, tmp_path) -> None:
    """`qapp`: a widgets application first; the command would make a bare QGuiApplication,
    and window tests later in the same run could not build their windows."""
    import pypdf

    from studio.cli import main

    item = add_item(title="Coach tote", list_price_cents="120", cost_cents="15", status="sold")
    assert item.id is not None
    year = date.today().year
    assert (
        main(["--data-dir", str(data_dir), "expenses", "add", f"{year}-01-05", "Supplies", "30"])
        == 0
    )
    assert (
        main(["--data-dir", str(data_dir), "expenses", "add", f"{year}-01-05", "Supplies", "x"])
        == 1
    )
    pdf = tmp_path / "pl.pdf"
    assert main(["--data-dir", str(data_dir), "profit-and-loss", str(year), "--pdf", str(pdf)]) == 0
    (page,) = pypdf.PdfReader(pdf).pages
    text = " ".join(page.extract_text().split())
    assert f"Profit and loss {year}" in text
    assert "Revenue (1 items sold) $120.00" in text
    assert "Net profit $75.00" in text  # 120 - 15 cost - 30 supplies
