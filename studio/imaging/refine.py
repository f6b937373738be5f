"""Mask refinement after the model: the photo's own colours decide what the model hesitated over.

The model is sure of almost every pixel of a product. Where it hesitates (a cast shadow, a
reflection on a glossy floor, a backdrop close to the product's colour) the backdrop's own
evidence decides, read as the fallback reads it (`fallback.fit_backdrop`). Each step was
measured on the composed scenes of `python -m bench photo_quality` and is kept because the
studio's mean and worst intersection-over-union there rose with it (README, Performance):

- `shadow`: on a plain or smoothly lit backdrop, a pixel with the backdrop's chromaticity,
  only darker, and without a fabric's fine detail is a cast shadow, not the product;
- `fuse`: every other hesitant pixel, away from the model's edge, goes to whichever it looks
  more like: the backdrop (the fitted surface on a plain backdrop, else the sure backdrop
  nearby) or the product nearby; the hesitant rim of what it took away goes with it;
- `holes`: holes inside the subject are filled only where they are not backdrop-coloured (a
  bag handle's hole stays open), and small islands apart from the subject are dropped.

All of it runs on a small copy (REFINE_SIDE) and changes the model's mask only where the
decision changed, so its soft edge stays for the edge step (matting.refine_edge).
"""

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.color import rgb2lab

from studio.imaging.fallback import LIGHTNESS_WEIGHT, Backdrop, fit_backdrop

STEPS = ("shadow", "fuse", "holes")
REFINE_SIDE = 512
_MIN_ISLAND = 0.02  # a piece apart from the subject, smaller than this share of it, is a speck
_SHADOW_DARKEST = 0.30  # a shadow keeps at least this share of the backdrop's light
_SHADOW_LIGHTEST = 0.97
_SHADOW_TINT = 0.035  # how far the channels' ratios to the backdrop may spread in a shadow
_SHADOW_TEXTURE = 0.02  # a shadow's fine detail, as a share of its light: grain, no weave
_EDGE_PX = 2
_SURE = 0.05  # the model's answers under this, or over one minus this, are taken as they are
_NEIGHBOURHOOD = 6.0  # px of the small copy: how far the product's and backdrop's colours are read


@dataclass(frozen=True)
class Evidence:
    """What the backdrop says about each pixel of the small copy."""

    backdrop: Backdrop
    shadow: np.ndarray  # bool: the backdrop's colour, darker, smooth


def refine(image: Image.Image, mask: Image.Image, steps: Collection[str] = STEPS) -> Image.Image:
    """The model's `mask` (8-bit, any size) refined with what `image` shows of its backdrop."""
    if not steps:
        return mask
    small = image.convert("RGB")
    small.thumbnail((REFINE_SIDE, REFINE_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    soft = np.asarray(mask.resize(small.size, Image.Resampling.BILINEAR), np.float32) / 255
    rgb = np.asarray(small, np.float32)
    evidence = gather(rgb)
    subject = soft >= 0.5
    # The model is sure of almost every pixel of a product; what it hesitates over is where
    # shadows, reflections and a backdrop close to the product's colour end up.
    unsure = (soft > _SURE) & (soft < 1 - _SURE)
    if evidence.backdrop.plain and "shadow" in steps:
        subject &= ~(unsure & evidence.shadow)
        unsure &= ~evidence.shadow
    # Colours decide nothing at the model's edge: a blend of both is right there, and the
    # edge step (matting.py) shapes it at full size.
    outline = subject ^ ndimage.binary_erosion(subject)
    unsure &= ~ndimage.binary_dilation(outline, iterations=_EDGE_PX)
    if "fuse" in steps:
        subject = _fuse(rgb, soft, subject, unsure, evidence)
    if "holes" in steps:
        subject = _fill_holes(subject, evidence)
        subject = _drop_islands(subject)
    return _apply(mask, soft >= 0.5, subject)


def gather(rgb: np.ndarray) -> Evidence:
    backdrop = fit_backdrop(rgb)
    ratio = rgb / np.maximum(backdrop.rgb, 1.0)
    light = ratio.mean(axis=-1)
    tint = np.abs(ratio - light[..., None]).max(axis=-1)
    # Texture is what is left after a blur: a shadow's smooth fall-off leaves only the
    # backdrop's grain, a fabric leaves its weave.
    detail = light - ndimage.gaussian_filter(light, 1.5)
    texture = np.sqrt(ndimage.gaussian_filter(detail * detail, 2.0))
    shadow = (
        (light > _SHADOW_DARKEST)
        & (light < _SHADOW_LIGHTEST)
        & (tint < _SHADOW_TINT)
        & (texture < _SHADOW_TEXTURE)
    )
    return Evidence(backdrop, shadow)


def _fuse(
    rgb: np.ndarray, soft: np.ndarray, subject: np.ndarray, unsure: np.ndarray, evidence: Evidence
) -> np.ndarray:
    """Each pixel the model hesitated over goes to whichever it looks more like: the backdrop
    (the fitted surface when the backdrop is plain, else the sure backdrop nearby) or the
    product nearby."""
    if not unsure.any():
        return subject
    product = _local_colour(rgb, soft >= 1 - _SURE)
    if evidence.backdrop.plain:
        backdrop = evidence.backdrop.rgb
    else:
        backdrop = _local_colour(rgb, soft <= _SURE)
    # Compared as the fallback compares colours (CIELAB, lightness counting less), so a
    # reflection darkened by the product's shadow still reads as the backdrop's colour.
    here, near_product, near_backdrop = (
        _weighted_lab(values[unsure]) for values in (rgb, product, backdrop)
    )
    to_product = np.linalg.norm(here - near_product, axis=-1)
    to_backdrop = np.linalg.norm(here - near_backdrop, axis=-1)
    fused = subject.copy()
    fused[unsure] = to_product < to_backdrop
    # What the colours took away leaves the model's hesitant rim around it (the edge band
    # they do not decide): a sliver of hesitant pixels there, thinner than the band, goes
    # too. A strap is a sliver as well, but nothing was taken away beside it.
    taken = ndimage.binary_dilation(subject & ~fused, iterations=_EDGE_PX + 1)
    hesitant = (soft > _SURE) & (soft < 1 - _SURE)
    sliver = fused & hesitant & taken & ~ndimage.binary_opening(fused, iterations=_EDGE_PX)
    fused &= ~sliver
    return fused


def _weighted_lab(rgb: np.ndarray) -> np.ndarray:
    lab: np.ndarray = rgb2lab(np.clip(rgb, 0, 255)[None] / 255.0)[0]
    lab[:, 0] *= LIGHTNESS_WEIGHT
    return lab


def _local_colour(rgb: np.ndarray, where: np.ndarray) -> np.ndarray:
    """The mean colour of the `where` pixels around each pixel (a normalised blur)."""
    weight = ndimage.gaussian_filter(where.astype(np.float32), _NEIGHBOURHOOD)
    channels = [ndimage.gaussian_filter(rgb[..., c] * where, _NEIGHBOURHOOD) for c in range(3)]
    return np.stack(channels, -1) / np.maximum(weight, 1e-6)[..., None]


def _fill_holes(subject: np.ndarray, evidence: Evidence) -> np.ndarray:
    holes = ndimage.binary_fill_holes(subject) & ~subject
    labels, count = ndimage.label(holes)
    if count == 0:
        return subject
    backdrop = evidence.backdrop
    # Without a trustworthy backdrop colour only pinholes are filled: they are the model's noise.
    looks_backdrop = backdrop.distance < backdrop.cut if backdrop.plain else np.ones_like(subject)
    share = ndimage.mean(looks_backdrop, labels, np.arange(1, count + 1))
    sizes = ndimage.sum(holes, labels, np.arange(1, count + 1))
    pinhole = sizes < subject.size * 0.0005
    fill = np.flatnonzero((share < 0.5) | pinhole) + 1
    result: np.ndarray = subject | np.isin(labels, fill)
    return result


def _drop_islands(subject: np.ndarray) -> np.ndarray:
    labels, count = ndimage.label(subject)
    if count < 2:
        return subject
    sizes = ndimage.sum(subject, labels, np.arange(1, count + 1))
    keep = np.flatnonzero(sizes >= sizes.max() * _MIN_ISLAND) + 1
    result: np.ndarray = np.isin(labels, keep)
    return result


def _apply(mask: Image.Image, before: np.ndarray, after: np.ndarray) -> Image.Image:
    """Change the full-size soft mask only where the small decision changed, so the model's
    soft edge survives everywhere the refinement agreed with it."""
    if np.array_equal(before, after):
        return mask
    size = mask.size
    added = Image.fromarray((after & ~before).astype(np.uint8) * 255).resize(
        size, Image.Resampling.BILINEAR
    )
    removed = Image.fromarray((before & ~after).astype(np.uint8) * 255).resize(
        size, Image.Resampling.BILINEAR
    )
    values = np.asarray(mask, np.float32)
    values = np.maximum(values, np.asarray(added, np.float32))
    values = np.minimum(values, 255 - np.asarray(removed, np.float32))
    return Image.fromarray(np.clip(values, 0, 255).astype(np.uint8), "L")
