"""Turn groups of photo files (one group per garment) into draft items with those photos."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from studio.imaging.grouping import DEFAULT_GAP, Shot, group_photos
from studio.imaging.photo_files import collect_photos
from studio.imaging.store import PhotoStore
from studio.inventory import service as inventory
from studio.photos.library import ProgressReport, append_photos, import_files
from studio.storage.database import Database


@dataclass
class Drafts:
    item_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def group_folder(folder: Path, gap: timedelta = DEFAULT_GAP) -> list[list[Shot]]:
    """The photos directly in `folder`, grouped by the gaps in their capture times."""
    return group_photos(collect_photos([folder]), gap)


def draft_title(first_photo: Path) -> str:
    # Named after its first photo, so the seller can tell the drafts apart before retitling.
    return f"Draft from {first_photo.name}"


def create_draft_items(
    db: Database,
    store: PhotoStore,
    groups: Sequence[Sequence[Path]],
    progress: ProgressReport | None = None,
) -> Drafts:
    """One draft item per non-empty group.

    Files are copied into the store first; the items and their photos are then written in
    one transaction, so a failure or a stop leaves no half-made items.
    """
    groups = [list(group) for group in groups if group]
    total = sum(len(group) for group in groups)
    result = Drafts()
    imported = []
    done = 0
    for group in groups:

        def report(number: int, _total: int, name: str, base: int = done) -> bool:
            return progress is None or progress(base + number, total, name)

        batch = import_files(store, group, report)
        result.errors.extend(batch.errors)
        imported.append((group[0], batch.photos))
        done += len(group)
        if progress is not None and not progress(done, total, ""):
            return Drafts(errors=result.errors)  # stopped: no items, as if never started
    with db.transaction() as session:
        for first, photos in imported:
            if not photos:
                continue
            item = inventory.create_item(session, {"title": draft_title(first)})
            assert item.id is not None
            append_photos(session, item.id, photos)
            result.item_ids.append(item.id)
    return result
