"""Fixtures for printing: orders made directly in the database (sync comes later), real
photos in the photo store, a label PDF as a marketplace would send it, and readers for the
PDFs the layouts write."""

import io
import re
import subprocess
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from studio.imaging.store import PhotoStore
from studio.inventory.tables import Item, Photo
from studio.orders import labels
from studio.orders.tables import Order, OrderLine
from studio.printing import settings as print_settings
from studio.printing.documents import Documents
from studio.printing.fonts import register_bundled_fonts
from studio.storage.database import Database
from studio.storage.paths import photos_dir

CLOSET_URL = "https://closet.example/secondrack"


@pytest.fixture(autouse=True)
def gui(qapp):
    """Fonts and painting need a QGuiApplication (offscreen, from tests/conftest.py)."""
    register_bundled_fonts()
    return qapp


@pytest.fixture
def shop(database: Database) -> print_settings.ShopProfile:
    with database.transaction() as session:
        return print_settings.save_shop_profile(
            session,
            print_settings.ShopProfile(
                shop_name="Second Rack Vintage", closet_url=CLOSET_URL, return_address=""
            ),
        )


@pytest.fixture
def photo_hash(data_dir: Path, tmp_path: Path) -> str:
    """A real photo imported into the store: a red square on white."""
    source = tmp_path / "cover.jpg"
    image = Image.new("RGB", (400, 500), "white")
    image.paste((190, 40, 50), (80, 100, 320, 400))
    image.save(source, "JPEG")
    return PhotoStore(photos_dir(data_dir)).import_file(source).file_hash


def label_pdf_bytes(tracking: str, buyer: str, landscape: bool = False) -> bytes:
    """A 4x6 label as the marketplace makes it (reportlab, its own Code 128)."""
    buffer = io.BytesIO()
    size = (6 * inch, 4 * inch) if landscape else (4 * inch, 6 * inch)
    pdf = Canvas(buffer, pagesize=size)
    width, height = size
    pdf.setLineWidth(2)
    pdf.rect(6, 6, width - 12, height - 12)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(18, height - 40, "PREPAID GROUND")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(18, height - 70, f"SHIP TO: {buyer}")
    barcode = Code128(tracking, barHeight=60, barWidth=1.2)
    barcode.drawOn(pdf, (width - barcode.width) / 2, 40)
    pdf.drawCentredString(width / 2, 24, tracking)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def make_order(database: Database, data_dir: Path) -> Callable[..., int]:
    """Creates an order with items; returns its id. Lines are (sku, title, cents, bin)."""
    counter = iter(range(1, 10_000))

    def make(
        number: str,
        buyer: str = "Nell Brackenridge",
        lines: tuple[tuple[str, str, int, str], ...] | None = None,
        photo: str | None = None,
        label: bool = True,
        address: tuple[str, str, str, str, str, str] = (
            "14 Orchard Lane",
            "Apt 3",
            "Millbrook",
            "NY",
            "12545",
            "US",
        ),
        ordered_at: datetime | None = None,
        note: str = "",
        tags: str = "",
        brand: str = "",
    ) -> int:
        lines = lines or ((f"TOP-{number}", "Linen shirt", 2400, "A1"),)
        with database.transaction() as session:
            order = Order(
                remote_id=f"r-{number}",
                number=number,
                buyer_name=buyer,
                buyer_username=buyer.split()[0].lower() if buyer.split() else "buyer",
                address_line1=address[0],
                address_line2=address[1],
                city=address[2],
                region=address[3],
                postal_code=address[4],
                country=address[5],
                total_cents=sum(line[2] for line in lines),
                buyer_note=note,
                ordered_at=ordered_at or datetime.now(UTC) - timedelta(minutes=next(counter)),
            )
            session.add(order)
            session.flush()
            for sku, title, cents, bin_location in lines:
                item = Item(
                    sku=sku,
                    title=title,
                    bin_location=bin_location,
                    status="sold",
                    list_price_cents=cents,
                    tags=tags,
                    brand=brand,
                    category="Tops",
                )
                session.add(item)
                session.flush()
                if photo:
                    session.add(Photo(item_id=item.id, file_hash=photo, position=0))
                session.add(
                    OrderLine(
                        order_id=order.id, item_id=item.id, sku=sku, title=title, price_cents=cents
                    )
                )
            order_id = order.id
            if label:
                labels.store_label(
                    session, data_dir, order_id, label_pdf_bytes(f"9400{number}77", buyer)
                )
        return order_id

    return make


@pytest.fixture
def documents(database: Database, data_dir: Path):
    """A Documents builder on an open session (closed after the test)."""
    with database.transaction() as session:
        yield Documents(session, data_dir)


def set_paper(database: Database, kind: str, paper: str, **changes) -> None:
    with database.transaction() as session:
        profile = print_settings.printer_profile(session, kind)
        profile.paper = paper
        for name, value in changes.items():
            setattr(profile, name, value)
        print_settings.save_printer_profile(session, profile)


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def pdf_pages(path: Path) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(path).pages)


def page_text(page: pypdf.PageObject) -> str:
    return normalised(page.extract_text())


def page_size(page: pypdf.PageObject) -> tuple[float, float]:
    return round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)


def rasterise(pdf: Path, page: int, dpi: int = 200) -> Image.Image:
    """A page as poppler sees it (an independent renderer from Qt's)."""
    out = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf)],
        check=True,
        capture_output=True,
    ).stdout
    return Image.open(io.BytesIO(out)).convert("L")


def barcodes(image: Image.Image) -> dict[str, str]:
    """Decoded text -> format name, of every barcode found."""
    return {r.text: r.format.name for r in zxingcpp.read_barcodes(image)}


def ink_margins(image: Image.Image, threshold: int = 200) -> tuple[int, int, int, int]:
    """Pixels of white between the page edges and the nearest ink: left, top, right, bottom."""
    ink = image.point(lambda value: 255 if value < threshold else 0).getbbox()
    assert ink is not None, "the page is blank"
    left, top, right, bottom = ink
    return left, top, image.width - right, image.height - bottom
