"""Insights as JSON (the command line prints what the screen shows), the sales as CSV, and
the yearly profit-and-loss summary for taxes. Money is written as exact decimal strings."""

import csv
import io
from datetime import date
from typing import Any

from sqlmodel import Session

from studio.money import from_cents
from studio.seller_tools.insights import Insights, Totals, sales

CSV_COLUMNS = (
    "sold_at",
    "marketplace",
    "sku",
    "title",
    "brand",
    "category",
    "price",
    "cost",
    "fee",
    "shipping",
    "profit",
    "days_to_sell",
)


def money(cents: int) -> str:
    return str(from_cents(cents))


def totals_json(totals: Totals) -> dict[str, Any]:
    return {
        "sales": totals.sales,
        "revenue": money(totals.revenue_cents),
        "cost": money(totals.cost_cents),
        "fees": money(totals.fees_cents),
        "shipping": money(totals.shipping_cents),
        "profit": money(totals.profit_cents),
    }


def as_json(figures: Insights) -> dict[str, Any]:
    def groups(named: dict[str, Totals]) -> dict[str, Any]:
        return {name: totals_json(t) for name, t in sorted(named.items())}

    def rate(value: Any) -> str | None:
        return None if value is None else str(value)

    return {
        "from": figures.start.isoformat(),
        "to": figures.end.isoformat(),
        "totals": totals_json(figures.totals),
        "sell_through_percent": rate(figures.sell_through),
        "average_days_to_sell": rate(figures.average_days_to_sell),
        "likes_to_sale_percent": rate(figures.likes_to_sale),
        "by_month": groups(figures.by_month),
        "by_marketplace": groups(figures.by_marketplace),
        "by_category": groups(figures.by_category),
        "by_brand": groups(figures.by_brand),
        "best_brands": figures.best(figures.by_brand),
        "worst_brands": figures.worst(figures.by_brand),
        "best_categories": figures.best(figures.by_category),
        "worst_categories": figures.worst(figures.by_category),
        "aged_inventory": [
            {"sku": a.sku, "title": a.title, "days_listed": a.days_listed} for a in figures.aged
        ],
    }


def sales_csv(session: Session, start: date, end: date) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for sale in sales(session, start, end):
        writer.writerow(
            (
                sale.sold_at.astimezone().isoformat(timespec="seconds"),
                sale.marketplace,
                sale.sku,
                sale.title,
                sale.brand,
                sale.category,
                money(sale.price_cents),
                money(sale.cost_cents),
                money(sale.fee_cents),
                money(sale.shipping_cents),
                money(sale.profit_cents),
                "" if sale.days_to_sell is None else sale.days_to_sell,
            )
        )
    return out.getvalue()
