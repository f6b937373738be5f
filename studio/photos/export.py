"""Saving finished photos into a folder the seller picks (for uploads, or a web shop)."""

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from studio.imaging.recipe import Recipe
from studio.imaging.render import Renderer
from studio.photos.library import GridPhoto


def export_photos(
    renderer: Renderer,
    photos: Sequence[GridPhoto],
    folder: Path,
    progress: Callable[[int, int], bool] | None = None,
) -> list[Path]:
    """Writes each photo as styled by its recipe, named SKU-1, SKU-2 … in item order.

    `progress(done, total)` returns False to stop; the files already written stay, whole.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    numbers: dict[str, int] = {}
    for done, photo in enumerate(sorted(photos, key=lambda p: (p.sku, p.position)), start=1):
        recipe = Recipe.from_json(photo.recipe) if photo.recipe else Recipe()
        finished = renderer.export(photo.file_hash, recipe)  # cached: no work if styled before
        numbers[photo.sku] = numbers.get(photo.sku, 0) + 1
        target = folder / f"{photo.sku}-{numbers[photo.sku]}{finished.suffix}"
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(finished, partial)
        partial.replace(target)
        written.append(target)
        if progress is not None and not progress(done, len(photos)):
            break
    return written
