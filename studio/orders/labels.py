"""Shipping label PDFs: one folder per data dir, each file named by the sha256 of its bytes.

The one way a label is kept, whether the marketplace sent it or the seller picked a file, so
a label that is not a PDF never reaches the printer.
"""

import hashlib
from pathlib import Path

from sqlmodel import Session

from studio.imaging.store import write_atomically
from studio.inventory.tables import utc_now
from studio.orders.service import OrderError, get_order


def labels_dir(data_dir: Path) -> Path:
    return data_dir / "labels"


def label_file(data_dir: Path, label_hash: str) -> Path | None:
    """The order's shipping label PDF, or None when the marketplace has not sent it yet."""
    if not label_hash:
        return None
    path = labels_dir(data_dir) / f"{label_hash}.pdf"
    return path if path.exists() else None


def store_label(session: Session, data_dir: Path, order_id: int, pdf: bytes) -> str:
    """Keeps a label PDF under its sha256 and links the order to it."""
    if not pdf.startswith(b"%PDF"):
        raise OrderError("That file is not a PDF label.")
    order = get_order(session, order_id)
    label_hash = hashlib.sha256(pdf).hexdigest()
    path = labels_dir(data_dir) / f"{label_hash}.pdf"
    if not path.exists():
        write_atomically(path, pdf)
    order.label_hash = label_hash
    order.updated_at = utc_now()
    session.add(order)
    session.flush()
    return label_hash
