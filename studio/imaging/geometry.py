"""Rotate, straighten and crop a photo together with its subject mask."""

import math
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from studio.imaging.recipe import Crop, Rotate

Transform = Callable[[Image.Image], Image.Image]
_QUARTER_TURNS = {
    1: Image.Transpose.ROTATE_270,  # Pillow turns counter-clockwise; recipes count clockwise
    2: Image.Transpose.ROTATE_180,
    3: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Layer:
    """The photo being edited and, when the background is to go, its mask (same size)."""

    image: Image.Image
    mask: Image.Image | None = None

    def map(self, image_op: Transform, mask_op: Transform) -> "Layer":
        return Layer(image_op(self.image), mask_op(self.mask) if self.mask else None)


def rotate(layer: Layer, step: Rotate) -> Layer:
    turns = step.quarter_turns % 4
    if turns:
        method = _QUARTER_TURNS[turns]
        layer = layer.map(lambda im: im.transpose(method), lambda m: m.transpose(method))
    if not step.angle:
        return layer
    width, height = layer.image.size
    keep = _inscribed_scale(width, height, math.radians(step.angle))
    box = _centred_box(width, height, keep)

    def straighten(image: Image.Image, resample: Image.Resampling) -> Image.Image:
        turned = image.rotate(-step.angle, resample=resample, expand=False)
        return turned.crop(box)

    return layer.map(
        lambda im: straighten(im, Image.Resampling.BICUBIC),
        lambda m: straighten(m, Image.Resampling.BILINEAR),
    )


def crop(layer: Layer, step: Crop) -> Layer:
    width, height = layer.image.size
    box = (
        round(step.left * width),
        round(step.top * height),
        max(round(step.right * width), round(step.left * width) + 1),
        max(round(step.bottom * height), round(step.top * height) + 1),
    )
    return layer.map(lambda im: im.crop(box), lambda m: m.crop(box))


def _inscribed_scale(width: int, height: int, angle: float) -> float:
    """How much a centred copy of the frame must shrink to stay inside it once turned.

    A corner (k*w/2, k*h/2) turned back by the angle must land inside the w x h frame, on
    both axes; the smaller bound wins.
    """
    sin, cos = abs(math.sin(angle)), abs(math.cos(angle))
    return min(width / (width * cos + height * sin), height / (width * sin + height * cos))


def _centred_box(width: int, height: int, keep: float) -> tuple[int, int, int, int]:
    new_w, new_h = max(1, int(width * keep)), max(1, int(height * keep))
    left, top = (width - new_w) // 2, (height - new_h) // 2
    return left, top, left + new_w, top + new_h
