"""Photo studio speed: `python -m bench photos [--photos N] [--batch-photos M]`.

Builds 12 MP JPEGs from the sample photos, then measures on them:
- the per-photo split of a full "Square white cover" export into decode, model inference
  (the ONNX run alone), the other steps, and encode; the pipeline's total over the bare
  model time is `overhead_ratio` (target <= 1.10), and `overhead_ratio_unrefined` the same
  with the recipe's refinement turned off (`RemoveBackground.refine`), its cost;
- thumbnail throughput with JPEG draft decoding (target >= 30/s);
- a batch run the way the Photo Studio runs it (queued in a database, driven from the
  window's TaskRunner by PhotoBatches): peak memory of the app process plus its workers
  (target < 1 GB for 200 photos: pass --batch-photos 200; every photo a different file, so
  the model runs for each), and the longest extra delay
  of a 10 ms QTimer on the Qt event loop during the batch (`ui_max_stall_ms`, target <= 100).
The last line printed is one JSON object.
"""

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from studio.imaging import decode, export, render
from studio.imaging.batch import BatchJob, default_workers
from studio.imaging.model_catalog import active_model
from studio.imaging.presets import SQUARE_WHITE, shipped_preset
from studio.imaging.recipe import RemoveBackground
from studio.imaging.remover import MaskProvider
from studio.imaging.store import THUMB_SIZE, thumbnail_bytes

# The sample photographs the tests use too; STUDIO_SAMPLE_PHOTOS times a folder of your own.
REPO_SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "photos"
SAMPLES = Path(os.environ.get("STUDIO_SAMPLE_PHOTOS", REPO_SAMPLES))
TWELVE_MP = (4000, 3000)


def make_photos(folder: Path, count: int) -> list[Path]:
    """12 MP JPEGs upscaled from the samples (or a plain synthetic one when they are absent),
    each cut from its sample at its own place, so no two are the same file (the mask cache
    would otherwise spare the model a repeated photo)."""
    sources = sorted(SAMPLES.glob("*.jpg")) or [None]
    photos = []
    for number in range(count):
        sample = sources[number % len(sources)]
        shift = number // len(sources)
        if sample is None:
            image = Image.new("RGB", TWELVE_MP, (236, 234, 229))
            image.paste((60, 90, 150), (1200 + shift, 600, 2800 + shift, 2600))
        else:
            with Image.open(sample) as opened:
                size = TWELVE_MP if opened.width >= opened.height else TWELVE_MP[::-1]
                # A source a little larger than the photo leaves room to cut it elsewhere.
                room = (size[0] + 64, size[1] + 48)
                image = ImageOps.fit(opened.convert("RGB"), room, Image.Resampling.BICUBIC)
                left, top = shift * 7 % 64, shift * 5 % 48
                image = image.crop((left, top, left + size[0], top + size[1]))
        path = folder / f"photo-{number:03}.jpg"
        image.save(path, quality=90)
        photos.append(path)
    return photos


class _Timer:
    """Wraps a function and adds up the seconds spent in it."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.seconds = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


def split_times(photos: list[Path], use_model: bool, refine: bool = True) -> dict[str, Any]:
    recipe = shipped_preset(SQUARE_WHITE)
    removal = recipe.find(RemoveBackground)
    if removal is not None and not refine:
        recipe = recipe.with_step(replace(removal, refine=False))
    model = active_model() if use_model else None
    masks = MaskProvider(None, model)
    renderer = render.Renderer(None, masks)
    decode_timer, encode_timer = _Timer(decode.load), _Timer(export.encode)
    render.decode.load = decode_timer  # type: ignore[attr-defined]
    render.export.encode = encode_timer  # type: ignore[attr-defined]
    renderer.export_file(photos[0], recipe)  # warm-up: imports rembg, loads the session
    model_timer = None
    if model is not None and masks._session is not None:
        inner = masks._session.session
        model_timer = _Timer(inner.run)
        inner.run = model_timer
    rows = []
    for path in photos:
        marks = (
            decode_timer.seconds,
            encode_timer.seconds,
            model_timer.seconds if model_timer else 0,
        )
        started = time.perf_counter()
        renderer._cutouts.clear()
        renderer.export_file(path, recipe)
        total = time.perf_counter() - started
        spent_decode = decode_timer.seconds - marks[0]
        spent_encode = encode_timer.seconds - marks[1]
        spent_model = (model_timer.seconds - marks[2]) if model_timer else 0.0
        rows.append((total, spent_decode, spent_model, spent_encode))
    render.decode.load = decode_timer.function  # type: ignore[attr-defined]
    render.export.encode = encode_timer.function  # type: ignore[attr-defined]

    def median_ms(column: int) -> float:
        return round(statistics.median(r[column] for r in rows) * 1000, 1)

    pipeline, decode_ms, model_ms, encode_ms = (median_ms(i) for i in range(4))
    return {
        "remover": f"model:{model.name}" if model else "fallback",
        "model_ms_per_photo": model_ms if model else None,
        "pipeline_ms_per_photo": pipeline,
        "overhead_ratio": round(pipeline / model_ms, 3) if model and model_ms else None,
        "split_ms": {
            "decode": decode_ms,
            "model": model_ms,
            "other": round(pipeline - decode_ms - model_ms - encode_ms, 1),
            "encode": encode_ms,
        },
    }


def thumbs_per_second(photos: list[Path], rounds: int = 3) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for path in photos:
            thumbnail_bytes(decode.load(path, min_long_side=THUMB_SIZE), THUMB_SIZE)
    return round(rounds * len(photos) / (time.perf_counter() - started), 1)


def _status_mb(pid: int, field: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _family() -> list[int]:
    import multiprocessing

    return [os.getpid(), *(p.pid for p in multiprocessing.active_children() if p.pid)]


def _reset_peak() -> None:
    """Start this process's peak resident size afresh (Linux: writing 5 to clear_refs), so
    making the test photos, which the app never does, does not count."""
    try:
        with open(f"/proc/{os.getpid()}/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def batch_run(photos: list[Path], count: int, folder: Path, use_model: bool) -> dict[str, Any]:
    """The batch as the Photo Studio runs it: queued in a database, driven by PhotoBatches
    through the window's TaskRunner, while a 10 ms QTimer on the Qt event loop measures how
    long the UI thread is kept from running (offscreen, so it runs on any machine)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from bench.ui_stall import StallMeter
    from studio.imaging.batch_queue import queue_batch
    from studio.imaging.store import PhotoStore
    from studio.storage.database import open_database
    from studio.storage.paths import photos_dir
    from studio.ui.app import application, build_services, settle_heap
    from studio.ui.photos.batches import PhotoBatches

    application()
    jobs = [BatchJob(photos[n % len(photos)], folder / "out" / f"{n:03}.jpg") for n in range(count)]
    model = active_model() if use_model else None
    recipe = shipped_preset(SQUARE_WHITE)
    data_dir = folder / "data"
    database = open_database(data_dir)
    services = build_services(data_dir, database, background=False)
    batch_id = queue_batch(database, recipe, jobs, SQUARE_WHITE)
    batches = PhotoBatches(services, PhotoStore(photos_dir(data_dir)), lambda: model)
    settle_heap()  # as the app does once its window is up
    _reset_peak()
    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    sampled_mb = 0.0
    peaks: dict[int, float] = {}  # each process's own peak (VmHWM), which no sample can miss

    def sample_memory(ticks: int) -> None:
        nonlocal sampled_mb
        if ticks % 5 == 0:
            family = _family()
            sampled_mb = max(sampled_mb, sum(_status_mb(pid, "VmRSS") for pid in family))
            for pid in family:
                peaks[pid] = max(peaks.get(pid, 0.0), _status_mb(pid, "VmHWM"))

    heartbeat = StallMeter(sample_memory)
    batches.finished.connect(lambda _batch_id: loop.quit())
    started = time.perf_counter()
    heartbeat.start()
    batches.run(batch_id, SQUARE_WHITE)
    while batches.task is None:  # it starts once the batch's photo names are read
        QCoreApplication.processEvents()
        time.sleep(0.005)
    batches.task.succeeded.connect(lambda result: outcome.update(result=result))
    loop.exec()
    heartbeat.stop()
    services.runner.wait_all()
    database.close()
    if "result" not in outcome:
        raise SystemExit("the batch did not finish; run `studio photos process` to see why")
    result = outcome["result"]
    return {
        "batch_photos": count,
        "batch_workers": default_workers(model is not None),
        "batch_failed": len(result.failed),
        "batch_wall_s": round(time.perf_counter() - started, 1),
        "batch_median_s_per_photo": round(statistics.median(r.seconds for r in result.results), 2),
        # The app's and each worker's own peaks added up: never below the true peak of the
        # whole, even when a worker's peak falls between two samples.
        "batch_peak_rss_mb": round(sum(peaks.values()), 1),
        "batch_peak_rss_sampled_mb": round(sampled_mb, 1),
        "ui_max_stall_ms": heartbeat.max_stall_ms,
        "ui_stall_source": "10 ms QTimer on the Qt event loop while PhotoBatches runs the batch",
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench photos")
    parser.add_argument("--photos", type=int, default=5, help="12 MP photos to time (default 5)")
    parser.add_argument("--batch-photos", type=int, help="photos in the batch (default: --photos)")
    parser.add_argument("--fallback", action="store_true", help="time without the model")
    args = parser.parse_args(argv)
    use_model = not args.fallback and active_model() is not None
    folder = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    try:
        timed = max(1, args.photos)
        batch = args.batch_photos or timed
        every = make_photos(folder, max(timed, batch))
        photos = every[:timed]
        report: dict[str, Any] = {"photos": len(photos), "photo_size": "4000x3000 JPEG q90"}
        report["thumbs_per_s"] = thumbs_per_second(photos)
        print(f"thumbnails: {report['thumbs_per_s']}/s", flush=True)
        # The batch first, while this process holds no model, as the app's window does not.
        report.update(batch_run(every[:batch], batch, folder, use_model))
        print(f"batch: peak {report['batch_peak_rss_mb']} MB", flush=True)
        report.update(split_times(photos, use_model))
        print(f"split: {report['split_ms']} (median ms per photo)", flush=True)
        if use_model:  # the refinement is the recipe's choice: its cost, measured
            unrefined = split_times(photos, use_model, refine=False)
            report["overhead_ratio_unrefined"] = unrefined["overhead_ratio"]
            report["pipeline_ms_per_photo_unrefined"] = unrefined["pipeline_ms_per_photo"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(report))
    return 0
