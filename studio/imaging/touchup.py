"""Keep/erase brush strokes painted onto a subject mask. Strokes are data in the recipe."""

from collections.abc import Iterable

from PIL import Image, ImageDraw

from studio.imaging.recipe import Stroke


def apply_strokes(mask: Image.Image, strokes: Iterable[Stroke]) -> Image.Image:
    """A copy of `mask` with each stroke painted in order: keep = 255, erase = 0."""
    result = mask.copy()
    draw = ImageDraw.Draw(result)
    width, height = mask.size
    for stroke in strokes:
        value = 255 if stroke.mode == "keep" else 0
        radius = stroke.radius * max(width, height)
        points = [(x * width, y * height) for x, y in stroke.points]
        if len(points) > 1:
            draw.line(points, fill=value, width=max(1, round(radius * 2)))
        # Round caps and joints, so a drag looks like a brush and a click paints a dot.
        for x, y in points:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=value)
    return result
