"""A made-up order for previews of templates and layouts before any real order exists."""

from datetime import UTC, datetime

from studio.orders.service import LineView, OrderView

SAMPLE_ORDER = OrderView(
    id=0,
    number="100231",
    status="to_ship",
    buyer_name="Ava Quillfeather",
    buyer_username="avaq",
    address_lines=("27 Juniper Row", "Fernhill OR 97000", "US"),
    country="US",
    total_cents=4800,
    shipping_cents=0,
    buyer_note="",
    tracking_number="",
    label_hash="",
    ordered_at=datetime(2026, 1, 5, 15, 30, tzinfo=UTC),
    ship_by=None,
    shipped_at=None,
    lines=(LineView("TOP-0042", "Vintage wool cardigan", 4800, None, "B2", None),),
)
