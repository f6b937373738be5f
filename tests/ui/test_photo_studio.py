"""The Photo Studio screen, driven like a seller would: real widgets, files, SQLite, workers.

The classical remover stands in for the model (deterministic, nothing to install): an empty
models dir is set for every test here, except the one marked `model`.
"""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, QUrl
from PySide6.QtGui import QImage
from sqlmodel import select

from studio.imaging.batch_queue import batch_counts
from studio.imaging.model_catalog import LICENCE_NOTE, active_model
from studio.imaging.presets import SHIPPED_PRESETS, SQUARE_WHITE
from studio.imaging.recipe import Background, FitSubject, Recipe, RemoveBackground
from studio.imaging.tables import PhotoBatch
from studio.inventory.tables import Item, Photo
from studio.ui.app import build_services
from studio.ui.main_window import MainWindow
from studio.ui.photos.live_preview import PreviewRequest
from studio.ui.photos.section import PhotoStudioSection

BACKDROP = (236, 234, 229)
GARMENT = (52, 84, 150)
EXIF_IFD, DATE_TIME_ORIGINAL = 0x8769, 0x9003


@pytest.fixture(autouse=True)
def no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-models"
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(empty))


def shirt_photo(path: Path, shade: int = 0, taken: datetime | None = None) -> Path:
    """A garment-like block on a plain backdrop: what the classical remover is made for."""
    image = Image.new("RGB", (240, 300), BACKDROP)
    image.paste((GARMENT[0] + shade, GARMENT[1], GARMENT[2]), (60, 60, 180, 250))
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(EXIF_IFD)[DATE_TIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
    image.save(path, quality=92, exif=exif)
    return path


@pytest.fixture
def studio(window, qtbot):
    window.show_section("photos")
    return window.sections["photos"]


@pytest.fixture
def item_with_photos(studio, qtbot, add_item, tmp_path):
    """An item with three photos added the way a drop from the file manager adds them."""
    item = add_item(title="Striped cotton shirt")
    studio.show_items([item.id])
    qtbot.waitUntil(lambda: studio.model.item_ids == [item.id])
    files = [shirt_photo(tmp_path / f"shirt-{n}.jpg", shade=20 * n) for n in range(3)]
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    assert studio.model.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, QModelIndex())
    qtbot.waitUntil(lambda: len(studio.model.photos) == 3, timeout=10_000)
    return item


def stored_photos(database, item_id: int) -> list[Photo]:
    with database.session() as session:
        query = select(Photo).where(Photo.item_id == item_id).order_by(Photo.position)
        return list(session.exec(query))


def pixel(image: QImage, x: float, y: float) -> tuple[int, int, int]:
    colour = image.pixelColor(int(x * (image.width() - 1)), int(y * (image.height() - 1)))
    return colour.red(), colour.green(), colour.blue()


def near(colour: tuple[int, int, int], wanted: tuple[int, int, int], tolerance: int = 14) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted, strict=True))


def test_dropped_files_become_the_items_photos_in_the_grid(studio, item_with_photos, database):
    photos = stored_photos(database, item_with_photos.id)
    assert [p.filename for p in photos] == ["shirt-0.jpg", "shirt-1.jpg", "shirt-2.jpg"]
    assert [p.position for p in photos] == [0, 1, 2]
    assert [p.photo_id for p in studio.model.photos] == [p.id for p in photos]
    cover = studio.model.index(0)
    assert "Cover" in cover.data() and item_with_photos.sku in cover.data()
    assert studio.banner.text.text() == "Added 3 photo(s)."


def test_drag_to_reorder_make_cover_and_undo(studio, item_with_photos, database, qtbot):
    model = studio.model
    first, second, third = (p.photo_id for p in model.photos)
    # Drag the third photo onto the first: it takes the first place.
    dragged = model.mimeData([model.index(2)])
    assert model.dropMimeData(dragged, Qt.DropAction.MoveAction, -1, 0, model.index(0))
    qtbot.waitUntil(lambda: [p.photo_id for p in model.photos] == [third, first, second])
    assert [p.id for p in stored_photos(database, item_with_photos.id)] == [third, first, second]

    studio.grid.setCurrentIndex(model.index(2))
    studio.grid.make_cover.trigger()
    qtbot.waitUntil(lambda: [p.photo_id for p in model.photos] == [second, third, first])
    assert stored_photos(database, item_with_photos.id)[0].id == second

    studio.services.undo_stack.undo()
    qtbot.waitUntil(lambda: [p.photo_id for p in model.photos] == [third, first, second])


def test_a_move_is_undoable_once_stored_and_a_failed_undo_is_shown(
    studio, item_with_photos, database, qtbot
):
    undo = studio.services.undo_stack
    steps = undo.count()
    first, second, third = (p.photo_id for p in studio.model.photos)
    studio.move_photos([third], item_with_photos.id, 0)
    qtbot.waitUntil(lambda: undo.count() == steps + 1)  # pushed when the write succeeded
    assert undo.undoText() == "Make cover photo"
    assert [p.id for p in stored_photos(database, item_with_photos.id)] == [third, first, second]
    with database.transaction() as session:  # gone meanwhile, e.g. deleted by sync
        session.delete(session.get(Photo, third))
    undo.undo()
    qtbot.waitUntil(lambda: studio.banner.kind == "error")
    assert "Moving photos failed" in studio.banner.text.text()


def test_a_step_change_updates_the_live_preview(studio, item_with_photos, database, qtbot):
    steps = studio.panel.steps
    studio.grid.setCurrentIndex(studio.model.index(0))
    with qtbot.waitSignal(studio.preview.rendered, timeout=15_000):
        steps.remover.setCurrentIndex(steps.remover.findData("fallback"))
        steps.remove.setChecked(True)
        steps.fill.setCurrentIndex(steps.fill.findData("white"))
    qtbot.waitUntil(lambda: not studio.preview.busy and studio.view.after is not None)
    qtbot.waitUntil(lambda: near(pixel(studio.view.after, 0.05, 0.5), (255, 255, 255)))
    assert near(pixel(studio.view.before, 0.05, 0.5), BACKDROP)

    steps.pick_colour("#336699")
    blue = (0x33, 0x66, 0x99)
    qtbot.waitUntil(lambda: near(pixel(studio.view.after, 0.05, 0.5), blue), timeout=15_000)
    assert near(pixel(studio.view.after, 0.5, 0.5), GARMENT, tolerance=30)  # the shirt stays

    def stored_recipe() -> Recipe:
        return Recipe.from_json(stored_photos(database, item_with_photos.id)[0].recipe)

    # The preview may be on screen a moment before the recipe's write has committed.
    qtbot.waitUntil(lambda: stored_recipe().find(Background).color == "#336699")
    assert stored_recipe().find(RemoveBackground).remover == "fallback"

    steps.clean_edges.setChecked(True)  # the slower edge colour cleaning is the seller's choice
    qtbot.waitUntil(lambda: stored_recipe().find(RemoveBackground).clean_edges)
    assert steps.refine.isChecked()  # so is the refinement, on unless turned off
    steps.refine.setChecked(False)
    qtbot.waitUntil(lambda: not stored_recipe().find(RemoveBackground).refine)


def test_a_moving_slider_is_one_undo_step_and_old_previews_are_dropped(
    studio, item_with_photos, qtbot
):
    studio.grid.setCurrentIndex(studio.model.index(1))
    steps, undo = studio.panel.steps, studio.services.undo_stack
    steps.canvas.setCurrentIndex(steps.canvas.findData("1:1"))
    qtbot.waitUntil(lambda: undo.count() == 1)
    for value in range(2, 30, 3):
        steps.margin.slider.setValue(value)
    qtbot.waitUntil(lambda: undo.count() == 2 and not studio.preview.busy)
    assert undo.undoText() == "Margin"
    photo = studio.model.photos[1]
    assert Recipe.from_json(photo.recipe).find(FitSubject).margin_pct == 29

    preview = studio.preview
    dropped = preview.dropped
    requests = [
        PreviewRequest(photo.photo_id, photo.file_hash, Recipe(), Recipe((Background("color", c),)))
        for c in ("#ff0000", "#00ff00", "#0000ff")
    ]
    with qtbot.waitSignal(preview.rendered, timeout=15_000) as shown:
        for request in requests:
            preview.request(request)
    assert shown.args[0].request == requests[-1]
    assert preview.dropped == dropped + 1


def test_the_split_slider_shows_before_on_the_left_and_after_on_the_right(
    studio, item_with_photos, qtbot
):
    studio.grid.setCurrentIndex(studio.model.index(0))
    steps = studio.panel.steps
    with qtbot.waitSignal(studio.preview.rendered, timeout=15_000):
        steps.remove.setChecked(True)
        steps.pick_colour("#336699")
    qtbot.waitUntil(lambda: near(pixel(studio.view.after, 0.05, 0.5), (0x33, 0x66, 0x99)))
    view = studio.view
    rect = view.image_rect(view.after)
    probe = QPoint(int(rect.x() + rect.width() * 0.05), int(rect.center().y()))

    def shown_at_probe() -> tuple[int, int, int]:
        colour = view.grab().toImage().pixelColor(probe)
        return colour.red(), colour.green(), colour.blue()

    studio.split.setValue(1000)  # all "before"
    assert near(shown_at_probe(), BACKDROP)
    studio.split.setValue(0)  # all "after"
    assert near(shown_at_probe(), (0x33, 0x66, 0x99))
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(view.width() - 5, 40))
    assert studio.split.value() > 900  # a click on the view moves the split there too
    assert near(shown_at_probe(), BACKDROP)


def test_a_brush_stroke_lands_in_the_stored_recipe(studio, item_with_photos, database, qtbot):
    studio.grid.setCurrentIndex(studio.model.index(2))
    brush = studio.panel.brush
    assert not brush.keep.isEnabled()  # no cut-out yet: nothing to touch up
    studio.panel.steps.remove.setChecked(True)
    assert brush.keep.isEnabled()
    with qtbot.waitSignal(studio.preview.rendered, timeout=15_000):
        brush.erase.click()
    view = studio.view
    rect = view.image_rect(view.after).toRect()
    start, end = rect.center(), rect.center() + QPoint(rect.width() // 5, 0)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view, end)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end)

    def strokes() -> tuple:
        photo = stored_photos(database, item_with_photos.id)[2]
        removal = Recipe.from_json(photo.recipe or "{}").find(RemoveBackground)
        return removal.strokes if removal else ()

    qtbot.waitUntil(lambda: len(strokes()) == 1)
    stroke = strokes()[0]
    assert stroke.mode == "erase" and stroke.radius == brush.radius
    x, y = stroke.points[0]
    assert abs(x - 0.5) < 0.02 and abs(y - 0.5) < 0.02
    assert brush.clear.isEnabled() and "(1)" in brush.clear.text()


def test_without_a_model_the_studio_says_what_still_works_and_how_to_install(studio):
    notice = studio.model_notice
    assert notice.isVisible()
    assert "studio models install" in notice.text.text()
    assert "plain" in notice.text.text()
    assert notice.licence.text() == LICENCE_NOTE and "AGPL" in LICENCE_NOTE
    remover = studio.panel.steps.remover
    offered = {remover.itemData(n): remover.model().item(n).isEnabled() for n in range(3)}
    assert offered == {"auto": True, "fallback": True, "model": False}


def test_the_inventory_selection_is_what_the_studio_shows(window, qtbot, add_item):
    inventory = window.inventory
    inventory.table.selectRow(0)
    inventory.table.selectRow(1)
    wanted = inventory.selected_ids()
    assert wanted
    window.show_section("photos")
    studio = window.sections["photos"]
    qtbot.waitUntil(lambda: studio.model.item_ids == wanted)
    assert "no photos yet" in studio.grid.empty_text


def test_a_folder_is_grouped_into_draft_items_by_capture_time(studio, database, qtbot, tmp_path):
    folder = tmp_path / "shoot"
    folder.mkdir()
    start = datetime(2026, 3, 14, 10, 0, 0)
    offsets = [0, 30, 60, 1800, 1820]  # two garments, half an hour apart
    for number, seconds in enumerate(offsets):
        shirt_photo(
            folder / f"IMG_{number:04}.jpg", 10 * number, start + timedelta(seconds=seconds)
        )
    items_before = window_items(database)

    dialog = studio.imports.open_folder(folder)
    qtbot.waitUntil(lambda: len(dialog.groups()) == 2)
    assert [len(g) for g in dialog.groups()] == [3, 2]
    assert dialog.strips[-1].count() == 0  # a row to drop into for a new item

    dialog.gap.setValue(60.0)
    dialog.regroup()
    qtbot.waitUntil(lambda: len(dialog.groups()) == 1)
    dialog.gap.setValue(2.0)
    dialog.regroup()
    qtbot.waitUntil(lambda: len(dialog.groups()) == 2)

    dialog.move_photo(folder / "IMG_0002.jpg", len(dialog.strips) - 1)  # a third garment
    assert [len(g) for g in dialog.groups()] == [2, 2, 1]
    assert dialog.create_button.text() == "Create 3 draft item(s)"
    dialog.create_button.click()

    qtbot.waitUntil(lambda: len(window_items(database)) == len(items_before) + 3, timeout=10_000)
    new = [i for i in window_items(database) if i.id not in {x.id for x in items_before}]
    assert sorted(i.title for i in new) == [
        "Draft from IMG_0000.jpg",
        "Draft from IMG_0002.jpg",
        "Draft from IMG_0003.jpg",
    ]
    assert all(i.status == "draft" for i in new)
    qtbot.waitUntil(lambda: len(studio.model.photos) == 5)
    assert set(studio.model.item_ids) == {i.id for i in new}
    inventory = studio.window().inventory
    qtbot.waitUntil(lambda: all(inventory.model.row_of(i.id) is not None for i in new))


def window_items(database) -> list[Item]:
    with database.session() as session:
        return list(session.exec(select(Item)))


def test_a_preset_applied_to_three_photos_runs_as_a_batch(
    window, studio, item_with_photos, database, qtbot
):
    studio.grid.setCurrentIndex(studio.model.index(0))
    studio.use_preset(SQUARE_WHITE)
    studio.grid.selectAll()
    assert studio.panel.apply_button.isEnabled()
    with qtbot.waitSignal(studio.batches.finished, timeout=40_000):
        studio.panel.apply_button.click()
        qtbot.waitUntil(lambda: window.progress.isVisible())
        assert "Square white" in window.progress.label.text()
    assert not window.progress.isVisible()
    with database.session() as session:
        batch = session.exec(select(PhotoBatch)).one()
    assert batch.status == "done"
    assert batch_counts(database, batch.id) == {"pending": 0, "done": 3, "failed": 0}
    preset = SHIPPED_PRESETS[SQUARE_WHITE]
    for photo in stored_photos(database, item_with_photos.id):
        assert Recipe.from_json(photo.recipe) == preset
        exports = list((studio.store.root / "derived").rglob(f"{photo.file_hash}/export-*.jpg"))
        assert len(exports) == 1
        with Image.open(exports[0]) as done:
            assert done.size == (1600, 1600)
            assert near(done.getpixel((8, 8)), (255, 255, 255))
    assert "Styled 3 photo(s)" in studio.banner.text.text()
    assert studio.working_on.text().startswith(f"Working on {item_with_photos.sku} ")

    def grid_picture(row: int) -> QImage:
        return studio.model.data(studio.model.index(row), Qt.ItemDataRole.DecorationRole).toImage()

    # The grid shows the styled photos now: square on white, not the portrait originals.
    qtbot.waitUntil(lambda: grid_picture(0).width() == grid_picture(0).height(), timeout=10_000)
    assert near(pixel(grid_picture(0), 0.02, 0.02), (255, 255, 255))
    studio.services.undo_stack.undo()  # the preset comes off the photos it was applied to

    def recipes() -> list[str | None]:
        return [p.recipe for p in stored_photos(database, item_with_photos.id)]

    qtbot.waitUntil(lambda: recipes() == [preset.to_json(), None, None])


def many_photos(studio, qtbot, add_item, tmp_path, count: int):
    item = add_item(title="Batch of shirts")
    files = []
    for number in range(count):
        files.append(shirt_photo(tmp_path / f"batch-{number}.jpg", shade=number * 7))
    studio.show_items([item.id])
    qtbot.waitUntil(lambda: studio.model.item_ids == [item.id])
    studio.imports.add_files(files, item.id)
    qtbot.waitUntil(lambda: len(studio.model.photos) == count, timeout=10_000)
    studio.grid.setCurrentIndex(studio.model.index(0))
    studio.use_preset(SQUARE_WHITE)
    studio.grid.selectAll()
    return item


def test_cancel_stops_the_batch_and_leaves_nothing_half_written(
    window, studio, database, qtbot, add_item, tmp_path
):
    many_photos(studio, qtbot, add_item, tmp_path, 8)
    with qtbot.waitSignal(studio.batches.finished, timeout=30_000):
        studio.panel.apply_button.click()
        qtbot.waitUntil(lambda: window.progress.isVisible())
        qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        batch = session.exec(select(PhotoBatch)).one()
    counts = batch_counts(database, batch.id)
    assert batch.status == "cancelled" and counts["pending"] > 0
    assert list(studio.store.root.rglob(".tmp-*")) == []
    exports = list((studio.store.root / "derived").rglob("export-*"))
    assert len(exports) == counts["done"]
    for path in exports:
        with Image.open(path) as finished:
            finished.load()  # a complete file, not a cut-off one
    assert "Stopped after" in studio.banner.text.text()


def test_an_unfinished_batch_is_offered_again_after_a_restart(
    window, studio, database, data_dir, qtbot, add_item, tmp_path
):
    many_photos(studio, qtbot, add_item, tmp_path, 4)
    studio.panel.apply_button.click()
    qtbot.waitUntil(lambda: studio.batches.running)
    window.close()  # quits mid-batch: the workers stop, the batch stays queued
    with database.session() as session:
        batch = session.exec(select(PhotoBatch)).one()
    assert batch.status == "running"
    left = batch_counts(database, batch.id)["pending"]
    assert left > 0

    again = MainWindow(build_services(data_dir, database, background=False))
    qtbot.addWidget(again)
    again.show()
    again.show_section("photos")
    restarted = again.sections["photos"]
    notice = restarted.resume_notice
    qtbot.waitUntil(notice.isVisible)
    assert f"{left} of 4" in notice.text.text()
    with qtbot.waitSignal(restarted.batches.finished, timeout=30_000):
        notice.resume_button.click()
    assert not notice.isVisible()
    assert batch_counts(database, batch.id) == {"pending": 0, "done": 4, "failed": 0}
    with database.session() as session:
        assert session.get(PhotoBatch, batch.id).status == "done"
    again.services.runner.wait_all()
    again.close()


@pytest.mark.model
def test_the_model_cuts_out_the_garment(window, item_with_photos, qtbot, monkeypatch):
    monkeypatch.delenv("STUDIO_MODELS_DIR")
    if active_model() is None:
        pytest.skip("no background-removal model installed: run `studio models install`")
    studio = PhotoStudioSection(window.services)  # made after the models dir is back
    qtbot.addWidget(studio)
    studio.show()
    assert not studio.model_notice.isVisible()
    studio.show_items([item_with_photos.id])
    qtbot.waitUntil(lambda: len(studio.model.photos) == 3)
    studio.grid.setCurrentIndex(studio.model.index(0))
    steps = studio.panel.steps
    steps.remover.setCurrentIndex(steps.remover.findData("model"))
    steps.remove.setChecked(True)
    steps.pick_colour("#336699")
    qtbot.waitUntil(
        lambda: studio.view.after is not None and not studio.preview.busy, timeout=60_000
    )
    blue = (0x33, 0x66, 0x99)
    qtbot.waitUntil(lambda: near(pixel(studio.view.after, 0.05, 0.5), blue, 20), timeout=60_000)
    assert near(pixel(studio.view.after, 0.5, 0.5), GARMENT, tolerance=30)


def test_export_writes_the_finished_photos_named_by_sku(studio, item_with_photos, qtbot, tmp_path):
    out = tmp_path / "for-upload"
    studio.grid.selectAll()
    studio.export_to(out)
    qtbot.waitUntil(lambda: "Exported 3 photo(s)" in studio.banner.text.text(), timeout=20_000)
    sku = item_with_photos.sku
    assert sorted(p.name for p in out.iterdir()) == [f"{sku}-1.jpg", f"{sku}-2.jpg", f"{sku}-3.jpg"]
    with Image.open(out / f"{sku}-1.jpg") as finished:
        assert finished.format == "JPEG"
        assert 0x8825 not in finished.getexif()  # no GPS block
