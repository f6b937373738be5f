"""Background removal without a model, for products shot on a plain or smoothly lit backdrop.

The backdrop is modelled from the photo's border as a smooth colour surface (so gradients
and vignetting are part of it), every pixel is scored by how far it is from that surface,
and the score is split by Otsu's threshold. Shadows change lightness more than colour, so
lightness counts for less. Morphology then fills the garment and drops specks.
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.color import rgb2lab
from skimage.filters import threshold_otsu

from studio.imaging.errors import PhotoError

WORK_SIDE = 640
_BORDER = 0.04  # the strip, as a fraction of the short side, assumed to be backdrop
LIGHTNESS_WEIGHT = 0.35
_MIN_PART = 0.08  # a separate piece smaller than this share of the largest is a speck
_PLAUSIBLE_SHARE = (0.02, 0.95)  # of the frame; outside it the backdrop was not plain
_PLAIN_RESIDUAL = 6.0  # the border's 90th percentile distance from the fitted surface, at most


@dataclass(frozen=True)
class Backdrop:
    """The backdrop fitted from a photo's border as a smooth colour surface."""

    rgb: np.ndarray  # the backdrop's colour at every pixel, had the product not been there
    distance: np.ndarray  # each pixel's distance from it (CIELAB, lightness counting less)
    floor: float  # below this a pixel is backdrop whatever else it is (the border's grain)
    cut: float  # above this it is subject (Otsu's split, never under the floor)
    plain: bool  # the border fits the surface: a plain wall or a paper sweep, not a room


def fit_backdrop(rgb: np.ndarray) -> Backdrop:
    """`rgb` is a float array of 0-255 values; best at WORK_SIDE or smaller."""
    lab = rgb2lab(rgb / 255.0).astype(np.float32)
    height, width = lab.shape[:2]
    terms = _surface_terms(height, width)
    border = _border(lab.shape)
    # Every 7th border pixel is plenty for six coefficients and seven times quicker.
    samples = tuple(axis[::7] for axis in np.nonzero(border))
    coeffs = _fit_surface(terms[samples], lab[samples])
    difference = lab - terms @ coeffs
    difference[..., 0] *= LIGHTNESS_WEIGHT
    distance: np.ndarray = np.linalg.norm(difference, axis=-1)
    colour_coeffs = _fit_surface(terms[samples], rgb[samples])
    floor = _noise_floor(distance)
    plain = float(np.percentile(distance[border], 90)) <= _PLAIN_RESIDUAL
    cut = max(float(threshold_otsu(distance)), floor)
    return Backdrop(terms @ colour_coeffs, distance, floor, cut, plain)


def fallback_mask(image: Image.Image) -> Image.Image:
    """An 8-bit soft mask (255 = subject) at WORK_SIDE on the long side, or smaller."""
    small = image.convert("RGB")
    small.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    backdrop = fit_backdrop(np.asarray(small, dtype=np.float32))
    solid = _clean(backdrop.distance > backdrop.cut)
    share = float(solid.mean())
    if not _PLAUSIBLE_SHARE[0] <= share <= _PLAUSIBLE_SHARE[1]:
        raise PhotoError(
            f"the fallback found {share:.0%} of the photo to be the subject, so the backdrop "
            "is not plain enough for it: install a model (`studio models install`)"
        )
    soft = ndimage.gaussian_filter(solid.astype(np.float32), sigma=0.8)
    return Image.fromarray(np.round(soft * 255).astype(np.uint8), "L")


def _border(shape: tuple[int, ...]) -> np.ndarray:
    height, width = shape[:2]
    strip = max(2, round(min(height, width) * _BORDER))
    border = np.zeros((height, width), bool)
    border[:strip] = border[-strip:] = True
    border[:, :strip] = border[:, -strip:] = True
    return border


def _surface_terms(height: int, width: int) -> np.ndarray:
    """Quadratic terms in x and y: enough for a sweep or a lamp's falloff, not for a subject."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    x, y = x / width - 0.5, y / height - 0.5
    return np.stack([np.ones_like(x), x, y, x * x, y * y, x * y], axis=-1)


def _fit_surface(samples: np.ndarray, values: np.ndarray) -> np.ndarray:
    keep = np.ones(len(samples), bool)
    # Twice: a hem or a hanger touching the border would otherwise pull the backdrop model.
    for _ in range(2):
        # Normal equations of six unknowns: lstsq's LAPACK call costs tens of ms on a busy
        # machine, this a fraction of one.
        kept = samples[keep].astype(np.float64)
        coeffs = np.linalg.solve(kept.T @ kept, kept.T @ values[keep])
        residual = np.linalg.norm(samples @ coeffs - values, axis=1)
        keep = residual <= max(float(np.percentile(residual, 80)) * 2.0, 1.0)
    result: np.ndarray = coeffs
    return result


def _noise_floor(distance: np.ndarray) -> float:
    """Backdrop grain must never count as subject, however plain the photo."""
    border_values = distance[_border(distance.shape)]
    return float(np.percentile(border_values, 99)) * 1.2


def _clean(mask: np.ndarray) -> np.ndarray:
    mask = ndimage.binary_opening(mask, iterations=1)
    mask = ndimage.binary_closing(mask, iterations=2)
    mask = ndimage.binary_fill_holes(mask)
    labels, count = ndimage.label(mask)
    if count == 0:
        return mask
    sizes = ndimage.sum(mask, labels, index=np.arange(1, count + 1))
    keep = np.flatnonzero(sizes >= sizes.max() * _MIN_PART) + 1
    result: np.ndarray = np.isin(labels, keep)
    return result
