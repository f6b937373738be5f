"""Batches: progress, skipping broken photos, and a cancel that stops the workers."""

import multiprocessing
import threading
from pathlib import Path

from studio.imaging.batch import BatchJob, BatchRunner, Progress
from studio.imaging.recipe import Background, Canvas, FitSubject, Recipe, RemoveBackground

RECIPE = Recipe(
    (RemoveBackground("fallback"), Background("white"), FitSubject(), Canvas(min_long_side=300))
)


def _photos(folder: Path, count: int, product_photo) -> list[Path]:
    image, _ = product_photo(width=240, height=300)
    paths = []
    for number in range(count):
        path = folder / f"shirt-{number:02}.jpg"
        image.save(path, quality=85)
        paths.append(path)
    return paths


def test_a_broken_photo_is_reported_and_skipped(tmp_path: Path, product_photo) -> None:
    good = _photos(tmp_path, 3, product_photo)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(good[0].read_bytes()[:2000])  # cut off mid-scan
    sources = [good[0], broken, good[1], good[2]]
    jobs = [BatchJob(s, tmp_path / "out" / s.name) for s in sources]
    seen: list[Progress] = []

    result = BatchRunner(RECIPE, tmp_path / "store", None, workers=2).run(jobs, seen.append)

    assert len(result.results) == 4 and not result.cancelled and not result.all_succeeded
    [failure] = result.failed
    assert failure.source == broken and "damaged" in (failure.error or "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in good)
    assert seen[-1].done == 4 and seen[-1].total == 4 and seen[-1].failed == 1
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert any(p.current for p in seen) and seen[-1].seconds_left == 0


def test_cancel_stops_the_batch_and_its_workers(tmp_path: Path, product_photo) -> None:
    sources = _photos(tmp_path, 40, product_photo)
    runner = BatchRunner(RECIPE, None, None, workers=1)
    first_done = threading.Event()

    def on_result(_result: object) -> None:
        first_done.set()
        runner.cancel()

    result = runner.run([BatchJob(s, tmp_path / "out" / s.name) for s in sources], None, on_result)

    assert first_done.is_set() and result.cancelled and not result.all_succeeded
    assert 0 < len(result.results) < 40
    assert not [p for p in multiprocessing.active_children() if p.name.startswith("photo-batch")]
    written = list((tmp_path / "out").iterdir())
    assert len(written) == len(result.results)  # nothing half-written is left behind
