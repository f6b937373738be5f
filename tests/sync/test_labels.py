"""Shipping labels fetched by sync go through the same keeper as a label the seller picks."""

import httpx
from market_buyers import new_buyer
from sqlmodel import select

from studio.orders.labels import label_file, labels_dir
from studio.orders.tables import Order
from studio.sync.tables import ListingLink


def _login_page(request: httpx.Request, _forward) -> httpx.Response:
    """What a captive portal or a proxy's sign-in answers instead of the PDF."""
    return httpx.Response(200, request=request, html="<html><body>Sign in</body></html>")


def test_a_label_that_is_not_a_pdf_is_not_kept_and_is_asked_for_again(studio):
    item = studio.add_item(title="Mohair cardigan")
    engine = studio.engine()
    engine.cycle()
    with studio.database.session() as session:
        link = session.exec(select(ListingLink).where(ListingLink.item_id == item.id)).one()
    new_buyer(studio.market.base_url, "Sunniva Eckhart").buy(link.remote_id)
    studio.faults.add("GET /v1/orders/", _login_page)

    first = engine.cycle()

    with studio.database.session() as session:
        order = session.exec(select(Order)).one()
    assert (first.labels, order.label_hash) == (0, "")
    assert not labels_dir(studio.data_dir).exists()

    second = engine.cycle()

    with studio.database.session() as session:
        order = session.exec(select(Order)).one()
    label = label_file(studio.data_dir, order.label_hash)
    assert second.labels == 1 and label is not None
    assert label.read_bytes().startswith(b"%PDF")
