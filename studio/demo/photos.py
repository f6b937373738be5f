"""Product photos for demo items, drawn with Pillow: a garment shape in the item's colour."""

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZE = 900
COLOURS = {
    "black": (40, 40, 44), "white": (236, 234, 228), "navy": (34, 48, 92),
    "olive": (110, 112, 60), "burgundy": (112, 30, 48), "camel": (190, 148, 96),
    "cream": (238, 226, 200), "denim blue": (70, 98, 140), "sage": (150, 170, 140),
    "rust": (170, 84, 50), "grey": (130, 132, 136), "pink": (226, 150, 170),
    "emerald": (30, 120, 90), "mustard": (210, 170, 50), "lavender": (180, 160, 210),
    "brown": (110, 76, 50), "red": (190, 40, 46),
}  # fmt: skip
BACKDROPS = ((244, 241, 236), (228, 232, 236), (238, 236, 244))

# Outlines on a 0..1 grid, centred: simple silhouettes a buyer would recognise.
SHAPES = {
    "Tops": [(.30, .18), (.42, .14), (.58, .14), (.70, .18), (.86, .34), (.76, .42), (.70, .36),
             (.70, .84), (.30, .84), (.30, .36), (.24, .42), (.14, .34)],
    "Dresses": [(.40, .12), (.60, .12), (.62, .34), (.76, .86), (.24, .86), (.38, .34)],
    "Bottoms": [(.32, .14), (.68, .14), (.72, .86), (.54, .86), (.50, .38), (.46, .86),
                (.28, .86)],
    "Bags": [(.22, .38), (.78, .38), (.82, .82), (.18, .82)],
}  # fmt: skip
SHAPES |= {"Outerwear": SHAPES["Tops"], "Leggings": SHAPES["Bottoms"]}
SHAPES |= {"Shoes": SHAPES["Bags"], "Accessories": SHAPES["Bags"]}


def draw_product(category: str, colour: str, seed: int) -> Image.Image:
    rng = random.Random(seed)
    backdrop = rng.choice(BACKDROPS)
    image = Image.new("RGB", (SIZE, SIZE), backdrop)
    outline = [(x * SIZE, y * SIZE) for x, y in SHAPES.get(category, SHAPES["Tops"])]
    shadow = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(shadow).polygon([(x + 14, y + 18) for x, y in outline], fill=90)
    image.paste((0, 0, 0), mask=shadow.filter(ImageFilter.GaussianBlur(18)))
    fill = COLOURS.get(colour, (120, 120, 120))
    draw = ImageDraw.Draw(image)
    draw.polygon(outline, fill=fill)
    if category == "Bags":
        draw.arc(
            (0.32 * SIZE, 0.18 * SIZE, 0.68 * SIZE, 0.56 * SIZE), 180, 360, fill=fill, width=22
        )
    # A little texture, so it reads as fabric rather than a flat shape.
    for _ in range(400):
        x, y = rng.randrange(SIZE), rng.randrange(SIZE)
        if image.getpixel((x, y)) == fill:
            shade = tuple(max(0, c - rng.randint(8, 24)) for c in fill)
            draw.line((x, y, x + rng.randint(4, 16), y + 1), fill=shade, width=2)
    return image


def save_product(category: str, colour: str, seed: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{seed}.jpg"
    draw_product(category, colour, seed).save(path, "JPEG", quality=86)
    return path
