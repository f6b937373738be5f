"""Fonts: the bundled hand-written one, and fallbacks that hold every script a buyer writes.

Qt picks each character from the first family in the list that has it, so a Japanese,
Arabic or Cyrillic name or an emoji in a note prints instead of empty boxes.
"""

from functools import cache
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
HAND_FONT_FILES = ("Caveat-Regular.ttf", "Caveat-Bold.ttf")
FALLBACKS = ["DejaVu Sans", "Noto Sans CJK JP", "Noto Color Emoji"]
STYLES = {"hand": ["Caveat"], "sans": ["DejaVu Sans"], "serif": ["DejaVu Serif"]}


@cache
def register_bundled_fonts() -> tuple[str, ...]:
    """Adds the fonts in resources/fonts once per process; returns the families found."""
    families: list[str] = []
    for name in HAND_FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(FONTS_DIR / name))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return tuple(dict.fromkeys(families))


def font(style: str = "sans", size_pt: float = 10, bold: bool = False) -> QFont:
    """A font for print; `style` is "hand", "sans" or "serif"."""
    register_bundled_fonts()
    made = QFont()
    made.setFamilies(STYLES.get(style, STYLES["sans"]) + FALLBACKS)
    made.setPointSizeF(size_pt)
    made.setBold(bold)
    # Unhinted outlines keep widths the same at every resolution, so what fits in the
    # preview fits on paper.
    made.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # The hand font's contextual alternates and ligatures are glyphs without a character of
    # their own: the PDF would lose them from its text (search, copy, screen readers).
    for feature in ("calt", "liga"):
        made.setFeature(QFont.Tag(feature), 0)
    return made
