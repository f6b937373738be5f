"""Photos of items: adding files, order and cover, recipes, styling batches, draft items."""

from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from studio.imaging.batch_queue import batch_counts, pending_entries
from studio.imaging.recipe import Background, Recipe, RemoveBackground, Shadow, Stroke
from studio.imaging.store import PhotoStore
from studio.inventory.tables import Item, Photo
from studio.photos import library as photo_library
from studio.photos.drafts import create_draft_items


@pytest.fixture
def store(data_dir: Path) -> PhotoStore:
    return PhotoStore(data_dir / "photos")


def photo_files(folder: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = folder / f"shot-{number}.jpg"
        Image.new("RGB", (64, 48), (40 * number % 255, 90, 160)).save(path)
        paths.append(path)
    return paths


def positions(database, item_id: int) -> list[str]:
    with database.session() as session:
        query = select(Photo).where(Photo.item_id == item_id).order_by(Photo.position)
        return [p.filename for p in session.exec(query)]


def test_added_photos_follow_the_existing_ones_and_bad_files_are_reported(
    tmp_path: Path, database, store, add_item
) -> None:
    item = add_item()
    first = photo_files(tmp_path, 2)
    photo_library.add_photo_files(database, store, item.id, first[:1])
    broken = tmp_path / "notes.jpg"
    broken.write_text("not a photo")
    ids, errors = photo_library.add_photo_files(database, store, item.id, [broken, first[1]])
    assert len(ids) == 1
    assert errors and errors[0].startswith("notes.jpg: ")
    assert positions(database, item.id) == ["shot-0.jpg", "shot-1.jpg"]


def test_reorder_cover_and_moving_between_items_keep_positions_dense(
    tmp_path: Path, database, store, add_item
) -> None:
    shirt, jacket = add_item(title="Shirt"), add_item(title="Jacket")
    ids, _ = photo_library.add_photo_files(database, store, shirt.id, photo_files(tmp_path, 4))
    with database.transaction() as session:
        assert photo_library.set_cover(session, ids[2]) == {shirt.id}
    assert positions(database, shirt.id) == ["shot-2.jpg", "shot-0.jpg", "shot-1.jpg", "shot-3.jpg"]
    with database.transaction() as session:
        touched = photo_library.place_photos(session, [ids[0]], jacket.id, 0)
    assert touched == {shirt.id, jacket.id}
    assert positions(database, shirt.id) == ["shot-2.jpg", "shot-1.jpg", "shot-3.jpg"]
    assert positions(database, jacket.id) == ["shot-0.jpg"]
    with database.session() as session:
        grid = photo_library.photos_of_items(session, [jacket.id, shirt.id])
    assert [(p.sku, p.position) for p in grid] == [
        (jacket.sku, 0),
        (shirt.sku, 0),
        (shirt.sku, 1),
        (shirt.sku, 2),
    ]


def test_styling_keeps_each_photos_touch_ups_and_queues_a_batch(
    tmp_path: Path, database, store, add_item
) -> None:
    item = add_item()
    ids, _ = photo_library.add_photo_files(database, store, item.id, photo_files(tmp_path, 2))
    stroke = Stroke("keep", 0.05, ((0.5, 0.5),))
    touched = Recipe((RemoveBackground("fallback", (stroke,)),)).to_json()
    with database.transaction() as session:
        photo_library.set_recipes(session, {ids[0]: touched})
    chosen = Recipe((RemoveBackground("fallback"), Background("color", "#336699"), Shadow()))

    styling = photo_library.queue_styling(database, store, ids, chosen, "Blue")

    assert styling.previous == {ids[0]: touched, ids[1]: None}
    with database.session() as session:
        rows = session.exec(select(Photo)).all()
    stored = {p.id: Recipe.from_json(p.recipe) for p in rows}
    assert stored[ids[1]] == chosen
    assert stored[ids[0]].find(RemoveBackground).strokes == (stroke,)
    assert stored[ids[0]].find(Background).color == "#336699"
    assert batch_counts(database, styling.batch_id)["pending"] == 2
    entries = pending_entries(database, styling.batch_id)
    assert [e.file_hash for e in entries] == [p.file_hash for p in rows]


def test_a_recipe_that_cannot_render_is_refused(database, store, add_item, tmp_path) -> None:
    item = add_item()
    ids, _ = photo_library.add_photo_files(database, store, item.id, photo_files(tmp_path, 1))
    with pytest.raises(ValueError), database.transaction() as session:
        photo_library.set_recipes(session, {ids[0]: '{"steps": [{"step": "melt"}]}'})


def test_groups_become_draft_items_with_their_photos(tmp_path: Path, database, store) -> None:
    files = photo_files(tmp_path, 5)
    drafts = create_draft_items(database, store, [files[:3], [], files[3:]])
    assert len(drafts.item_ids) == 2 and drafts.errors == []
    with database.session() as session:
        titles = [session.get(Item, i).title for i in drafts.item_ids]
    assert titles == ["Draft from shot-0.jpg", "Draft from shot-3.jpg"]
    assert positions(database, drafts.item_ids[1]) == ["shot-3.jpg", "shot-4.jpg"]


def test_stopping_a_draft_import_creates_no_items(tmp_path: Path, database, store) -> None:
    files = photo_files(tmp_path, 4)
    drafts = create_draft_items(database, store, [files[:2], files[2:]], lambda *_: False)
    assert drafts.item_ids == []
    with database.session() as session:
        assert session.exec(select(Item)).all() == []
