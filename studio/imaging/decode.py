"""Open photo files safely: known formats only, a pixel limit, EXIF orientation, fast drafts.

Every failure becomes a PhotoError whose message a seller can act on, so a batch can report
the photo and carry on.
"""

import math
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from studio.imaging.colour import to_srgb8
from studio.imaging.errors import PhotoError

pillow_heif.register_heif_opener()

SUPPORTED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "HEIF": ".heic"}
# Large enough for a 50 MP phone photo with room to spare; a bomb or a stitched panorama is
# refused before any pixel is decoded.
MAX_PIXELS = 60_000_000
_SWAPPING_ORIENTATIONS = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class PhotoInfo:
    format: str
    width: int  # after EXIF orientation, as the photo is meant to be seen
    height: int
    has_alpha: bool

    @property
    def extension(self) -> str:
        return SUPPORTED_FORMATS[self.format]


def probe(path: Path) -> PhotoInfo:
    """Read only the header: format, shown size, transparency; raise PhotoError if unusable."""
    with _open(path) as image:
        return _info(image)


def load(path: Path, min_long_side: int | None = None) -> Image.Image:
    """Decode `path` as upright 8-bit sRGB (RGB or RGBA).

    With `min_long_side`, a JPEG is decoded at the smallest DCT scale that still gives at
    least that many pixels on its long side, which is several times faster than a full
    decode; the caller resizes the rest of the way.
    """
    with _open(path) as image:
        if min_long_side and image.format == "JPEG":
            scale = min(1.0, min_long_side / max(image.size))
            wanted = (math.ceil(image.size[0] * scale), math.ceil(image.size[1] * scale))
            image.draft(image.mode, wanted)
        try:
            image.load()
        except (OSError, SyntaxError, ValueError) as exc:
            raise PhotoError(f"damaged image data ({exc}); re-export the photo") from exc
        upright = ImageOps.exif_transpose(image) if _orientation(image) > 1 else image
        return to_srgb8(upright)


def _open(path: Path) -> Image.Image:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PhotoError(f"cannot read the file ({exc.strerror})") from exc
    if size == 0:
        raise PhotoError("the file is empty (0 bytes)")
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise PhotoError("too many pixels to open safely; export a smaller copy") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoError("not a photo this studio can read (JPEG, PNG, WebP or HEIC)") from exc
    try:
        _check(image)
    except PhotoError:
        image.close()
        raise
    return image


def _check(image: Image.Image) -> None:
    if image.format == "GIF" and getattr(image, "n_frames", 1) > 1:
        raise PhotoError("animated GIFs are not supported; save one frame as JPEG")
    if image.format not in SUPPORTED_FORMATS:
        raise PhotoError(f"{image.format} is not supported; use JPEG, PNG, WebP or HEIC")
    # HEIC bursts and depth maps are extra images beside the photo: the first is the photo.
    if image.format != "HEIF" and getattr(image, "n_frames", 1) > 1:
        raise PhotoError("animated images are not supported; save one frame")
    pixels = image.size[0] * image.size[1]
    if pixels > MAX_PIXELS:
        raise PhotoError(
            f"{image.size[0]}x{image.size[1]} is {pixels / 1e6:.0f} megapixels, "
            f"over the {MAX_PIXELS // 1_000_000} MP limit; export a smaller copy"
        )


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_EXIF_ORIENTATION, 1))
    except (ValueError, TypeError, OSError):
        return 1


def _info(image: Image.Image) -> PhotoInfo:
    width, height = image.size
    if _orientation(image) in _SWAPPING_ORIENTATIONS:
        width, height = height, width
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return PhotoInfo(str(image.format), width, height, has_alpha)
