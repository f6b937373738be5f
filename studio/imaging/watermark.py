"""Logo or text watermark in a corner (or the centre) of the finished picture."""

from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont

from studio.imaging.recipe import Watermark

_EDGE = 0.03  # gap to the picture's edge, fraction of its width


def apply_watermark(
    image: Image.Image, step: Watermark, load_logo: Callable[[str], Image.Image]
) -> Image.Image:
    mark = _logo(image.width, step, load_logo) if step.logo_hash else _text(image.width, step)
    if step.opacity < 1.0:
        mark.putalpha(mark.getchannel("A").point(lambda a: round(a * step.opacity)))
    result = image.convert("RGBA")
    result.alpha_composite(mark, _position(image.size, mark.size, step.position))
    return result if image.mode == "RGBA" else result.convert("RGB")


def _logo(width: int, step: Watermark, load_logo: Callable[[str], Image.Image]) -> Image.Image:
    assert step.logo_hash is not None
    logo = load_logo(step.logo_hash).convert("RGBA")
    target = max(1, round(width * step.scale))
    return logo.resize((target, max(1, round(logo.height * target / logo.width))))


def _text(width: int, step: Watermark) -> Image.Image:
    font = ImageFont.load_default(size=max(8, round(width * step.scale / 5)))
    left, top, right, bottom = (int(v) for v in font.getbbox(step.text))
    pad = max(2, (bottom - top) // 4)
    mark = Image.new("RGBA", (right - left + 2 * pad, bottom - top + 2 * pad), (0, 0, 0, 0))
    draw = ImageDraw.Draw(mark)
    # Dark text with a light outline reads on white covers and on busy photos alike.
    draw.text(
        (pad - left, pad - top),
        step.text,
        font=font,
        fill=(40, 40, 40, 255),
        stroke_width=max(1, pad // 3),
        stroke_fill=(255, 255, 255, 255),
    )
    return mark


def _position(size: tuple[int, int], mark: tuple[int, int], position: str) -> tuple[int, int]:
    edge = round(size[0] * _EDGE)
    x = {"left": edge, "right": size[0] - mark[0] - edge}
    y = {"top": edge, "bottom": size[1] - mark[1] - edge}
    if position == "center":
        return (size[0] - mark[0]) // 2, (size[1] - mark[1]) // 2
    vertical, horizontal = position.split("-")
    return max(0, x[horizontal]), max(0, y[vertical])
