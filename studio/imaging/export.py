"""Encode the finished picture for a marketplace: no EXIF at all, so no GPS and no owner.

The picture is re-encoded from pixels that were already turned upright, so dropping every
EXIF tag loses nothing a buyer needs and leaks nothing a seller would not want shared.
"""

import io

from PIL import Image

from studio.imaging.recipe import Export

EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "webp": ".webp"}
_MIN_QUALITY = 40
_QUALITY_STEP = 8


def encode(image: Image.Image, step: Export) -> bytes:
    """The file's bytes; with `max_bytes`, the quality drops in steps until it fits."""
    if step.format == "png":
        return _save(image, "PNG", optimize=False)
    if step.format == "jpeg" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    fmt = "JPEG" if step.format == "jpeg" else "WEBP"
    quality = step.quality
    while True:
        data = _save(image, fmt, quality=quality)
        if step.max_bytes is None or len(data) <= step.max_bytes or quality <= _MIN_QUALITY:
            return data
        quality = max(_MIN_QUALITY, quality - _QUALITY_STEP)


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    # No exif=, no icc_profile=: Pillow writes neither unless asked, and sRGB is the default
    # every browser assumes.
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
