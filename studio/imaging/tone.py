"""Automatic exposure and white balance, and sharpening."""

import numpy as np
from PIL import Image, ImageFilter

from studio.imaging.recipe import AutoAdjust, Sharpen

_STATS_SIDE = 256  # statistics from a small copy: the same answer, a hundredth of the work
_GAIN_LIMITS = (0.75, 1.33)
_GAMMA_LIMITS = (0.7, 1.4)


def auto_adjust(image: Image.Image, step: AutoAdjust) -> Image.Image:
    sample = image.convert("RGB")
    sample.thumbnail((_STATS_SIDE, _STATS_SIDE), Image.Resampling.NEAREST)
    pixels = np.asarray(sample, dtype=np.float32).reshape(-1, 3)
    gains = _white_balance_gains(pixels) if step.white_balance else np.ones(3, np.float32)
    gains = 1.0 + (gains - 1.0) * step.strength
    balanced = np.clip(pixels * gains, 0, 255)
    low, high, gamma = _exposure(balanced, step.strength) if step.exposure else (0.0, 255.0, 1.0)
    gamma *= 1.0 - 0.5 * step.brightness
    levels = np.arange(256, dtype=np.float32)
    tables: list[int] = []
    for channel in range(3):
        value = np.clip((levels * gains[channel] - low) / max(high - low, 1.0), 0.0, 1.0)
        tables.extend(np.round(255.0 * value**gamma).astype(np.uint8).tolist())
    if image.mode == "RGBA":
        tables.extend(range(256))
    return image.point(tables)


def _white_balance_gains(pixels: np.ndarray) -> np.ndarray:
    """Grey world over the mid-tones: clipped highlights and deep shadows carry no colour."""
    luma = pixels.mean(axis=1)
    usable = pixels[(luma > 30) & (luma < 235)]
    if len(usable) < 100:
        return np.ones(3, np.float32)
    means = usable.mean(axis=0)
    gains = means.mean() / np.maximum(means, 1.0)
    return np.clip(gains, *_GAIN_LIMITS).astype(np.float32)


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
