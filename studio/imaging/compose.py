"""Lay the cut-out subject onto a canvas: fit, background fill, soft contact shadow."""

from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps

from studio.imaging.recipe import Background, Canvas, FitSubject, Shadow

Box = tuple[int, int, int, int]
_OPAQUE_ENOUGH = 8  # alpha below this is fringe, not subject, when measuring the subject
_SHADOW_WORK_SCALE = 4  # the shadow is blurred at a quarter size: it is soft anyway


@dataclass(frozen=True)
class Layout:
    background: Background | None = None
    shadow: Shadow | None = None
    fit: FitSubject | None = None
    canvas: Canvas | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.background or self.shadow or self.fit or self.canvas)


def canvas_size(canvas: Canvas, long_side: int) -> tuple[int, int]:
    ratio_w, ratio_h = canvas.ratio()
    longest = max(ratio_w, ratio_h)
    return scaled_size((ratio_w, ratio_h), long_side / longest)


def compose(
    subject: Image.Image,
    layout: Layout,
    size: tuple[int, int],
    fill_image: Callable[[str], Image.Image],
) -> tuple[Image.Image, Box | None]:
    """Place `subject` (RGB, or RGBA when cut out) on a canvas of `size`.

    `fill_image` loads a background image by its store hash. Also returns the box outside
    which the picture is smooth generated fill (None when the fill is a photo), so
    finishing steps such as sharpening can skip what holds no detail.
    """
    subject = subject.convert("RGBA")
    alpha = subject.getchannel("A")
    if layout.fit:
        box = alpha.point(lambda a: 255 if a >= _OPAQUE_ENOUGH else 0).getbbox()
        if box:
            subject = subject.crop(box)
    margin = layout.fit.margin_pct / 100.0 if layout.fit else 0.0
    room = scaled_size(size, 1 - 2 * margin)
    scale = min(room[0] / subject.width, room[1] / subject.height)
    placed = scaled_size(subject.size, scale)
    if placed != subject.size:
        subject = subject.resize(placed, Image.Resampling.LANCZOS, reducing_gap=2.0)
    origin = ((size[0] - placed[0]) // 2, (size[1] - placed[1]) // 2)

    result = _fill(layout.background, size, fill_image)
    if layout.shadow and result.mode == "RGB":
        _cast_shadow(result, subject.getchannel("A"), origin, layout.shadow)
    if result.mode == "RGBA":
        result.alpha_composite(subject, origin)
    else:
        result.paste(subject, origin, subject)
    generated = layout.background is None or layout.background.fill != "image"
    box = (*origin, origin[0] + placed[0], origin[1] + placed[1])
    return result, box if generated else None


def _fill(
    background: Background | None,
    size: tuple[int, int],
    fill_image: Callable[[str], Image.Image],
) -> Image.Image:
    if background is None:
        return Image.new("RGBA", size, (0, 0, 0, 0))
    if background.fill == "white":
        return Image.new("RGB", size, "white")
    if background.fill == "color":
        return Image.new("RGB", size, background.color)
    if background.fill == "gradient":
        return _gradient(size, background)
    assert background.image_hash is not None
    return ImageOps.fit(fill_image(background.image_hash).convert("RGB"), size)


def _gradient(size: tuple[int, int], background: Background) -> Image.Image:
    # A 256-step ramp turned to the angle and stretched: no per-pixel Python loop.
    ramp = Image.linear_gradient("L").rotate(90.0 - background.angle, expand=True)
    ramp = ImageOps.fit(ramp, size, Image.Resampling.BILINEAR)
    start = Image.new("RGB", size, background.color)
    end = Image.new("RGB", size, background.color2)
    return Image.composite(end, start, ramp)


def _cast_shadow(
    canvas: Image.Image, alpha: Image.Image, origin: tuple[int, int], shadow: Shadow
) -> None:
    """A contact shadow: the subject's silhouette flattened onto the floor under it."""
    width, height = alpha.size
    small = scaled_size((width, round(height * shadow.height)), 1 / _SHADOW_WORK_SCALE)
    floor = alpha.resize(small, Image.Resampling.BILINEAR)
    blur = max(0.5, shadow.softness * height / _SHADOW_WORK_SCALE)
    pad = round(blur * 3)
    padded = Image.new("L", (small[0] + 2 * pad, small[1] + 2 * pad), 0)
    padded.paste(floor, (pad, pad))
    padded = padded.filter(ImageFilter.GaussianBlur(blur))
    padded = padded.point(lambda a: round(a * shadow.opacity))
    full = padded.resize(
        (padded.width * _SHADOW_WORK_SCALE, padded.height * _SHADOW_WORK_SCALE),
        Image.Resampling.BILINEAR,
    )
    bottom = origin[1] + height
    where = (origin[0] - pad * _SHADOW_WORK_SCALE, bottom - full.height // 2)
    canvas.paste((0, 0, 0), (*where, where[0] + full.width, where[1] + full.height), full)


def scaled_size(size: tuple[int, int], factor: float) -> tuple[int, int]:
    return max(1, round(size[0] * factor)), max(1, round(size[1] * factor))
