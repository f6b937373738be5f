"""The cut-out's edge at full resolution: a guided filter in a narrow band, and edge colours
freed of the old backdrop.

The model's mask comes from a 1024 x 1024 squeeze of the photo; scaled up, its edge is soft
and a little off. A guided filter (He, Sun and Tang) lets the photo's own edges shape the mask,
only in a band a few pixels wide around the model's edge, so the inside and the outside keep
the model's answer. Edge pixels are a blend of product and backdrop; decontamination gives
them the colour of the product just inside, so a garment shot on grey shows no grey rim on a
white canvas.
"""

import numpy as np
from PIL import Image
from scipy import ndimage

_EPS = 1e-3  # the guided filter's smoothing: lower follows the photo's edges more closely
_RADIUS = 3  # of the guided filter's window, in pixels of the mask
_SOLID = 0.98  # at or above: the product itself, whose colour the edge borrows


def refine_edge(image: Image.Image, mask: Image.Image) -> Image.Image:
    """`mask` brought to `image`'s size, its edge shaped by the photo's lightness.

    The filter's coefficients are worked out at the mask's size and scaled up, then applied
    to the full-size photo (the "fast guided filter"): full-size work is a multiply-add in
    the box around the band, kept to the band's pixels."""
    upscaled = mask.resize(image.size, Image.Resampling.BILINEAR)
    alpha = np.asarray(mask, np.float32) / 255
    band = _band(alpha, _RADIUS)
    if not band.any():
        return upscaled
    gray = image.convert("L")
    guide = np.asarray(gray.resize(mask.size, Image.Resampling.BILINEAR), np.float32) / 255
    slope, offset = _guided_coefficients(guide, alpha, _RADIUS)
    rows, cols = np.flatnonzero(band.any(axis=1)), np.flatnonzero(band.any(axis=0))
    box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)  # of the mask
    scale = (image.width / mask.width, image.height / mask.height)
    full = (
        int(box[0] * scale[0]),
        int(box[1] * scale[1]),
        min(image.width, int(np.ceil(box[2] * scale[0]))),
        min(image.height, int(np.ceil(box[3] * scale[1]))),
    )
    size = (full[2] - full[0], full[3] - full[1])
    inside = _scaled(band[box[1] : box[3], box[0] : box[2]], size)
    guide_full = np.asarray(gray.crop(full), np.float32)[inside] / 255
    slope_full = _scaled_values(slope[box[1] : box[3], box[0] : box[2]], size)[inside]
    offset_full = _scaled_values(offset[box[1] : box[3], box[0] : box[2]], size)[inside]
    refined = np.clip((slope_full * guide_full + offset_full) * 255, 0, 255)
    result = np.asarray(upscaled).copy()
    window = result[full[1] : full[3], full[0] : full[2]]
    window[inside] = np.round(refined).astype(np.uint8)
    return Image.fromarray(result, "L")


def decontaminate(image: Image.Image, alpha: Image.Image, reach: int = 3) -> Image.Image:
    """`image` (RGB) with its edge pixels, where `alpha` is neither 0 nor full, given the
    product's colour from just inside the edge (within `reach` pixels of a small copy)."""
    weights = np.asarray(alpha)
    edge = (weights > 0) & (weights < round(_SOLID * 255))
    if not edge.any():
        return image
    side = 512
    small_size = _fit(image.size, side)
    small = np.asarray(image.convert("RGB").resize(small_size, Image.Resampling.BOX), np.float32)
    solid = np.asarray(alpha.resize(small_size, Image.Resampling.BILINEAR), np.float32) / 255
    solid = (solid >= _SOLID).astype(np.float32)
    window = 2 * reach + 1
    total = ndimage.uniform_filter(solid, window)
    channels = [ndimage.uniform_filter(small[..., c] * solid, window) for c in range(3)]
    inside = np.stack(channels, -1) / np.maximum(total, 1e-6)[..., None]
    # Where no solid pixel is near, the photo's own colour is the best guess left.
    inside = np.where(total[..., None] > 1e-3, inside, small)
    colours = Image.fromarray(np.clip(inside, 0, 255).astype(np.uint8), "RGB")
    colours = colours.resize(image.size, Image.Resampling.BILINEAR)
    pixels = np.asarray(image.convert("RGB")).copy()
    pixels[edge] = np.asarray(colours)[edge]
    return Image.fromarray(pixels, "RGB")


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    scale = min(1.0, side / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _band(alpha: np.ndarray, width: int) -> np.ndarray:
    edge = (alpha > 0.02) & (alpha < 0.98)
    result: np.ndarray = ndimage.binary_dilation(edge, iterations=width)
    return result


def _scaled(mask: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    image = Image.fromarray(mask.astype(np.uint8) * 255, "L")
    result: np.ndarray = np.asarray(image.resize(size, Image.Resampling.NEAREST)) > 0
    return result


def _scaled_values(values: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    image = Image.fromarray(values.astype(np.float32), "F")
    return np.asarray(image.resize(size, Image.Resampling.BILINEAR))


def _guided_coefficients(
    guide: np.ndarray, source: np.ndarray, radius: int
) -> tuple[np.ndarray, np.ndarray]:
    size = 2 * radius + 1

    def box(values: np.ndarray) -> np.ndarray:
        result: np.ndarray = ndimage.uniform_filter(values, size, mode="nearest")
        return result

    mean_guide, mean_source = box(guide), box(source)
    variance = box(guide * guide) - mean_guide * mean_guide
    covariance = box(guide * source) - mean_guide * mean_source
    slope = covariance / (variance + _EPS)
    offset = mean_source - slope * mean_guide
    return box(slope), box(offset)
