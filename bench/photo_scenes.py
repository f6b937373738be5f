"""A labelled set of product photos, composed by code so every pixel's true answer is known.

Each scene is a cut-out (a garment, a bag with a handle, a strappy top, a shoe, a mug) laid on
a backdrop of one kind (plain, gradient, textured, cluttered) with what makes a cut-out hard:
a soft cast shadow, a reflection on a glossy floor, thin straps, a hole that shows the
backdrop, a white garment on white, a black one on black. The cluttered backdrops are the
real photographs in tests/data/photos. Everything is seeded: the same call makes the same
pixels on any machine. `python -m bench photo_quality` and tests/imaging use it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "photos"
KINDS = ("plain", "gradient", "textured", "cluttered")
_SUPERSAMPLE = 4  # shapes are drawn larger and reduced, for true anti-aliased edges


@dataclass(frozen=True)
class Scene:
    name: str
    kind: str  # one of KINDS: what the backdrop is
    image: Image.Image  # RGB
    truth: np.ndarray  # bool, True where the product is


Shape = Callable[[ImageDraw.ImageDraw, int, int], None]


def _tshirt(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    points = [
        (0.38, 0.16), (0.44, 0.19), (0.50, 0.20), (0.56, 0.19), (0.62, 0.16), (0.80, 0.25),
        (0.86, 0.40), (0.74, 0.44), (0.70, 0.36), (0.70, 0.80), (0.30, 0.80), (0.30, 0.36),
        (0.26, 0.44), (0.14, 0.40), (0.20, 0.25),
    ]  # fmt: skip
    draw.polygon([(x * w, y * h) for x, y in points], fill=255)


def _bag(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    draw.rounded_rectangle((0.22 * w, 0.42 * h, 0.78 * w, 0.80 * h), radius=0.04 * w, fill=255)
    # The handle is a ring: the backdrop shows through it and must stay backdrop.
    draw.ellipse((0.32 * w, 0.18 * h, 0.68 * w, 0.56 * h), outline=255, width=round(0.035 * w))


def _strappy_top(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    draw.polygon([(x * w, y * h) for x, y in [(0.30, 0.40), (0.70, 0.40), (0.74, 0.80),
                                                 (0.26, 0.80)]], fill=255)  # fmt: skip
    strap = max(2, round(0.008 * w))  # about 4 px on a 480 px photo
    draw.line([(0.34 * w, 0.41 * h), (0.38 * w, 0.14 * h)], fill=255, width=strap)
    draw.line([(0.66 * w, 0.41 * h), (0.62 * w, 0.14 * h)], fill=255, width=strap)


def _shoe(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    draw.rounded_rectangle((0.16 * w, 0.58 * h, 0.84 * w, 0.74 * h), radius=0.05 * w, fill=255)
    draw.ellipse((0.16 * w, 0.44 * h, 0.56 * w, 0.72 * h), fill=255)
    draw.ellipse((0.50 * w, 0.54 * h, 0.86 * w, 0.74 * h), fill=255)


def _mug(draw: ImageDraw.ImageDraw, w: int, h: int) -> None:
    draw.rounded_rectangle((0.28 * w, 0.36 * h, 0.62 * w, 0.78 * h), radius=0.02 * w, fill=255)
    draw.ellipse((0.54 * w, 0.44 * h, 0.78 * w, 0.68 * h), outline=255, width=round(0.04 * w))


SHAPES: dict[str, Shape] = {
    "tshirt": _tshirt,
    "bag": _bag,
    "strappy_top": _strappy_top,
    "shoe": _shoe,
    "mug": _mug,
}


def _soft_shape(shape: Shape, size: tuple[int, int]) -> Image.Image:
    w, h = size[0] * _SUPERSAMPLE, size[1] * _SUPERSAMPLE
    big = Image.new("L", (w, h), 0)
    shape(ImageDraw.Draw(big), w, h)
    return big.resize(size, Image.Resampling.BOX)


def _backdrop(
    kind: str, size: tuple[int, int], tone: float, rng: np.random.Generator
) -> np.ndarray:
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.array([236, 233, 228], np.float32) * tone / 236
    if kind == "plain":
        return np.broadcast_to(base, (h, w, 3)).copy()
    if kind == "gradient":  # a paper sweep lit from above: lighter at the top, warmer below
        ramp = (y / h)[..., None]
        return base * (1.05 - 0.25 * ramp) * np.array([1.0, 0.98, 0.95], np.float32) ** ramp
    if kind == "textured":  # floorboards: planks of a slightly different shade with grain
        plank = (y // (h / 7)).astype(int)
        shade = rng.uniform(0.85, 1.05, plank.max() + 1)[plank]
        grain = 0.04 * np.sin(x / rng.uniform(3, 9) + 3 * np.sin(y / 23.0))
        wood = np.array([176, 132, 92], np.float32)
        return wood * (shade + grain)[..., None]
    photo = sorted(SAMPLES.glob("*.jpg"))[int(rng.integers(0, 4))]
    with Image.open(photo) as opened:
        fitted = ImageOps.fit(opened.convert("RGB"), size, Image.Resampling.BICUBIC)
    return np.asarray(fitted, np.float32)


def _cloth(
    size: tuple[int, int], colour: tuple[int, int, int], rng: np.random.Generator
) -> np.ndarray:
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    folds = 0.92 + 0.08 * np.sin(x / rng.uniform(9, 20) + y / rng.uniform(25, 60))
    weave = 0.03 * np.sin(x * 1.7) * np.sin(y * 1.3)
    return np.array(colour, np.float32) * (folds + weave)[..., None]


def compose(
    name: str,
    kind: str,
    shape: str,
    colour: tuple[int, int, int],
    size: tuple[int, int] = (480, 600),
    seed: int = 0,
    backdrop_tone: float = 236.0,
    shadow: float = 0.4,
    reflection: float = 0.0,
) -> Scene:
    """One scene. `shadow` is how much the cast shadow darkens the backdrop (0 for none);
    `reflection` is the opacity of the product's mirror image on a glossy floor below it."""
    rng = np.random.default_rng(seed)
    soft = _soft_shape(SHAPES[shape], size)
    alpha = np.asarray(soft, np.float32)[..., None] / 255
    pixels = _backdrop(kind, size, backdrop_tone, rng)
    if shadow:  # a lamp's soft shadow, and a harder one where the product meets the wall
        for reach, blur, share in ((0.04, 0.025, 0.6), (0.012, 0.006, 0.4)):
            dx, dy = round(reach * size[0]), round(reach * 1.3 * size[1])
            cast = soft.transform(size, Image.Transform.AFFINE, (1, 0, -dx, 0, 1, -dy))
            blurred = np.asarray(cast.filter(ImageFilter.GaussianBlur(blur * size[0])), np.float32)
            pixels *= 1 - share * shadow * blurred[..., None] / 255
    product = _cloth(size, colour, rng)
    if reflection:
        bottom = int(np.flatnonzero(np.asarray(soft).max(axis=1) > 0).max())
        mirrored = np.zeros_like(alpha)
        below = min(size[1] - bottom - 1, bottom)
        mirrored[bottom + 1 : bottom + 1 + below] = alpha[bottom - below + 1 : bottom + 1][::-1]
        fade = np.clip(1 - (np.arange(size[1]) - bottom) / (0.25 * size[1]), 0, 1)
        mirrored *= reflection * fade[:, None, None]
        pixels = pixels * (1 - mirrored) + product * mirrored
    pixels = pixels * (1 - alpha) + product * alpha + rng.normal(0, 2.5, pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    return Scene(name, kind, image, np.asarray(soft) >= 128)


def scenes(size: tuple[int, int] = (480, 600)) -> list[Scene]:
    """The whole set: every backdrop kind, each with the cases that make cut-outs hard."""
    navy, red, white, black = (52, 84, 150), (190, 60, 52), (246, 245, 242), (22, 22, 24)
    tan, grey, beige = (150, 110, 70), (140, 140, 138), (214, 200, 178)
    specs: list[tuple[str, str, str, tuple[int, int, int], dict[str, float]]] = [
        ("plain-shirt-shadow", "plain", "tshirt", navy, {"shadow": 0.45}),
        ("plain-bag-handle", "plain", "bag", tan, {"shadow": 0.35}),
        ("plain-white-on-white", "plain", "tshirt", white, {"backdrop_tone": 244, "shadow": 0.3}),
        ("plain-black-on-black", "plain", "tshirt", black, {"backdrop_tone": 34, "shadow": 0.0}),
        ("plain-shoe-reflection", "plain", "shoe", red, {"shadow": 0.2, "reflection": 0.35}),
        ("gradient-strappy-top", "gradient", "strappy_top", red, {"shadow": 0.4}),
        ("gradient-mug-handle", "gradient", "mug", navy, {"shadow": 0.4}),
        ("gradient-white-shirt", "gradient", "tshirt", white, {"shadow": 0.35}),
        ("textured-shoe-shadow", "textured", "shoe", navy, {"shadow": 0.45}),
        ("textured-bag-handle", "textured", "bag", black, {"shadow": 0.35}),
        ("plain-grey-sweater-shadow", "plain", "tshirt", grey, {"shadow": 0.6}),
        ("gradient-beige-bag-shadow", "gradient", "bag", beige, {"shadow": 0.6}),
        ("cluttered-shirt", "cluttered", "tshirt", red, {"shadow": 0.3}),
        ("cluttered-bag", "cluttered", "bag", white, {"shadow": 0.3}),
    ]
    return [
        compose(name, kind, shape, colour, size, seed, **extra)
        for seed, (name, kind, shape, colour, extra) in enumerate(specs)
    ]
