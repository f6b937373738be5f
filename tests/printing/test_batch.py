"""Today's batch: the pick list, then per order its slip, label and card, in packing order."""

from studio.orders import service as orders
from studio.printing.documents import Documents
from studio.printing.output import write_pdf

from .conftest import page_size, page_text, pdf_pages


def test_batch_pages_come_in_packing_order(make_order, shop, database, data_dir, tmp_path):
    first = make_order("500001", buyer="Imogen Valdivia")
    second = make_order("500002", buyer="Casimir Thornbury", label=False)
    with database.transaction() as session:
        views = orders.load_orders(session, [first, second])
        documents = Documents(session, data_dir)
        pages = documents.batch(views)
    assert [p.caption for p in pages] == [
        "Pick list, page 1",
        "Packing slip 500001",
        "Label 500001",
        "Thank-you card 500001",
        "Packing slip 500002",
        "Thank-you card 500002",
    ]
    assert documents.warnings == ["Order 500002 has no shipping label yet."]
    pdf = pdf_pages(write_pdf(pages, tmp_path / "batch.pdf"))
    assert [page_size(p) for p in pdf] == [(612.0, 792.0)] + [(288.0, 432.0)] * 5
    assert "Imogen" in page_text(pdf[3]) and "Casimir" in page_text(pdf[5])


def test_todays_batch_is_every_order_to_ship_due_first(make_order, database) -> None:
    from datetime import UTC, datetime, timedelta

    from studio.orders.tables import Order

    late = make_order("500010")
    urgent = make_order("500011")
    shipped = make_order("500012")
    with database.transaction() as session:
        order = session.get(Order, urgent)
        order.ship_by = datetime.now(UTC) + timedelta(hours=3)
        session.add(order)
        orders.mark_shipped(session, shipped, "1Z999")
    with database.session() as session:
        assert [v.id for v in orders.todays_batch(session)] == [urgent, late]
