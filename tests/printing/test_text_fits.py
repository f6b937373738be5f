"""Text never breaks the page: long and non-Latin text stays inside, a missing address line
or photo leaves a clean gap."""

import pytest

from studio.orders.service import load_orders
from studio.printing.documents import Documents
from studio.printing.output import write_pdf

from .conftest import barcodes, ink_margins, page_text, pdf_pages, rasterise, set_paper

LONG_TITLE = (
    "Extraordinarily long vintage hand-embroidered peasant blouse with balloon sleeves, "
    "smocked waist, mother-of-pearl buttons and a matching detachable lace collar in cream"
)
LONG_NAME = "Maximiliana Featherstonehaugh-Cholmondeley-Vanderbilt-Oyelaran"
WORLD_NAME = "山田 花子 · Людмила Воронцова · ليلى الحربي"
DPI = 100
MIN_MARGIN_PX = 8  # 0.08 in: nothing may print closer to the edge than this


def render(database, data_dir, tmp_path, kind, order_id):
    with database.transaction() as session:
        pages = getattr(Documents(session, data_dir), kind)(load_orders(session, [order_id]))
    return write_pdf(pages, tmp_path / f"{kind}.pdf")


@pytest.mark.parametrize("kind", ["slips", "cards", "pick_list"])
@pytest.mark.parametrize("paper", ["4x6", "letter"])
def test_long_and_non_latin_text_stays_on_the_page(
    kind, paper, make_order, shop, database, data_dir, tmp_path, photo_hash
) -> None:
    document_kind = {"slips": "slip", "cards": "card", "pick_list": "pick_list"}[kind]
    if kind == "cards" and paper == "letter":
        paper = "half-letter-card"
    set_paper(database, document_kind, paper)
    order_id = make_order(
        "400001",
        buyer=f"{LONG_NAME} {WORLD_NAME}",
        lines=((f"LNG-{'X' * 30}", LONG_TITLE, 12900, "Shelf 12 / crate 7 / left side"),),
        note="Please wrap it as a gift 🎁🎉 — ありがとう! Спасибо! شكرا " * 3,
        address=("1 " + "Very Long Street Name " * 6, "", "Springfield", "", "", "US"),
        photo=photo_hash,
    )
    pdf = render(database, data_dir, tmp_path, kind, order_id)
    for number in range(1, len(pdf_pages(pdf)) + 1):
        image = rasterise(pdf, number, dpi=DPI)
        assert min(ink_margins(image)) >= MIN_MARGIN_PX, f"page {number} prints off the edge"
    if kind == "slips":  # the long name was cut short of the barcode, not over it
        assert barcodes(rasterise(pdf, 1, dpi=200)) == {"400001": "Code128"}
        assert "Maximiliana" in page_text(pdf_pages(pdf)[0])


def test_japanese_cyrillic_and_arabic_names_print_with_a_font_that_has_them(
    make_order, shop, database, data_dir, tmp_path
) -> None:
    order_id = make_order("400005", buyer=WORLD_NAME, note="Merci 🎉")
    text = page_text(pdf_pages(render(database, data_dir, tmp_path, "slips", order_id))[0])
    for word in ("山田", "花子", "Людмила", "Воронцова"):
        assert word in text
    # pypdf reads right-to-left text back in visual order; the letters are there.
    assert all(letter in text for letter in "ليلى")


def test_a_missing_address_line_and_photo_leave_a_clean_gap(
    make_order, shop, database, data_dir, tmp_path
) -> None:
    order_id = make_order("400010", address=("9 Quarry Road", "", "Ashby", "", "LE65", "UK"))
    pdf = render(database, data_dir, tmp_path, "slips", order_id)
    text = page_text(pdf_pages(pdf)[0])
    assert "9 Quarry Road Ashby LE65 UK" in text  # no blank line, nothing invented
    assert "None" not in text


def test_a_photo_missing_from_the_store_does_not_stop_printing(
    make_order, shop, database, data_dir, tmp_path
) -> None:
    order_id = make_order("400020", photo="0" * 64)  # recorded, but the file is gone
    pdf = render(database, data_dir, tmp_path, "slips", order_id)
    assert "Linen shirt" in page_text(pdf_pages(pdf)[0])


def test_the_card_message_shrinks_to_fit_instead_of_running_off(
    make_order, shop, database, data_dir, tmp_path
) -> None:
    from studio.printing import settings as print_settings

    with database.transaction() as session:
        template = print_settings.default_template(session, "card")
        template.body = "Thank you so much, {buyer_first_name}! " * 30 + "THE END"
        print_settings.save_template(session, template)
    set_paper(database, "card", "4x6")
    order_id = make_order("400030", buyer="Odalys Penhallow")
    pdf = render(database, data_dir, tmp_path, "cards", order_id)
    assert "THE END" in page_text(pdf_pages(pdf)[0])
    assert min(ink_margins(rasterise(pdf, 1, dpi=DPI))) >= MIN_MARGIN_PX
