"""Bring any decoded image to 8-bit sRGB (RGB, or RGBA when it has transparency)."""

import io

from PIL import Image, ImageCms

_SRGB = ImageCms.createProfile("sRGB")
_SIXTEEN_BIT_MODES = {"I;16", "I;16L", "I;16B", "I;16N", "I"}


def to_srgb8(image: Image.Image) -> Image.Image:
    """An 8-bit sRGB copy of `image`: RGB, or RGBA when the source carries transparency."""
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    alpha = image.convert("RGBA").getchannel("A") if has_alpha else None
    rgb = _apply_icc(_to_8bit(image), image.info.get("icc_profile"))
    if alpha is None:
        return rgb
    rgb.putalpha(alpha)
    return rgb


def _to_8bit(image: Image.Image) -> Image.Image:
    # NumPy only for the rare 16-bit and float images: importing it costs the window's
    # start a fifth of a second, for thumbnails that never need it.
    import numpy as np

    if image.mode in _SIXTEEN_BIT_MODES:
        # Pillow's own convert("L") clips 16-bit values instead of scaling them.
        values = np.asarray(image, dtype=np.float32)
        return Image.fromarray(np.clip(values / 257.0 + 0.5, 0, 255).astype(np.uint8), "L")
    if image.mode == "F":
        values = np.asarray(image, dtype=np.float32)
        scale = 255.0 if float(values.max(initial=0.0)) <= 1.0 else 1.0
        return Image.fromarray(np.clip(values * scale, 0, 255).astype(np.uint8), "L")
    return image


def _apply_icc(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert through the embedded profile when there is one, else by Pillow's formulas."""
    source = image if image.mode in ("RGB", "CMYK", "L") else image.convert("RGB")
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(source, profile, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None
        if converted is not None:
            return converted
    return source.convert("RGB")
