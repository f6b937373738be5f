"""Each layout rendered to a PDF with QPdfWriter and read back: page size in points, the
text, and the barcodes decoded by zxing-cpp from poppler's rendering of the page."""

import re

import pytest

from studio.orders.service import load_orders
from studio.printing.calibration import calibration_page
from studio.printing.output import write_pdf
from studio.printing.paper import PAPERS

from .conftest import (
    CLOSET_URL,
    barcodes,
    ink_margins,
    normalised,
    page_size,
    page_text,
    pdf_pages,
    rasterise,
    set_paper,
)

TWO_ITEMS = (
    ("TOP-0001", "Linen shirt", 2400, "B10"),
    ("DRS-0042", "Floral wrap dress", 5600, "B2"),
)


def build(database, data_dir, kind, order_ids, tmp_path, name="out.pdf"):
    from studio.printing.documents import Documents

    with database.transaction() as session:
        documents = Documents(session, data_dir)
        pages = getattr(documents, kind)(load_orders(session, order_ids))
    return write_pdf(pages, tmp_path / name), pages


def test_pick_list_is_letter_grouped_by_bin(make_order, shop, database, data_dir, tmp_path) -> None:
    a = make_order("300001", lines=TWO_ITEMS)
    b = make_order("300002", lines=(("JKT-0007", "Denim jacket", 4500, ""),))
    pdf, _pages = build(database, data_dir, "pick_list", [a, b], tmp_path)
    (page,) = pdf_pages(pdf)
    assert page_size(page) == (612.0, 792.0)
    text = page_text(page)
    assert "Pick list" in text and "2 orders · 3 items" in text
    positions = [
        text.index(s)
        for s in ("Bin B2", "DRS-0042", "Bin B10", "TOP-0001", "No bin recorded", "JKT-0007")
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("paper", "size"), [("4x6", (288.0, 432.0)), ("letter", (612.0, 792.0)), ("a4", (595.3, 841.9))]
)
def test_packing_slip_sizes_text_and_barcode(
    paper, size, make_order, shop, database, data_dir, tmp_path
) -> None:
    set_paper(database, "slip", paper)
    order_id = make_order("300010", buyer="Wren Abernathy-Solis", lines=TWO_ITEMS)
    pdf, _pages = build(database, data_dir, "slips", [order_id], tmp_path)
    (page,) = pdf_pages(pdf)
    assert page_size(page) == pytest.approx(size, abs=0.5)  # PDF pages are whole points
    text = page_text(page)
    for expected in (
        "Second Rack Vintage",
        "Order 300010",
        "Wren Abernathy-Solis",
        "14 Orchard Lane",
        "Apt 3",
        "Millbrook NY 12545",
        "Linen shirt",
        "SKU DRS-0042",
        "$56.00",
        "Total $80.00",
        "Thanks for shopping with Second Rack Vintage, Wren!",
    ):
        assert expected in text
    assert barcodes(rasterise(pdf, 1)) == {"300010": "Code128"}


def test_long_orders_continue_on_more_slip_pages(make_order, shop, database, data_dir, tmp_path):
    lines = tuple((f"LOT-{n:04d}", f"Knit beanie number {n}", 1200, "D1") for n in range(1, 10))
    order_id = make_order("300020", lines=lines)
    pdf, _pages = build(database, data_dir, "slips", [order_id], tmp_path)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    every = " ".join(page_text(p) for p in pages)
    assert all(f"LOT-{n:04d}" in every for n in range(1, 10))
    assert "Page 1 of" in page_text(pages[0]) and "Total $108.00" in page_text(pages[-1])


@pytest.mark.parametrize("dpi", [203, 300])
def test_shipping_label_is_exactly_4x6_at_the_printer_resolution(
    dpi, make_order, database, data_dir, tmp_path
) -> None:
    set_paper(database, "label", "4x6", dpi=dpi)
    order_id = make_order("300030")
    pdf, _pages = build(database, data_dir, "labels", [order_id], tmp_path)
    (page,) = pdf_pages(pdf)
    assert page_size(page) == (288.0, 432.0)
    (image,) = page.images
    assert (image.image.width, image.image.height) == (4 * dpi, 6 * dpi)
    assert barcodes(rasterise(pdf, 1)) == {"940030003077": "Code128"}


def test_two_labels_share_a_letter_sheet(make_order, database, data_dir, tmp_path) -> None:
    set_paper(database, "label", "letter")
    ids = [make_order("300041"), make_order("300042"), make_order("300043")]
    pdf, _pages = build(database, data_dir, "labels", ids, tmp_path)
    pages = pdf_pages(pdf)
    assert [page_size(p) for p in pages] == [(612.0, 792.0)] * 2
    assert set(barcodes(rasterise(pdf, 1))) == {"940030004177", "940030004277"}
    assert set(barcodes(rasterise(pdf, 2))) == {"940030004377"}


@pytest.mark.parametrize(
    ("paper", "size"),
    [("4x6", (288.0, 432.0)), ("a6", (297.6, 419.5)), ("half-letter-card", (792.0, 612.0))],
)
def test_thank_you_card_fills_fields_and_links_the_closet(
    paper, size, make_order, shop, database, data_dir, tmp_path
) -> None:
    set_paper(database, "card", paper)
    order_id = make_order(
        "300050", buyer="Tamsin Okonkwo-Reyes", lines=(("CRD-0001", "Mohair cardigan", 3900, "A1"),)
    )
    pdf, _pages = build(database, data_dir, "cards", [order_id], tmp_path)
    (page,) = pdf_pages(pdf)
    assert page_size(page) == pytest.approx(size, abs=0.5)
    text = page_text(page)
    assert "Hi Tamsin," in text
    assert "giving my Mohair cardigan a new home" in text
    assert CLOSET_URL in text
    assert barcodes(rasterise(pdf, 1)) == {CLOSET_URL: "QRCode"}


@pytest.mark.parametrize(
    ("paper", "size"), [("tag-2.25x1.25", (162.0, 90.0)), ("tag-1x2.125", (72.0, 153.0))]
)
def test_sku_tags_on_single_labels(paper, size, add_item, database, data_dir, tmp_path) -> None:
    from studio.printing.documents import Documents

    set_paper(database, "tag", paper)
    add_item(title="Corduroy overshirt", sku="SHR-00042", list_price_cents="38")
    with database.transaction() as session:
        pages = Documents(session, data_dir).tags(["SHR-00042"])
    pdf = write_pdf(pages, tmp_path / "tags.pdf")
    (page,) = pdf_pages(pdf)
    assert page_size(page) == size
    text = page_text(page)
    assert all(part in text for part in ("Corduroy overshirt", "$38.00", "SHR-00042"))
    assert barcodes(rasterise(pdf, 1, dpi=300)) == {"SHR-00042": "Code128"}


def test_a_sheet_of_thirty_tags(add_item, database, data_dir, tmp_path) -> None:
    from studio.printing.documents import Documents

    set_paper(database, "tag", "letter-30")
    skus = [f"BIN-{n:03d}" for n in range(1, 33)]
    for sku in skus:
        add_item(title=f"Bin label {sku}", sku=sku)
    with database.transaction() as session:
        pages = Documents(session, data_dir).tags(skus)
    pdf = write_pdf(pages, tmp_path / "sheet.pdf")
    first, _second = pdf_pages(pdf)
    assert page_size(first) == (612.0, 792.0)
    assert set(barcodes(rasterise(pdf, 1, dpi=300))) == set(skus[:30])
    assert set(barcodes(rasterise(pdf, 2, dpi=300))) == set(skus[30:])


def test_calibration_page_has_its_paper_size(tmp_path) -> None:
    pdf = write_pdf([calibration_page(PAPERS["4x6"], "label")], tmp_path / "cal.pdf")
    (page,) = pdf_pages(pdf)
    assert page_size(page) == (288.0, 432.0)
    assert "bar should be 2 in long" in page_text(page)


def test_the_card_suggests_what_goes_with_the_order_before_look_alikes(
    make_order, shop, add_item, database, data_dir, tmp_path
) -> None:
    set_paper(database, "card", "4x6")
    order_id = make_order("300060", brand="Fenwick")  # a linen shirt, a top
    # Same brand and category: orders.related_items' favourite, but no bundle of its own.
    add_item(title="Poplin shirt", category="Tops", brand="Fenwick", status="listed")
    add_item(title="Wide leg trousers", category="Bottoms", status="listed")
    pdf, _pages = build(database, data_dir, "cards", [order_id], tmp_path)
    text = normalised(page_text(pdf_pages(pdf)[0]))
    assert "You may also like: Wide leg trousers · Poplin shirt" in text


def test_the_you_may_also_like_line_keeps_whole_titles_on_the_card(tmp_path) -> None:
    from studio.printing.thank_you_card import CardContent, card_page

    endless = "Hand-knitted " + "very " * 60 + "UNREACHABLE cardigan"
    card = CardContent(
        order_number="300070",
        message="Thank you!",
        style="sans",
        size_pt=14,
        shop_name="Thistle & Thread",
        logo=None,
        closet_url="",
        related=("Strappy heels", endless, "Pearl earrings"),
    )
    pdf = write_pdf([card_page(card, PAPERS["4x6"])], tmp_path / "card.pdf")
    text = normalised(page_text(pdf_pages(pdf)[0]))
    # The title too long for the line is left out whole; the shorter one after it still fits.
    assert "You may also like: Strappy heels · Pearl earrings" in text
    assert "UNREACHABLE" not in text and "Hand-knitted" not in text
    assert min(ink_margins(rasterise(pdf, 1, dpi=100))) >= 8


def test_pick_list_pages_keep_each_bin_heading_with_its_lines(
    make_order, shop, database, data_dir, tmp_path
) -> None:
    """30 bins with long titles over several pages: a heading never ends a page, and a page
    that starts inside a bin names that bin, so every line sits under its own bin."""
    long_title = "Vintage 90s oversized wool blend double-breasted overcoat with horn buttons " * 2
    expected: dict[str, str] = {}
    order_ids = []
    for number in range(30):
        bin_name = f"R{number:02d}"
        lines = tuple(
            (f"P{number:02d}-{n}", f"{long_title} {n}", 1500, bin_name)
            for n in range(1 + number % 4)
        )
        expected |= {sku: bin_name for sku, *_ in lines}
        order_ids.append(make_order(f"5{number:05d}", lines=lines, label=False))
    pdf, _pages = build(database, data_dir, "pick_list", order_ids, tmp_path)
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    found: dict[str, str] = {}
    for page in pages:
        tokens = re.findall(r"Bin (R\d\d)( \(continued\))?|(P\d\d-\d)", page_text(page))
        assert tokens[0][0], "every page starts with a bin heading"
        assert not tokens[-1][0], "no page ends with a bin heading"
        current = None
        for index, (heading, continued, sku) in enumerate(tokens):
            if heading:
                assert not continued or index == 0, "only a page's first heading continues"
                current = heading
            else:
                assert sku not in found
                found[sku] = current
    assert found == expected


def test_slip_and_card_read_well_before_the_shop_is_set_up(
    make_order, database, data_dir, tmp_path
) -> None:
    """No shop name, signature or closet address yet: nothing prints as a blank."""
    order_id = make_order("300077", buyer="Nell Brackenridge", lines=TWO_ITEMS, label=False)
    slip_pdf, _ = build(database, data_dir, "slips", [order_id], tmp_path, "slip.pdf")
    slip = " ".join(page_text(page) for page in pdf_pages(slip_pdf))
    assert "Thanks for shopping, Nell!" in slip
    card_pdf, _ = build(database, data_dir, "cards", [order_id], tmp_path, "card.pdf")
    card = page_text(pdf_pages(card_pdf)[0])
    assert "Linen shirt and Floral wrap dress" in card  # both items, not the first one only
    assert "With love" in card and "With love," not in card
    assert not re.search(r"with\s*[,!]|\s,", slip + " " + card)


def test_the_card_is_signed_once_the_shop_is_set_up(
    make_order, database, data_dir, tmp_path
) -> None:
    from studio.printing import settings as print_settings

    with database.transaction() as session:
        print_settings.save_shop_profile(
            session,
            print_settings.ShopProfile(
                shop_name="Second Rack", signature="Maya", closet_url=CLOSET_URL
            ),
        )
    order_id = make_order("300078", buyer="Nell Brackenridge", label=False)
    card_pdf, _ = build(database, data_dir, "cards", [order_id], tmp_path, "card.pdf")
    image = rasterise(card_pdf, 1)
    assert "With love, Maya" in page_text(pdf_pages(card_pdf)[0])
    assert CLOSET_URL in barcodes(image)
