"""Renders one example of each printed layout into PNGs beside this file, for the README.

Run from the repository root: `.venv/bin/python docs/printing/render_examples.py`
(needs poppler's pdftoppm). The orders are made up in a throw-away data dir.
"""

import io
import subprocess
import tempfile
from pathlib import Path

from PIL import Image
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from studio.orders import service as orders

from studio.printing import settings as print_settings
from studio.storage.database import open_database
from studio.imaging.store import PhotoStore
from studio.inventory.tables import Item, Photo
from studio.orders.tables import Order, OrderLine
from studio.storage.paths import photos_dir
from studio.printing.calibration import calibration_page
from studio.printing.documents import Documents
from studio.printing.output import write_pdf
from studio.printing.paper import PAPERS
from studio.printing.qt_app import ensure_gui_application

HERE = Path(__file__).parent
ORDERS = (
    (
        "810001",
        "Rosalind Achterberg",
        (
            ("DRS-0042", "Floral wrap dress, size M", 5600, "B2"),
            ("TOP-0107", "Linen shirt with mother-of-pearl buttons", 2400, "B10"),
        ),
    ),
    ("810002", "山田 花子", (("JKT-0007", "Denim trucker jacket", 4500, "A4"),)),
)
COLOURS = ((176, 58, 72), (58, 96, 150), (70, 130, 90))


def label_pdf(tracking: str, buyer: str) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(4 * inch, 6 * inch))
    pdf.setLineWidth(2)
    pdf.rect(6, 6, 4 * inch - 12, 6 * inch - 12)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(18, 6 * inch - 40, "PREPAID GROUND (sample)")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(18, 6 * inch - 70, f"SHIP TO: {buyer}")
    barcode = Code128(tracking, barHeight=60, barWidth=1.2)
    barcode.drawOn(pdf, (4 * inch - barcode.width) / 2, 40)
    pdf.save()
    return buffer.getvalue()


def fill(data_dir: Path) -> list[int]:
    database = open_database(data_dir)
    store = PhotoStore(photos_dir(data_dir))
    ids = []
    with database.transaction() as session:
        print_settings.save_shop_profile(
            session,
            print_settings.ShopProfile(
                shop_name="Second Rack Vintage", closet_url="https://closet.example/secondrack"
            ),
        )
        for number, buyer, lines in ORDERS:
            order = Order(
                remote_id=number,
                number=number,
                buyer_name=buyer,
                address_line1="14 Orchard Lane",
                city="Millbrook",
                region="NY",
                postal_code="12545",
                country="US",
                total_cents=sum(line[2] for line in lines),
                buyer_note="Could you wrap it? It's a gift 🎁" if buyer[0] == "山" else "",
            )
            session.add(order)
            session.flush()
            for index, (sku, title, cents, bin_location) in enumerate(lines):
                item = Item(
                    sku=sku,
                    title=title,
                    bin_location=bin_location,
                    status="sold",
                    list_price_cents=cents,
                )
                session.add(item)
                session.flush()
                picture = data_dir / f"{sku}.jpg"
                image = Image.new("RGB", (300, 360), "white")
                image.paste(COLOURS[(index + len(ids)) % 3], (60, 50, 240, 320))
                image.save(picture)
                session.add(Photo(item_id=item.id, file_hash=store.import_file(picture).file_hash))
                session.add(
                    OrderLine(
                        order_id=order.id, item_id=item.id, sku=sku, title=title, price_cents=cents
                    )
                )
            orders.store_label(session, data_dir, order.id, label_pdf(f"9400{number}11", buyer))
            ids.append(order.id)
    database.close()
    return ids


def main() -> None:
    ensure_gui_application()
    with tempfile.TemporaryDirectory() as temp:
        data_dir = Path(temp)
        ids = fill(data_dir)
        database = open_database(data_dir)
        with database.transaction() as session:
            documents = Documents(session, data_dir)
            views = orders.load_orders(session, ids)
            examples = {
                "pick-list": documents.pick_list(views),
                "packing-slip": documents.slips(views[:1]),
                "packing-slip-non-latin": documents.slips(views[1:]),
                "shipping-label": documents.labels(views[:1]),
                "thank-you-card": documents.cards(views[:1]),
                "sku-tag": documents.tags(["DRS-0042"]),
                "calibration": [calibration_page(PAPERS["4x6"], "label")],
            }
        database.close()
        for name, pages in examples.items():
            pdf = write_pdf(pages[:1], data_dir / f"{name}.pdf")
            subprocess.run(
                ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(HERE / name)],
                check=True,
            )
            print(f"docs/printing/{name}.png")


if __name__ == "__main__":
    main()
