"""Turns orders and items into pages, each on the paper its printer profile names: the one
entry point for the window, the command line and today's batch."""

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from studio.inventory.tables import Item
from studio.orders.labels import label_file
from studio.orders.service import OrderView, related_items
from studio.placeholders import fill
from studio.printing import settings
from studio.printing.images import PhotoSource, load_image
from studio.printing.output import Calibration, Destination
from studio.printing.packing_slip import SlipText, slip_pages
from studio.printing.page import Page
from studio.printing.paper import Paper, paper
from studio.printing.pick_list import pick_list_pages
from studio.printing.run_sheet import pull_list_pages, run_sheet_pages
from studio.printing.settings import DocumentKind, TemplateKind
from studio.printing.shipping_label import Label, LabelProblem, label_pages, rasterise_label
from studio.printing.sku_tags import Tag, tag_pages
from studio.printing.thank_you_card import CardContent, card_page
from studio.seller_tools import bundles
from studio.shows.service import ShowView
from studio.storage.paths import photos_dir

RELATED_ON_CARD = 3  # more titles than this crowd the card's last lines


class Documents:
    """Builds pages from one session's view of the database. Problems that should not stop
    a batch (an order without its label yet) are collected in `warnings`."""

    def __init__(self, session: Session, data_dir: Path) -> None:
        self.session = session
        self.data_dir = data_dir
        self.photos = PhotoSource(data_dir)
        self.shop = settings.shop_profile(session)
        self.warnings: list[str] = []

    def paper_for(self, kind: DocumentKind) -> Paper:
        return paper(settings.printer_profile(self.session, kind).paper)

    def fields(self, order: OrderView) -> dict[str, str]:
        return {
            "buyer_first_name": order.buyer_first_name,
            "buyer_name": order.buyer_name,
            "item_title": settings.natural_list([line.title for line in order.lines]),
            "order_number": order.number,
            "shop_name": self.shop.shop_name,
            "signature": self.shop.signature or self.shop.shop_name,
            "closet_url": self.shop.closet_url,
        }

    def pick_list(self, orders: Sequence[OrderView]) -> list[Page]:
        paper_ = self.paper_for(DocumentKind.PICK_LIST)
        return pick_list_pages(orders, paper_, self.photos, datetime.now().astimezone())

    def slips(
        self, orders: Sequence[OrderView], template: settings.PrintTemplate | None = None
    ) -> list[Page]:
        template = template or settings.default_template(self.session, TemplateKind.SLIP)
        paper_ = self.paper_for(DocumentKind.SLIP)
        pages: list[Page] = []
        for order in orders:
            text = SlipText(
                shop_name=self.shop.shop_name,
                personal_line=fill(template.body, self.fields(order)),
                style=template.font,
                size_pt=template.font_size_pt,
            )
            pages.extend(slip_pages(order, paper_, text, self.photos))
        return pages

    def labels(self, orders: Sequence[OrderView]) -> list[Page]:
        profile = settings.printer_profile(self.session, DocumentKind.LABEL)
        labels = []
        for order in orders:
            path = label_file(self.data_dir, order.label_hash)
            if path is None:
                self.warnings.append(f"Order {order.number} has no shipping label yet.")
                continue
            try:
                labels.append(Label(order.number, rasterise_label(path, profile.dpi)))
            except LabelProblem as problem:
                self.warnings.append(f"Order {order.number}: {problem}")
        return label_pages(labels, paper(profile.paper))

    def cards(
        self, orders: Sequence[OrderView], template: settings.PrintTemplate | None = None
    ) -> list[Page]:
        template = template or settings.default_template(self.session, TemplateKind.CARD)
        paper_ = self.paper_for(DocumentKind.CARD)
        logo = load_image(template.logo_path) if template.logo_path else None
        return [card_page(self.card_content(order, template, logo), paper_) for order in orders]

    def card_content(self, order: OrderView, template: settings.PrintTemplate, logo) -> CardContent:
        related = self.related_titles(order) if template.show_related else ()
        return CardContent(
            order_number=order.number,
            message=fill(template.body, self.fields(order)),
            style=template.font,
            size_pt=template.font_size_pt,
            shop_name=self.shop.shop_name,
            logo=logo,
            closet_url=self.shop.closet_url if template.show_qr else "",
            related=related,
        )

    def related_titles(self, order: OrderView) -> tuple[str, ...]:
        """The card's "you may also like" titles: bundle suggestions first, since they go
        with what was bought, then items that merely share its brand, category or tags."""
        bought = [line.item_id for line in order.lines if line.item_id is not None]
        found = bundles.suggest(self.session, bought, photos_dir(self.data_dir), RELATED_ON_CARD)
        picks = {s.item_id: s.title for s in found}
        for item in related_items(self.session, order, RELATED_ON_CARD):
            picks.setdefault(item.id or 0, item.title)
        return tuple(picks.values())[:RELATED_ON_CARD]

    def tags(self, skus: Sequence[str]) -> list[Page]:
        found = {
            item.sku: item
            for item in self.session.exec(select(Item).where(col(Item.sku).in_(skus)))
        }
        missing = [sku for sku in skus if sku not in found]
        if missing:
            self.warnings.append(f"No item with SKU {', '.join(missing)}.")
        tags = [
            Tag(found[sku].sku, found[sku].title, found[sku].list_price_cents)
            for sku in skus
            if sku in found
        ]
        return tag_pages(tags, self.paper_for(DocumentKind.TAG))

    def run_sheet(self, show: ShowView) -> list[Page]:
        """The show's run sheet, then its pull list by bin, on the pick list's paper."""
        paper_ = self.paper_for(DocumentKind.PICK_LIST)
        return run_sheet_pages(show, paper_, self.photos) + pull_list_pages(
            show, paper_, self.photos
        )

    def batch(self, orders: Sequence[OrderView]) -> list[Page]:
        """Today's batch in packing order: the pick list, then per order its slip, its label
        and its card, so each stack comes off the printer ready for its box."""
        pages = self.pick_list(orders) if orders else []
        for order in orders:
            pages.extend(self.slips([order]))
            pages.extend(self.labels([order]))
            pages.extend(self.cards([order]))
        return pages


def destinations(session: Session, printer_override: str = "") -> dict[str, Destination]:
    """Each kind's printer and calibration from its profile; `printer_override` sends
    every kind to one printer (still calibrated per kind)."""
    found = {}
    for kind in DocumentKind:
        profile = settings.printer_profile(session, kind)
        calibration = Calibration(profile.offset_x_mm, profile.offset_y_mm, profile.scale_percent)
        found[kind.value] = Destination(printer_override or profile.printer_name, calibration)
    return found
