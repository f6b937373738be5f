"""Replay a recipe on a photo, reusing whatever has not changed.

Three caches, from cheapest to dearest to rebuild: the finished file (keyed by recipe digest
and size, on disk in the store), the cut-out subject (the photo after its adjust and cut-out
steps, in memory, so moving a layout slider only recomposes), and the subject mask (on
disk, per photo and remover, so the model runs once per photo).
"""

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from studio.imaging import decode, export, geometry, tone
from studio.imaging.compose import Layout, canvas_size, compose, scaled_size
from studio.imaging.recipe import (
    AutoAdjust,
    Background,
    Canvas,
    Crop,
    Export,
    FitSubject,
    Recipe,
    RemoveBackground,
    Rotate,
    Shadow,
    Sharpen,
    Step,
    Watermark,
)
from studio.imaging.remover import MaskProvider
from studio.imaging.store import THUMB_SIZE, PhotoStore, thumbnail_bytes, write_atomically
from studio.imaging.touchup import apply_strokes
from studio.imaging.watermark import apply_watermark

PIPELINE_VERSION = 2  # bump when rendering changes, so cached files are made again
PREVIEW_SIDE = 800
_FIT_HEADROOM = 1.25  # a fitted subject fills most of the canvas: decode a little larger
_CUTOUT_SLOTS = 4
_LAYOUT_PHASE = 2


@dataclass
class RenderStats:
    renders: int = 0  # recipes replayed
    file_hits: int = 0  # finished files served from the store
    cutout_hits: int = 0  # renders that reused a cut-out subject from memory


class Renderer:
    """Renders recipes. Not thread-safe: give each worker thread or process its own."""

    def __init__(self, store: PhotoStore | None, masks: MaskProvider) -> None:
        self.store = store
        self.masks = masks
        self.stats = RenderStats()
        self._cutouts: OrderedDict[tuple[str, str, int | None], Image.Image] = OrderedDict()

    def preview(self, file_hash: str, recipe: Recipe, long_side: int = PREVIEW_SIDE) -> Path:
        """A JPEG preview of a stored photo, at most `long_side` px, cached on disk."""
        store = self._need_store()
        path = store.derived_path(file_hash, f"preview{long_side}-{_key(recipe)}", ".jpg")
        if path.exists():
            self.stats.file_hits += 1
            return path
        image = self.render(store.original(file_hash), file_hash, recipe, long_side)
        write_atomically(path, export.encode(image, Export(quality=85)))
        return path

    def export(self, file_hash: str, recipe: Recipe) -> Path:
        """The finished file of a stored photo, cached on disk; no EXIF, so no GPS."""
        store = self._need_store()
        settings = recipe.find(Export) or Export()
        path = finished_path(store, file_hash, recipe)
        if path.exists():
            self.stats.file_hits += 1
            return path
        image = self.render(store.original(file_hash), file_hash, recipe)
        write_atomically(path, export.encode(image, settings))
        return path

    def export_file(self, source: Path, recipe: Recipe, file_hash: str | None = None) -> bytes:
        """The finished file's bytes for any photo file; cached when it is in the store."""
        if self.store is not None and file_hash is not None and self.store.contains(file_hash):
            return self.export(file_hash, recipe).read_bytes()
        image = self.render(source, file_hash, recipe)
        return export.encode(image, recipe.find(Export) or Export())

    def render(
        self,
        source: Path,
        file_hash: str | None,
        recipe: Recipe,
        long_side: int | None = None,
    ) -> Image.Image:
        """The finished picture. `long_side` makes a preview that looks like the export."""
        self.stats.renders += 1
        canvas: Canvas | None = recipe.find(Canvas)
        target = long_side or (canvas.min_long_side if canvas else None)
        cutout = self._cutout(source, file_hash, recipe, self._decode_side(recipe, target))
        layout = Layout(
            recipe.find(Background), recipe.find(Shadow), recipe.find(FitSubject), canvas
        )
        picture = cutout
        if canvas is not None and target is not None:
            size = canvas_size(canvas, target)
        else:
            size = _fitted(cutout.size, long_side)
        detail: tuple[int, int, int, int] | None = None
        if not layout.is_empty:
            picture, detail = compose(cutout, layout, size, self._stored_image)
        elif size != picture.size:
            picture = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
        scale = self._detail_scale(source, canvas, picture, long_side)
        for step in recipe.steps:
            if isinstance(step, Sharpen):
                picture = tone.sharpen(picture, step, scale, detail)
            elif isinstance(step, Watermark):
                picture = apply_watermark(picture, step, self._stored_image)
        return picture

    def _cutout(
        self, source: Path, file_hash: str | None, recipe: Recipe, decode_side: int | None
    ) -> Image.Image:
        early = Recipe(tuple(s for s in recipe.steps if s.phase < _LAYOUT_PHASE))
        identity = file_hash or f"{source.resolve()}:{source.stat().st_mtime_ns}"
        key = (identity, early.digest(), decode_side)
        if key in self._cutouts:
            self._cutouts.move_to_end(key)
            self.stats.cutout_hits += 1
            return self._cutouts[key]
        image = decode.load(source, min_long_side=decode_side)
        if decode_side is not None and max(image.size) > decode_side * 2:
            image.thumbnail((decode_side, decode_side), Image.Resampling.BILINEAR)
        removal: RemoveBackground | None = early.find(RemoveBackground)
        mask = None
        if removal is not None:
            mask = apply_strokes(
                self.masks.mask(
                    source, file_hash, removal.remover, decoded=image, refine=removal.refine
                ),
                removal.strokes,
            )
            if removal.refine:
                from studio.imaging import matting  # SciPy: only once a photo is cut out

                mask = matting.refine_edge(image, mask)
            else:
                mask = mask.resize(image.size, Image.Resampling.BILINEAR)
        layer = geometry.Layer(image, mask)
        for step in early.steps:
            layer = _adjust(layer, step)
        result = layer.image
        if layer.mask is not None:
            alpha = layer.mask
            if result.mode == "RGBA":
                alpha = ImageChops.darker(alpha, result.getchannel("A"))
            result = result.convert("RGB")
            if removal is not None and removal.clean_edges:
                from studio.imaging import matting

                result = matting.decontaminate(result, alpha)
            result.putalpha(alpha)
        self._cutouts[key] = result
        if len(self._cutouts) > _CUTOUT_SLOTS:
            self._cutouts.popitem(last=False)
        return result

    @staticmethod
    def _decode_side(recipe: Recipe, target: int | None) -> int | None:
        if target is None:
            return None
        crop: Crop | None = recipe.find(Crop)
        extent = max(crop.right - crop.left, crop.bottom - crop.top) if crop else 1.0
        headroom = _FIT_HEADROOM if recipe.find(FitSubject) else 1.0
        return round(target * headroom / extent)

    @staticmethod
    def _detail_scale(
        source: Path, canvas: Canvas | None, picture: Image.Image, long_side: int | None
    ) -> float:
        """How much smaller this picture is than the export, to scale pixel-sized effects."""
        if long_side is None:
            return 1.0
        if canvas is not None:
            return max(picture.size) / canvas.min_long_side
        info = decode.probe(source)
        return max(picture.size) / max(info.width, info.height)

    def _stored_image(self, file_hash: str) -> Image.Image:
        return decode.load(self._need_store().original(file_hash))

    def _need_store(self) -> PhotoStore:
        if self.store is None:
            raise ValueError("this renderer has no photo store")
        return self.store


def _adjust(layer: geometry.Layer, step: Step) -> geometry.Layer:
    if isinstance(step, Rotate):
        return geometry.rotate(layer, step)
    if isinstance(step, Crop):
        return geometry.crop(layer, step)
    if isinstance(step, AutoAdjust):
        return geometry.Layer(tone.auto_adjust(layer.image, step), layer.mask)
    return layer


def _fitted(size: tuple[int, int], long_side: int | None) -> tuple[int, int]:
    if long_side is None or max(size) <= long_side:
        return size
    return scaled_size(size, long_side / max(size))


def finished_path(store: PhotoStore, file_hash: str, recipe: Recipe) -> Path:
    """Where a photo's finished file for this recipe is kept (it may not be made yet)."""
    extension = export.EXTENSIONS[(recipe.find(Export) or Export()).format]
    return store.derived_path(file_hash, f"export-{_key(recipe)}", extension)


def finished_thumbnail(store: PhotoStore, file_hash: str, recipe: Recipe) -> Path | None:
    """A styled photo's grid thumbnail, made from its finished file once a batch or an
    export rendered it; None until then (the grid shows the original meanwhile)."""
    path = store.derived_path(file_hash, f"thumb{THUMB_SIZE}-{_key(recipe)}", ".jpg")
    if path.exists():
        return path
    finished = finished_path(store, file_hash, recipe)
    if not finished.exists():
        return None
    with Image.open(finished) as image:
        write_atomically(path, thumbnail_bytes(image, THUMB_SIZE))
    return path


def _key(recipe: Recipe) -> str:
    return f"v{PIPELINE_VERSION}-{recipe.digest()}"
