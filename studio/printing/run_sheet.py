"""A show's run sheet: one row per item in line-up order (its photo, SKU, bin, title, size,
opening price, floor and talking points) on landscape pages the host keeps beside the
camera; and the pull list by bin, so the rack is filled before the show."""

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPen

from studio.money import format_money
from studio.orders.service import LineView, PickLine, group_by_bin
from studio.printing import fonts
from studio.printing.images import PhotoSource, draw_picture
from studio.printing.page import Page
from studio.printing.paper import Paper
from studio.printing.pick_list import bin_pages
from studio.printing.text import GREY, draw_list_heading, draw_page_number, draw_text
from studio.shows.service import LineupRow, ShowView

RULE = QColor("#c8ccd2")
MARGIN = 30.0
HEADER = 50.0
HEADINGS = 16.0
FOOTER = 16.0
ROW = 86.0


@dataclass(frozen=True)
class _Column:
    title: str
    width: float  # 0: what is left


COLUMNS = (
    _Column("#", 22),
    _Column("", 80),
    _Column("SKU · Bin", 92),
    _Column("Item", 176),
    _Column("Opening", 62),
    _Column("Floor", 58),
    _Column("Talking points", 0),
)


def sheet_paper(paper: Paper) -> Paper:
    """The pick list's paper turned sideways (a label roll's 4x6 gives way to letter)."""
    if paper.width_in < 5:
        return Paper("letter", "US Letter", 8.5, 11, landscape=True)
    return Paper(paper.key, paper.label, paper.width_in, paper.height_in, landscape=True)


def _lefts(width: float) -> list[tuple[float, float]]:
    fixed = sum(c.width for c in COLUMNS)
    spans, x = [], 0.0
    for column in COLUMNS:
        span = column.width or width - fixed
        spans.append((x, span))
        x += span
    return spans


def run_sheet_pages(show: ShowView, paper: Paper, photos: PhotoSource) -> list[Page]:
    page_paper = sheet_paper(paper)
    per_page = max(
        1, int((page_paper.rect().height() - 2 * MARGIN - HEADER - HEADINGS - FOOTER) // ROW)
    )
    chunks = [show.rows[i : i + per_page] for i in range(0, len(show.rows), per_page)] or [()]
    when = show.starts_at.astimezone()
    opening = sum(row.opening_cents or 0 for row in show.rows)
    summary = (
        f"{when:%a %d %b %Y, %H:%M} · {len(show.rows)} items · "
        f"{format_money(opening)} at the opening prices"
    )

    def page_for(number: int, rows: Sequence[LineupRow]) -> Page:
        def paint(painter: QPainter, page: QRectF) -> None:
            area = page.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
            draw_list_heading(painter, area, f"Run sheet: {show.title}", summary)
            painter.setPen(GREY)
            spans = _lefts(area.width())
            top = area.top() + HEADER
            heading_font = fonts.font("sans", 8, bold=True)
            for column, (left, span) in zip(COLUMNS, spans, strict=True):
                draw_text(
                    painter,
                    QRectF(area.left() + left, top, span - 6, HEADINGS),
                    column.title,
                    heading_font,
                    max_lines=1,
                )
            y = top + HEADINGS
            painter.setPen(QPen(GREY, 0.8))
            painter.drawLine(area.left(), y, area.right(), y)
            for row in rows:
                _paint_row(painter, QRectF(area.left(), y, area.width(), ROW), spans, row, photos)
                y += ROW
            draw_page_number(painter, area, number, len(chunks))

        return Page("pick_list", page_paper, paint, f"Run sheet, page {number + 1}")

    return [page_for(number, rows) for number, rows in enumerate(chunks)]


def _paint_row(
    painter: QPainter,
    rect: QRectF,
    spans: list[tuple[float, float]],
    row: LineupRow,
    photos: PhotoSource,
) -> None:
    def cell(index: int, top: float = 6, height: float | None = None) -> QRectF:
        left, span = spans[index]
        return QRectF(rect.left() + left, rect.top() + top, span - 6, height or rect.height() - 10)

    painter.setPen(QColor("black"))
    draw_text(painter, cell(0), str(row.position), fonts.font("sans", 12, bold=True), 1)
    photo = cell(1, 5, rect.height() - 10)
    draw_picture(
        painter,
        QRectF(photo.left(), photo.top(), photo.height(), photo.height()),
        photos.cover(row.cover_hash),
    )
    draw_text(painter, cell(2, 6, 14), row.sku, fonts.font("sans", 9, bold=True), 1)
    painter.setPen(GREY)
    bin_text = f"Bin {row.bin_location}" if row.bin_location else "No bin"
    draw_text(painter, cell(2, 21, 14), bin_text, fonts.font("sans", 8.5), 1)
    painter.setPen(QColor("black"))
    used = draw_text(painter, cell(3, 6, 40), row.title, fonts.font("sans", 9.5, bold=True), 3)
    painter.setPen(GREY)
    details = " · ".join(p for p in (f"Size {row.size}" if row.size else "", row.brand) if p)
    draw_text(painter, cell(3, 8 + used, 14), details, fonts.font("sans", 8.5), 1)
    painter.setPen(QColor("black"))
    draw_text(
        painter,
        cell(4),
        format_money(row.opening_cents) or "—",
        fonts.font("sans", 11, bold=True),
        1,
    )
    draw_text(painter, cell(5), format_money(row.floor_cents) or "—", fonts.font("sans", 10), 1)
    draw_text(painter, cell(6), row.talking_points, fonts.font("sans", 8))
    painter.setPen(QPen(RULE, 0.5))
    painter.drawLine(rect.bottomLeft(), rect.bottomRight())


def pull_list_pages(show: ShowView, paper: Paper, photos: PhotoSource) -> list[Page]:
    """The line-up by bin, in walking order: pull the rack before going on air. Each line's
    tag is its place in the line-up."""
    lines = (
        PickLine(
            row.bin_location.strip(),
            LineView(
                row.sku,
                row.title,
                row.opening_cents or 0,
                row.item_id,
                row.bin_location,
                row.cover_hash,
            ),
            str(row.position),
        )
        for row in show.rows
        if not row.sold
    )
    summary = f"{show.title} · {len(show.unsold)} items · #n is the item's place on air"
    return bin_pages(group_by_bin(lines), paper, photos, "Pull list for the show", summary)
