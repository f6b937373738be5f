"""The batch queue and user presets in the real database: resume after a quit or crash."""

from pathlib import Path

import pytest
from sqlmodel import select

from studio.imaging.batch import BatchJob, BatchRunner, Progress
from studio.imaging.batch_queue import (
    batch_counts,
    cancel_batch,
    queue_batch,
    run_batch,
    unfinished_batches,
)
from studio.imaging.preset_library import all_presets, delete_preset, save_preset
from studio.imaging.recipe import Background, Canvas, FitSubject, Recipe, RemoveBackground
from studio.imaging.tables import PhotoBatch
from studio.storage.database import open_database

RECIPE = Recipe(
    (RemoveBackground("fallback"), Background("white"), FitSubject(), Canvas(min_long_side=300))
)


def test_a_batch_interrupted_midway_resumes_only_the_unfinished_photos(
    tmp_path: Path, product_photo
) -> None:
    image, _ = product_photo(width=240, height=300)
    jobs = []
    for number in range(6):
        source = tmp_path / f"shirt-{number}.jpg"
        image.save(source)
        jobs.append(BatchJob(source, tmp_path / "out" / source.name))
    db = open_database(tmp_path / "data")
    batch_id = queue_batch(db, RECIPE, jobs, "Square")

    # The app quits (or dies) after two photos: the workers stop, nothing marks the batch.
    first = BatchRunner(RECIPE, None, None, workers=1)

    def quit_after_two(progress: Progress) -> None:
        if progress.done >= 2:
            first.cancel()

    result = run_batch(db, batch_id, lambda _recipe: first, quit_after_two)
    assert result.cancelled
    db.close()

    reopened = open_database(tmp_path / "data")
    assert [b.id for b in unfinished_batches(reopened)] == [batch_id]
    counts = batch_counts(reopened, batch_id)
    assert counts["done"] >= 2 and counts["pending"] == 6 - counts["done"]

    again = run_batch(reopened, batch_id, lambda recipe: BatchRunner(recipe, None, None, 1))
    assert len(again.results) == counts["pending"] and again.all_succeeded
    assert batch_counts(reopened, batch_id) == {"pending": 0, "done": 6, "failed": 0}
    assert unfinished_batches(reopened) == []
    assert len(list((tmp_path / "out").iterdir())) == 6
    reopened.close()


def test_a_cancelled_batch_is_not_resumed(tmp_path: Path) -> None:
    db = open_database(tmp_path / "data")
    batch_id = queue_batch(db, RECIPE, [BatchJob(tmp_path / "a.jpg")])
    cancel_batch(db, batch_id)
    assert unfinished_batches(db) == []
    with db.session() as session:
        assert session.exec(select(PhotoBatch)).one().status == "cancelled"
    db.close()


def test_user_presets_are_saved_listed_and_deleted(tmp_path: Path) -> None:
    db = open_database(tmp_path / "data")
    mine = Recipe((Background("color", "#f4e9dc"), Canvas("4:5")))
    with db.transaction() as session:
        save_preset(session, "Beige 4:5", mine)
    with db.session() as session:
        presets = all_presets(session)
    assert list(presets)[:3] == [
        "Square white cover (1:1)",
        "Portrait 4:5 white",
        "Keep background, just straighten and brighten",
    ]
    assert presets["Beige 4:5"] == mine
    with db.transaction() as session:
        with pytest.raises(ValueError, match="shipped"):
            save_preset(session, "Portrait 4:5 white", mine)
        assert delete_preset(session, "Beige 4:5")
    with db.session() as session:
        assert "Beige 4:5" not in all_presets(session)
    db.close()
