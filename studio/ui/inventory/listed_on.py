"""Where each item is listed: a small badge per marketplace in the inventory's "Listed on"
column, read with the rows of a block (one query for the whole block) and painted by a
delegate.

A badge says more than the Sync column: that column sums an item up in one word, while a
crosslisted item can be live on one marketplace, queued for a second and refused by a third.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem
from sqlalchemy import String, and_, cast, literal, select
from sqlmodel import Session, col

from studio.sync.port import ListingState
from studio.sync.tables import ListingLink, OpKind, OpState, OutboxOp

BADGES_ROLE = Qt.ItemDataRole.UserRole + 2


class Badge(enum.StrEnum):
    LISTED = "listed"
    QUEUED = "queued"  # waiting to go up (a create or a relist in the outbox)
    DELISTING = "delisting"  # waiting to come down (a delist, or sold elsewhere)
    SOLD = "sold"
    DELISTED = "delisted"
    REFUSED = "refused"  # the marketplace refused to list it; the seller has to act


# The outbox ops that move a listing up or down, which is what a badge shows of them.
GOING_UP = (OpKind.CREATE_LISTING.value, OpKind.RELIST.value)
GOING_DOWN = (OpKind.DELIST.value, OpKind.MARK_SOLD.value)
WAITING = (OpState.PENDING.value, OpState.IN_FLIGHT.value, OpState.UNKNOWN.value)


@dataclass(frozen=True)
class ListedOn:
    marketplace: str
    state: Badge

    @property
    def words(self) -> str:
        """The badge's tooltip line, in a reseller's words."""
        name = self.marketplace
        return {
            Badge.LISTED: f"{name}: listed, for sale",
            Badge.QUEUED: f"{name}: queued, goes up at the next sync",
            Badge.DELISTING: f"{name}: coming down at the next sync",
            Badge.SOLD: f"{name}: sold there",
            Badge.DELISTED: f"{name}: taken down (delisted)",
            Badge.REFUSED: f"{name}: refused the listing, see the Marketplace section",
        }[self.state]


def _badge(remote_id: str | None, status: str, ops: set[tuple[str, str]]) -> Badge:
    """One listing's badge from its link and the open or refused ops that move it."""
    if status == ListingState.SOLD:
        return Badge.SOLD  # final: nothing queued changes a sale
    if any(kind in GOING_UP and state == OpState.PARKED for kind, state in ops):
        return Badge.REFUSED
    if remote_id is None or any(kind in GOING_UP and state in WAITING for kind, state in ops):
        return Badge.QUEUED
    if any(kind in GOING_DOWN and state in WAITING for kind, state in ops):
        return Badge.DELISTING
    if status == ListingState.DELISTED:
        return Badge.DELISTED
    return Badge.LISTED


def read_listed_on(session: Session, item_ids: Sequence[int]) -> dict[int, tuple[ListedOn, ...]]:
    """Each item's badges, by marketplace name; items listed nowhere are absent.

    One query for a block of rows: the links, each joined to its own ops that move it up or
    down. The ops are found through the outbox's index on the entity ("item:42", as
    studio/sync/outbox.entity_of writes it), so a long outbox history costs nothing here."""
    entity = literal("item:") + cast(ListingLink.item_id, String)
    moving = and_(
        OutboxOp.entity == entity,
        OutboxOp.marketplace == ListingLink.marketplace,
        col(OutboxOp.kind).in_(GOING_UP + GOING_DOWN),
        col(OutboxOp.state).in_((*WAITING, OpState.PARKED.value)),
    )
    statement = (
        select(
            ListingLink.item_id,
            ListingLink.marketplace,
            ListingLink.remote_id,
            ListingLink.remote_status,
            OutboxOp.kind,
            OutboxOp.state,
        )
        .outerjoin(OutboxOp, moving)
        .where(col(ListingLink.item_id).in_(list(item_ids)))
    )
    links: dict[tuple[int, str], tuple[str | None, str, set[tuple[str, str]]]] = {}
    for item_id, marketplace, remote_id, status, kind, state in session.execute(statement):
        _id, _status, ops = links.setdefault((item_id, marketplace), (remote_id, status, set()))
        if kind is not None:
            ops.add((kind, state))
    badges: dict[int, list[ListedOn]] = {}
    for (item_id, marketplace), (remote_id, status, ops) in sorted(links.items()):
        badges.setdefault(item_id, []).append(ListedOn(marketplace, _badge(remote_id, status, ops)))
    return {item_id: tuple(found) for item_id, found in badges.items()}


# Fill, text and border of each badge: live ones solid, waiting ones outlined with a dashed
# line, the ones that no longer sell greyed (delisted also struck through), refusals red.
@dataclass(frozen=True)
class Look:
    fill: str
    text: str
    border: str
    dashed: bool = False
    struck: bool = False


LOOKS = {
    Badge.LISTED: Look("#1f9d55", "#ffffff", "#1f9d55"),
    Badge.QUEUED: Look("#fff7e6", "#8a5a00", "#c27c0e", dashed=True),
    Badge.DELISTING: Look("#f1f3f5", "#5f6670", "#8a8f98", dashed=True),
    Badge.SOLD: Look("#c27c0e", "#ffffff", "#c27c0e"),
    Badge.DELISTED: Look("#f1f3f5", "#737980", "#d0d4d9", struck=True),
    Badge.REFUSED: Look("#fdecea", "#b71c1c", "#c62828"),
}
BADGE_GAP = 4
BADGE_PADDING = 6
BADGE_MAX_TEXT = 84  # a long account name is elided; the tooltip has it whole


def badge_font(base: QFont) -> QFont:
    """A little smaller than the table's text, so two badges fit the column."""
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(max(base.pointSizeF() * 0.9, 7.0))
    else:  # a font sized in pixels
        font.setPixelSize(max(round(base.pixelSize() * 0.9), 9))
    return font


class ListedOnDelegate(QStyledItemDelegate):
    """Paints the "Listed on" column: a rounded badge per marketplace, left to right, and
    "+N" when the column is too narrow for all of them."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # The cell's background and selection as the style draws them, without text.
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        badges = index.data(BADGES_ROLE) or ()
        if not badges:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = badge_font(option.font)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        height = metrics.height() + 4
        rect: QRect = option.rect.adjusted(4, 0, -4, 0)
        top = rect.top() + (rect.height() - height) // 2
        more = metrics.horizontalAdvance("+9") + BADGE_GAP
        x = rect.left()
        for shown, badge in enumerate(badges):
            text = metrics.elidedText(
                badge.marketplace, Qt.TextElideMode.ElideRight, BADGE_MAX_TEXT
            )
            width = metrics.horizontalAdvance(text) + 2 * BADGE_PADDING
            room = rect.right() - x - (more if shown < len(badges) - 1 else 0)
            if width > room:
                painter.setPen(option.palette.color(option.palette.ColorRole.Text))
                painter.drawText(
                    QRect(x, top, rect.right() - x, height),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    f"+{len(badges) - shown}",
                )
                break
            self._draw(painter, QRectF(x, top, width, height), text, LOOKS[badge.state])
            x += width + BADGE_GAP
        painter.restore()

    def _draw(self, painter: QPainter, box: QRectF, text: str, look: Look) -> None:
        pen = QPen(QColor(look.border))
        pen.setWidthF(1.2)
        if look.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor(look.fill))
        painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        font = painter.font()
        font.setStrikeOut(look.struck)
        painter.setFont(font)
        painter.setPen(QColor(look.text))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        font.setStrikeOut(False)
        painter.setFont(font)
