"""An item's photos: add files, reorder, pick the cover, and keep each photo's edit recipe.

Positions run 0, 1, 2, ... within an item after every change; 0 is the cover. Recipes are
JSON on the Photo row: editing one never touches the original in the photo store.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlmodel import Session, col, select

from studio.imaging.batch_queue import add_batch, batch_counts, unfinished_batches
from studio.imaging.errors import PhotoError
from studio.imaging.recipe import Recipe, RecipeError, RemoveBackground
from studio.imaging.store import PhotoStore, StoredPhoto
from studio.imaging.tables import PhotoBatchEntry
from studio.inventory.tables import Item, Photo, utc_now
from studio.storage.database import Database

# Reports (done, total, current file name); returns False when the caller wants to stop.
ProgressReport = Callable[[int, int, str], bool]


@dataclass(frozen=True)
class GridPhoto:
    """One photo as a screen lists it, with its item's SKU and title."""

    photo_id: int
    item_id: int
    sku: str
    title: str
    position: int
    file_hash: str
    filename: str
    recipe: str | None


@dataclass
class Imported:
    photos: list[StoredPhoto] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "name: what went wrong", one per file


@dataclass(frozen=True)
class Styling:
    batch_id: int
    previous: dict[int, str | None]  # photo id -> its recipe before, for undo
    recipes: dict[int, str | None]  # photo id -> its recipe now


def photos_of_items(session: Session, item_ids: Sequence[int]) -> list[GridPhoto]:
    """The items' photos, item by item in the order given, each item's cover first."""
    if not item_ids:
        return []
    query = (
        select(Photo, Item.sku, Item.title)
        .join(Item, col(Item.id) == col(Photo.item_id))
        .where(col(Photo.item_id).in_(item_ids))
        .order_by(col(Photo.position), col(Photo.id))
    )
    rank = {item_id: number for number, item_id in enumerate(item_ids)}
    rows = sorted(session.exec(query).all(), key=lambda row: rank[row[0].item_id])
    return [_grid_photo(photo, sku, title) for photo, sku, title in rows]


def _grid_photo(photo: Photo, sku: str, title: str) -> GridPhoto:
    assert photo.id is not None
    return GridPhoto(
        photo.id,
        photo.item_id,
        sku,
        title,
        photo.position,
        photo.file_hash,
        photo.filename,
        photo.recipe,
    )


def import_files(
    store: PhotoStore, paths: Sequence[Path], progress: ProgressReport | None = None
) -> Imported:
    """Copy files into the store; a file that is not a usable photo is reported, not fatal."""
    result = Imported()
    for number, path in enumerate(paths):
        if progress is not None and not progress(number, len(paths), path.name):
            break
        try:
            result.photos.append(store.import_file(path))
        except PhotoError as error:
            result.errors.append(f"{path.name}: {error}")
        except OSError as error:
            result.errors.append(f"{path.name}: cannot read the file ({error.strerror or error})")
    return result


def append_photos(session: Session, item_id: int, photos: Iterable[StoredPhoto]) -> list[int]:
    """Add stored photos after the item's last photo; returns the new photo ids."""
    item = session.get(Item, item_id)
    if item is None:
        raise LookupError(f"item {item_id} no longer exists")
    start = len(_item_photos(session, item_id))
    rows = [
        Photo(
            item_id=item_id,
            position=start + offset,
            file_hash=stored.file_hash,
            filename=stored.filename,
            width=stored.width,
            height=stored.height,
        )
        for offset, stored in enumerate(photos)
    ]
    session.add_all(rows)
    item.updated_at = utc_now()
    session.add(item)
    session.flush()
    return [row.id for row in rows if row.id is not None]


def add_photo_files(
    db: Database,
    store: PhotoStore,
    item_id: int,
    paths: Sequence[Path],
    progress: ProgressReport | None = None,
) -> tuple[list[int], list[str]]:
    """Import files and attach them to an item: (new photo ids, per-file errors)."""
    imported = import_files(store, paths, progress)
    with db.transaction() as session:
        return append_photos(session, item_id, imported.photos), imported.errors


def place_photos(session: Session, photo_ids: Sequence[int], item_id: int, index: int) -> set[int]:
    """Move photos (from any item) to `item_id`, starting at `index` among its other photos.

    Returns the ids of the items whose photos changed.
    """
    moving = [_photo(session, photo_id) for photo_id in photo_ids]
    touched = {photo.item_id for photo in moving} | {item_id}
    staying = [p for p in _item_photos(session, item_id) if p.id not in set(photo_ids)]
    index = max(0, min(index, len(staying)))
    for photo in moving:
        photo.item_id = item_id
    _renumber(session, [*staying[:index], *moving, *staying[index:]])
    session.flush()
    for other in touched - {item_id}:
        _renumber(session, list(_item_photos(session, other)))
    for touched_id in touched:
        item = session.get(Item, touched_id)
        if item is not None:
            item.updated_at = utc_now()
            session.add(item)
    session.flush()
    return touched


def set_cover(session: Session, photo_id: int) -> set[int]:
    photo = _photo(session, photo_id)
    return place_photos(session, [photo_id], photo.item_id, 0)


def set_recipes(session: Session, recipes: Mapping[int, str | None]) -> set[int]:
    """Store each photo's recipe JSON (None clears it); returns the items touched."""
    touched = set()
    for photo_id, recipe in recipes.items():
        photo = _photo(session, photo_id)
        if recipe is not None:
            Recipe.from_json(recipe)  # refuse to store what could not be rendered later
        photo.recipe = recipe
        session.add(photo)
        touched.add(photo.item_id)
    session.flush()
    return touched


def recipe_of(text: str | None) -> Recipe:
    """A stored recipe, or the empty one (the photo as shot) when none or unreadable."""
    if not text:
        return Recipe()
    try:
        return Recipe.from_json(text)
    except RecipeError:
        return Recipe()


def keep_touch_ups(chosen: Recipe, current: Recipe) -> Recipe:
    """`chosen` for a photo, carrying over the brush strokes painted on that photo."""
    new_removal = chosen.find(RemoveBackground)
    old_removal = current.find(RemoveBackground)
    if new_removal is None or old_removal is None or not old_removal.strokes:
        return chosen
    return chosen.with_step(replace(new_removal, strokes=old_removal.strokes))


def strokes_removed(recipe: Recipe) -> Recipe:
    removal = recipe.find(RemoveBackground)
    return recipe if removal is None else recipe.with_step(replace(removal, strokes=()))


def queue_styling(
    db: Database, store: PhotoStore, photo_ids: Sequence[int], recipe: Recipe, label: str
) -> Styling:
    """`style_photos` in a transaction of its own."""
    with db.transaction() as session:
        return style_photos(session, store, photo_ids, recipe, label)


def style_photos(
    session: Session, store: PhotoStore, photo_ids: Sequence[int], recipe: Recipe, label: str
) -> Styling:
    """Give the photos `recipe` and queue the batch that renders them, in one transaction.

    Strokes are per photo, so the batch renders the recipe without any; each photo keeps the
    touch-ups it had. The batch still makes those photos' masks, the expensive part.
    """
    shared = strokes_removed(recipe)
    photos = [_photo(session, photo_id) for photo_id in photo_ids]
    previous = {p.id: p.recipe for p in photos if p.id is not None}
    recipes: dict[int, str | None] = {
        photo_id: keep_touch_ups(shared, recipe_of(old)).to_json()
        for photo_id, old in previous.items()
    }
    set_recipes(session, recipes)
    # The batch runner loads the image pipeline (NumPy and its kin): only when a batch is
    # made, not with the library every screen reads photos through.
    from studio.imaging.batch import BatchJob

    jobs = [BatchJob(store.original(p.file_hash), None, p.file_hash) for p in photos]
    batch_id = add_batch(session, shared, jobs, label)
    return Styling(batch_id, previous, recipes)


@dataclass(frozen=True)
class Unfinished:
    batch_id: int
    label: str
    left: int
    total: int


def unfinished_styling(db: Database) -> list[Unfinished]:
    """Batches a quit or a crash interrupted, oldest first, with how much is left."""
    found = []
    for batch in unfinished_batches(db):
        assert batch.id is not None
        counts = batch_counts(db, batch.id)
        found.append(Unfinished(batch.id, batch.label, counts["pending"], sum(counts.values())))
    return found


def batch_photo_names(session: Session, batch_id: int) -> dict[str, str]:
    """The store file name of each photo in a batch -> the name the seller gave the file."""
    query = (
        select(PhotoBatchEntry.source, Photo.filename)
        .join(Photo, col(Photo.file_hash) == col(PhotoBatchEntry.file_hash))
        .where(PhotoBatchEntry.batch_id == batch_id)
    )
    return {Path(source).name: filename for source, filename in session.exec(query)}


def item_names(session: Session, item_ids: Sequence[int]) -> dict[int, str]:
    """'BAG-0042 Coach tote' by item id, for saying which items a screen works on."""
    query = select(Item.id, Item.sku, Item.title).where(col(Item.id).in_(item_ids))
    return {item_id: f"{sku} {title}" for item_id, sku, title in session.exec(query) if item_id}


def photo_count(session: Session, item_id: int) -> int:
    return len(_item_photos(session, item_id))


def _photo(session: Session, photo_id: int) -> Photo:
    photo = session.get(Photo, photo_id)
    if photo is None:
        raise LookupError(f"photo {photo_id} no longer exists")
    return photo


def _item_photos(session: Session, item_id: int) -> Sequence[Photo]:
    query = (
        select(Photo).where(Photo.item_id == item_id).order_by(col(Photo.position), col(Photo.id))
    )
    return session.exec(query).all()


def _renumber(session: Session, photos: Sequence[Photo]) -> None:
    for position, photo in enumerate(photos):
        photo.position = position
        session.add(photo)
