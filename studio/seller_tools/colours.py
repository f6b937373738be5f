"""Colours: the dominant colour of a cover photo's subject, and whether two colours go
together (neutrals with anything, neighbours on the colour wheel, or opposites)."""

import colorsys
from collections import Counter
from pathlib import Path

from PIL import Image

RGB = tuple[int, int, int]

NAMED: dict[str, RGB] = {
    "black": (20, 20, 20),
    "white": (245, 245, 245),
    "cream": (240, 230, 205),
    "ivory": (250, 245, 230),
    "beige": (220, 200, 170),
    "camel": (193, 154, 107),
    "tan": (210, 180, 140),
    "brown": (120, 80, 50),
    "grey": (128, 128, 128),
    "gray": (128, 128, 128),
    "navy": (20, 30, 80),
    "denim blue": (70, 100, 150),
    "blue": (40, 80, 200),
    "red": (200, 30, 40),
    "burgundy": (110, 20, 40),
    "rust": (180, 80, 40),
    "orange": (240, 130, 30),
    "mustard": (210, 170, 40),
    "yellow": (240, 220, 60),
    "olive": (110, 110, 40),
    "green": (40, 150, 60),
    "emerald": (20, 130, 90),
    "teal": (20, 128, 128),
    "pink": (240, 150, 180),
    "lavender": (180, 160, 220),
    "purple": (110, 50, 150),
}
NEUTRAL_SATURATION = 0.25
BROWN_HUES = (15.0, 45.0)  # browns, camels and tans behave as neutrals in an outfit


def parse_colour(text: str) -> RGB | None:
    """A colour name (the longest one found in the text) or '#rrggbb'."""
    value = text.strip().lower()
    if value.startswith("#") and len(value) == 7:
        return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
    found = [name for name in NAMED if name in value]
    return NAMED[max(found, key=len)] if found else None


def hex_of(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def name_of(rgb: RGB) -> str:
    """The nearest named colour, for explanations."""
    return min(
        NAMED, key=lambda name: sum((a - b) ** 2 for a, b in zip(NAMED[name], rgb, strict=True))
    )


def subject_colour(path: Path) -> RGB:
    """The dominant colour of the photo's middle, leaving out what matches its corners (the
    background): product photos put the subject in the middle."""
    side = 48
    with Image.open(path) as image:
        image.draft("RGB", (256, 256))
        data = image.convert("RGB").resize((side, side)).tobytes()

    def at(x: int, y: int) -> RGB:
        i = (y * side + x) * 3
        return (data[i], data[i + 1], data[i + 2])

    corners = [at(0, 0), at(side - 1, 0), at(0, side - 1), at(side - 1, side - 1)]
    background = [sum(c[i] for c in corners) // 4 for i in range(3)]
    counts: Counter[RGB] = Counter()
    for y in range(side // 5, side - side // 5):
        for x in range(side // 5, side - side // 5):
            rgb = at(x, y)
            if sum(abs(a - b) for a, b in zip(rgb, background, strict=True)) > 60:
                counts[
                    (rgb[0] // 32 * 32 + 16, rgb[1] // 32 * 32 + 16, rgb[2] // 32 * 32 + 16)
                ] += 1
    if not counts:
        return (background[0], background[1], background[2])
    return counts.most_common(1)[0][0]


def _hsv(rgb: RGB) -> tuple[float, float, float]:
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    return h * 360, s, v


def is_neutral(rgb: RGB) -> bool:
    hue, saturation, value = _hsv(rgb)
    if saturation < NEUTRAL_SATURATION or value < 0.2:
        return True
    return BROWN_HUES[0] <= hue <= BROWN_HUES[1] and value < 0.8 and saturation < 0.7


def harmony(a: RGB, b: RGB) -> str:
    """Why two colours go together, or "" when they clash."""
    if is_neutral(a) or is_neutral(b):
        neutral = a if is_neutral(a) else b
        return f"{name_of(neutral)} is a neutral that goes with {name_of(b if neutral == a else a)}"
    distance = abs(_hsv(a)[0] - _hsv(b)[0]) % 360
    distance = min(distance, 360 - distance)
    if distance <= 35:
        return f"{name_of(a)} and {name_of(b)} are neighbouring colours"
    if distance >= 150:
        return f"{name_of(a)} and {name_of(b)} are complementary colours"
    return ""
