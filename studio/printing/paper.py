"""The paper sizes the layouts are made for, in inches as sold."""

from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize

POINTS_PER_INCH = 72.0
POINTS_PER_MM = POINTS_PER_INCH / 25.4


@dataclass(frozen=True)
class Paper:
    key: str
    label: str
    width_in: float  # as the sheet goes into the printer
    height_in: float
    landscape: bool = False  # printed across the long side (the folded card)

    def page_layout(self) -> QPageLayout:
        size = QPageSize(
            QSizeF(self.width_in, self.height_in),
            QPageSize.Unit.Inch,
            self.label,
            QPageSize.SizeMatchPolicy.ExactMatch,
        )
        orientation = (
            QPageLayout.Orientation.Landscape
            if self.landscape
            else QPageLayout.Orientation.Portrait
        )
        return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))

    def rect(self) -> QRectF:
        """The page in points, as the layouts see it (turned when landscape)."""
        width, height = self.width_in, self.height_in
        if self.landscape:
            width, height = height, width
        return QRectF(0, 0, width * POINTS_PER_INCH, height * POINTS_PER_INCH)


PAPERS = {
    paper.key: paper
    for paper in (
        Paper("letter", "US Letter", 8.5, 11),
        Paper("a4", "A4", 210 / 25.4, 297 / 25.4),
        Paper("4x6", "4 x 6 in", 4, 6),
        Paper("a6", "A6", 105 / 25.4, 148 / 25.4),
        Paper("half-letter-card", "Letter, folded to a half-letter card", 8.5, 11, True),
        Paper("tag-2.25x1.25", "Tag 2.25 x 1.25 in", 2.25, 1.25),
        Paper("tag-1x2.125", "Tag 1 x 2.125 in", 1, 2.125),
        Paper("letter-30", "Letter sheet of 30 labels (1 x 2.625 in)", 8.5, 11),
    )
}

# Which papers make sense for each kind of document (the first is the default).
PAPERS_FOR = {
    "pick_list": ("letter", "a4", "4x6"),
    "slip": ("4x6", "letter", "a4"),
    "label": ("4x6", "letter"),
    "card": ("4x6", "a6", "half-letter-card"),
    "tag": ("tag-2.25x1.25", "tag-1x2.125", "letter-30"),
}


def paper(key: str) -> Paper:
    try:
        return PAPERS[key]
    except KeyError:
        raise ValueError(f"unknown paper {key!r}; choose one of {', '.join(PAPERS)}") from None
