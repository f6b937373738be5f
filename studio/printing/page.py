"""A page to print: its kind, its paper, and the function that paints it."""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from studio.printing.paper import Paper

Painter = Callable[[QPainter, QRectF], None]


@dataclass(frozen=True)
class Page:
    kind: str  # a studio.printing.settings.DocumentKind: which printer profile prints it
    paper: Paper
    paint: Painter  # draws in points inside the page rect it is given
    caption: str  # what the preview and the print queue call it
