"""What printing remembers: card and slip templates, the shop's details, printer profiles.

Tables and the few services over them; the layouts that use them live in studio/printing/.
"""

import enum
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Field, Session, SQLModel, col, select

from studio.inventory.tables import utc_now


class TemplateKind(enum.StrEnum):
    CARD = "card"  # the thank-you card
    SLIP = "slip"  # the personal line on a packing slip


class DocumentKind(enum.StrEnum):
    """Each kind of document has its own printer profile: labels go to the thermal printer."""

    PICK_LIST = "pick_list"
    SLIP = "slip"
    LABEL = "label"
    CARD = "card"
    TAG = "tag"


class PrintTemplate(SQLModel, table=True):
    __tablename__ = "print_template"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    name: str
    body: str = ""  # text with {fields}, see TEMPLATE_FIELDS
    font: str = "hand"  # "hand" (the bundled hand-written font), "sans" or "serif"
    font_size_pt: int = 14
    logo_path: str = ""  # an image file the user picked; empty for none
    show_qr: bool = True
    show_related: bool = True  # the "you may also like" line
    is_default: bool = False
    updated_at: datetime = Field(default_factory=utc_now)


class PrinterProfile(SQLModel, table=True):
    """Where one kind of document prints, on what paper, and how to nudge it into place."""

    __tablename__ = "printer_profile"

    kind: str = Field(primary_key=True)  # a DocumentKind
    printer_name: str = ""  # empty: ask / save as PDF
    paper: str = "letter"  # a key of studio.printing.paper.PAPERS
    landscape: bool = False
    # Calibration: some printers shift or shrink what they print; measured on the
    # calibration page and undone here. Geometry, not money, so float is right.
    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    scale_percent: float = 100.0
    dpi: int = 300  # thermal printers are 203 or 300 dpi; labels are rasterised to match


class ShopProfile(SQLModel, table=True):
    """The seller as printed on slips and cards; one row."""

    __tablename__ = "shop_profile"

    id: int | None = Field(default=1, primary_key=True)
    shop_name: str = ""
    closet_url: str = ""
    return_address: str = ""
    signature: str = ""  # how the seller signs a thank-you card ("Maya")


TEMPLATE_FIELDS = {
    "buyer_first_name": "Ava",
    "buyer_name": "Ava Quillfeather",
    "item_title": "Vintage wool cardigan",
    "order_number": "100231",
    "shop_name": "Second Rack",
    "signature": "Maya",
    "closet_url": "https://closet.example/secondrack",
}
DEFAULT_PAPER = {
    DocumentKind.PICK_LIST: "letter",
    DocumentKind.SLIP: "4x6",
    DocumentKind.LABEL: "4x6",
    DocumentKind.CARD: "4x6",
    DocumentKind.TAG: "tag-2.25x1.25",
}
DEFAULT_TEMPLATES = {
    TemplateKind.CARD: (
        "Hi[ {buyer_first_name}],\n\nThank you so much for giving my {item_title} a new home! "
        "I hope you love it as much as I did.\n\nWith love[, {signature}]"
    ),
    TemplateKind.SLIP: "Thanks for shopping[ with {shop_name}][, {buyer_first_name}]!",
}


def natural_list(titles: Sequence[str], most: int = 2) -> str:
    """'A', 'A and B', 'A, B and 2 more items': one order's items in a sentence."""
    if len(titles) <= most:
        return " and ".join(titles)
    rest = len(titles) - most
    return f"{', '.join(titles[:most])} and {rest} more item{'s' if rest > 1 else ''}"


def templates(session: Session, kind: str) -> list[PrintTemplate]:
    query = select(PrintTemplate).where(PrintTemplate.kind == kind)
    found = list(session.exec(query.order_by(col(PrintTemplate.id))))
    if not found:
        found = [_create_default_template(session, kind)]
    return found


def default_template(session: Session, kind: str) -> PrintTemplate:
    every = templates(session, kind)
    return next((t for t in every if t.is_default), every[0])


def _create_default_template(session: Session, kind: str) -> PrintTemplate:
    template = PrintTemplate(
        kind=kind,
        name="Standard",
        body=DEFAULT_TEMPLATES[TemplateKind(kind)],
        font="hand" if kind == TemplateKind.CARD else "sans",
        font_size_pt=22 if kind == TemplateKind.CARD else 10,
        is_default=True,
    )
    session.add(template)
    session.flush()
    return template


def save_template(session: Session, template: PrintTemplate) -> PrintTemplate:
    template.updated_at = utc_now()
    template = session.merge(template)
    session.flush()
    if template.is_default:
        make_default(session, template.id or 0)
    return template


def make_default(session: Session, template_id: int) -> None:
    """Exactly one default per kind: this one."""
    chosen = session.get(PrintTemplate, template_id)
    if chosen is None:
        raise LookupError(f"no template {template_id}")
    for template in session.exec(select(PrintTemplate).where(PrintTemplate.kind == chosen.kind)):
        template.is_default = template.id == template_id
        session.add(template)
    session.flush()


def delete_template(session: Session, template_id: int) -> None:
    template = session.get(PrintTemplate, template_id)
    if template is None:
        return
    session.delete(template)
    session.flush()
    if template.is_default:
        rest = templates(session, template.kind)
        make_default(session, rest[0].id or 0)


def printer_profile(session: Session, kind: str) -> PrinterProfile:
    """The stored profile, or the defaults for that kind (not saved until changed)."""
    return session.get(PrinterProfile, kind) or PrinterProfile(
        kind=kind, paper=DEFAULT_PAPER[DocumentKind(kind)]
    )


def save_printer_profile(session: Session, profile: PrinterProfile) -> PrinterProfile:
    saved = session.merge(profile)
    session.flush()
    return saved


def shop_profile(session: Session) -> ShopProfile:
    return session.get(ShopProfile, 1) or ShopProfile(id=1)


def save_shop_profile(session: Session, profile: ShopProfile) -> ShopProfile:
    profile.id = 1
    saved = session.merge(profile)
    session.flush()
    return saved
