"""Auto light and white balance keep the product's own colour: the backdrop is what gets
corrected, and a coloured product's hue turns by a few degrees at most."""

import colorsys

import numpy as np
import pytest
from PIL import Image

from studio.imaging.recipe import AutoAdjust
from studio.imaging.tone import auto_adjust

WIDTH, HEIGHT = 800, 1000
PRODUCT = (slice(200, 820), slice(180, 620))  # rows, columns: most of the frame's middle


def photo(product: tuple[int, int, int], backdrop: tuple[int, int, int]) -> Image.Image:
    """A product on a tinted backdrop under light that falls off towards the bottom, with
    sensor noise: the kind of photo a reseller takes against a wall."""
    rng = np.random.default_rng(7)
    image = np.empty((HEIGHT, WIDTH, 3), np.float32)
    image[:] = backdrop
    image[PRODUCT] = product
    light = np.linspace(1.0, 0.82, HEIGHT, dtype=np.float32)[:, None, None]
    noisy = image * light + rng.normal(0, 3, image.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def hue_and_saturation(image: Image.Image) -> tuple[float, float]:
    """The product's mean hue in degrees, and its median saturation (chroma over value, so
    a product lit darker or lighter keeps the same figure)."""
    pixels = np.asarray(image, np.float32)[PRODUCT].reshape(-1, 3)
    hue, _saturation, _value = colorsys.rgb_to_hsv(*(pixels.mean(axis=0) / 255))
    saturation = (pixels.max(axis=1) - pixels.min(axis=1)) / np.maximum(pixels.max(axis=1), 1)
    return hue * 360, float(np.median(saturation))


def backdrop_chroma(image: Image.Image) -> float:
    top = np.asarray(image, np.float32)[:120].reshape(-1, 3)
    return float((top.max(axis=1) - top.min(axis=1)).mean())


@pytest.mark.parametrize(
    ("product", "backdrop"),
    [
        ((232, 176, 186), (238, 226, 204)),  # blush-pink bag on a cream wall
        ((232, 176, 186), (214, 222, 236)),  # the same bag on a cool grey-blue sheet
        ((40, 52, 98), (236, 224, 200)),  # navy jacket on warm paper
        ((112, 122, 70), (226, 220, 236)),  # olive trousers on a lilac-grey wall
        ((178, 34, 40), (240, 236, 224)),  # red dress on off-white
    ],
)
def test_the_product_keeps_its_hue_and_colour(product, backdrop) -> None:
    before = photo(product, backdrop)
    after = auto_adjust(before, AutoAdjust())
    hue_before, saturation_before = hue_and_saturation(before)
    hue_after, saturation_after = hue_and_saturation(after)
    turned = (hue_after - hue_before + 180) % 360 - 180
    assert abs(turned) <= 4.0
    assert saturation_after >= 0.8 * saturation_before


def test_a_neutral_product_lets_the_backdrop_cast_be_corrected() -> None:
    before = photo((128, 128, 128), (238, 222, 196))  # grey sweater, warm light on a wall
    after = auto_adjust(before, AutoAdjust())
    assert backdrop_chroma(after) < 0.5 * backdrop_chroma(before)
