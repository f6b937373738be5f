"""Automatic exposure and white balance, and sharpening."""

import numpy as np
from PIL import Image, ImageFilter

from studio.imaging.recipe import AutoAdjust, Sharpen

_STATS_SIDE = 256  # statistics from a small copy: the same answer, a hundredth of the work
_GAIN_LIMITS = (0.75, 1.33)
_GAMMA_LIMITS = (0.7, 1.4)
_BORDER = 0.08  # the frame's outer ring: in a product photo, backdrop
_HUE_TOLERANCE_DEG = 3.0  # how far white balance may turn the product's own colour
_SUBJECT_CHROMA = 18.0  # below this a pixel is near grey: its hue means nothing
_TRIES = (1.0, 0.75, 0.5, 0.3, 0.15, 0.0)


def auto_adjust(image: Image.Image, step: AutoAdjust) -> Image.Image:
    sample = image.convert("RGB")
    sample.thumbnail((_STATS_SIDE, _STATS_SIDE), Image.Resampling.NEAREST)
    grid = np.asarray(sample, dtype=np.float32)
    pixels = grid.reshape(-1, 3)
    gains = np.ones(3, np.float32)
    if step.white_balance:
        backdrop, subject = _backdrop_and_subject(grid)
        gains = (1.0 + (_white_balance_gains(backdrop) - 1.0) * step.strength).astype(np.float32)
        gains = _keeping_hue(subject, gains)
    balanced = np.clip(pixels * gains, 0, 255)
    low, high, gamma = _exposure(balanced, step.strength) if step.exposure else (0.0, 255.0, 1.0)
    gamma *= 1.0 - 0.5 * step.brightness
    levels = np.arange(256, dtype=np.float32)
    gain_tables = [np.round(np.clip(levels * gain, 0, 255)).astype(np.uint8) for gain in gains]
    curve = 255.0 * np.clip((levels - low) / max(high - low, 1.0), 0.0, 1.0) ** gamma
    return _light(image, gain_tables, curve)


def _light(image: Image.Image, gain_tables: list[np.ndarray], curve: np.ndarray) -> Image.Image:
    """White balance per channel, then exposure on each pixel's brightest channel with the
    other two scaled alike: the ratios between channels, and so the hue and saturation of
    the product, stay as they are (a curve per channel would turn a navy towards purple)."""
    rgb = image.convert("RGB") if image.mode != "RGB" else image
    red, green, blue = (
        np.asarray(channel)
        for channel in rgb.point([int(v) for t in gain_tables for v in t]).split()
    )
    # One table for every (brightest, value) pair: value * curve[brightest] / brightest.
    levels = np.arange(256, dtype=np.float32)
    scale = curve / np.maximum(levels, 1.0)
    table = np.clip(np.round(scale[:, None] * levels[None, :]), 0, 255).astype(np.uint8).ravel()
    row = np.maximum(np.maximum(red, green), blue).astype(np.uint16) << 8
    lit = np.dstack([table.take(row | channel) for channel in (red, green, blue)])
    result = Image.fromarray(lit, "RGB")
    if image.mode == "RGBA":
        result.putalpha(image.getchannel("A"))
    return result


def _backdrop_and_subject(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The frame's outer ring stands for the backdrop; inside it, what differs from the
    backdrop's colour and has a colour of its own is the product."""
    height, width, _ = grid.shape
    ring = np.ones((height, width), bool)
    band_y, band_x = max(1, int(height * _BORDER)), max(1, int(width * _BORDER))
    ring[band_y : height - band_y, band_x : width - band_x] = False
    backdrop = grid[ring]
    inner = grid[~ring]
    reference = np.median(backdrop, axis=0)
    differs = np.abs(inner - reference).max(axis=1) > 24
    subject = inner[differs & (_chroma(inner) > _SUBJECT_CHROMA)]
    return backdrop, subject


def _white_balance_gains(pixels: np.ndarray) -> np.ndarray:
    """Grey world over the backdrop's usable tones: a wall or a sheet is meant to be neutral,
    while the product may be any colour at all (a pink bag is not a colour cast)."""
    luma = pixels.mean(axis=1)
    usable = pixels[(luma > 30) & (luma < 250)]
    if len(usable) < 100:
        return np.ones(3, np.float32)
    means = usable.mean(axis=0)
    gains = means.mean() / np.maximum(means, 1.0)
    return np.clip(gains, *_GAIN_LIMITS).astype(np.float32)


def _chroma(pixels: np.ndarray) -> np.ndarray:
    return pixels.max(axis=1) - pixels.min(axis=1)


def _hue(pixels: np.ndarray) -> np.ndarray:
    red, green, blue = pixels[:, 0], pixels[:, 1], pixels[:, 2]
    return np.degrees(np.arctan2(np.sqrt(3.0) * (green - blue), 2.0 * red - green - blue))


def _keeping_hue(subject: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """The strongest part of the correction that turns the product's hue by no more than
    the tolerance; the cut-out and fill colour make the backdrop white anyway."""
    if len(subject) < 50:
        return gains
    before = _hue(subject)
    for strength in _TRIES:
        tried = 1.0 + (gains - 1.0) * strength
        turned = (_hue(np.clip(subject * tried, 0, 255)) - before + 180.0) % 360.0 - 180.0
        if abs(float(np.median(turned))) <= _HUE_TOLERANCE_DEG:
            return tried.astype(np.float32)
    return np.ones(3, np.float32)


def _exposure(pixels: np.ndarray, strength: float) -> tuple[float, float, float]:
    luma = pixels @ np.array([0.299, 0.587, 0.114], np.float32)
    low, high = np.percentile(luma, [0.5, 99.5])
    low, high = float(low) * strength, 255.0 - (255.0 - float(high)) * strength
    stretched = np.clip((luma - low) / max(high - low, 1.0), 1e-3, 1.0)
    middle = float(np.median(stretched))
    gamma = float(np.clip(np.log(0.5) / np.log(np.clip(middle, 0.05, 0.95)), *_GAMMA_LIMITS))
    return low, high, 1.0 + (gamma - 1.0) * strength


def sharpen(
    image: Image.Image,
    step: Sharpen,
    scale: float,
    region: tuple[int, int, int, int] | None = None,
) -> Image.Image:
    """`scale` shrinks the radius for previews so they look like the full-size export.

    With `region`, only that part (plus the blur's reach) is sharpened: the rest is flat.
    """
    radius = max(0.3, step.radius * scale)
    unsharp = ImageFilter.UnsharpMask(radius=radius, percent=step.amount, threshold=step.threshold)
    if region is None:
        region = (0, 0, *image.size)
    reach = int(radius * 3) + 1
    box = (
        max(0, region[0] - reach),
        max(0, region[1] - reach),
        min(image.width, region[2] + reach),
        min(image.height, region[3] + reach),
    )
    part = image.crop(box)
    sharpened = part.convert("RGB").filter(unsharp)
    if part.mode == "RGBA":
        sharpened.putalpha(part.getchannel("A"))
    result = image.copy()
    result.paste(sharpened, box[:2])
    return result
