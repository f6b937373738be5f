"""`studio photos process|mask`: the photo studio from the command line."""

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from studio.imaging.errors import PhotoError
from studio.imaging.export import EXTENSIONS
from studio.imaging.model_catalog import active_model
from studio.imaging.photo_files import collect_photos
from studio.imaging.presets import SHIPPED_PRESETS, shipped_preset
from studio.imaging.recipe import Export
from studio.imaging.store import PhotoStore, file_sha256
from studio.storage.paths import photos_dir

if TYPE_CHECKING:
    from studio.imaging.batch import JobResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("photos", help="process product photos")
    actions = parser.add_subparsers(dest="photos_command", metavar="ACTION", required=True)

    process = actions.add_parser("process", help="apply a preset to photos, writing to --out")
    process.add_argument("inputs", nargs="+", type=Path, metavar="FILES_OR_DIRS")
    process.add_argument(
        "--preset",
        required=True,
        help="preset name or unique prefix: " + "; ".join(SHIPPED_PRESETS),
    )
    process.add_argument("--out", required=True, type=Path, help="folder for the results")
    process.add_argument("--workers", type=int, help="worker processes (default: by the job)")
    process.set_defaults(func=process_photos)

    mask = actions.add_parser("mask", help="write the subject's alpha mask as an 8-bit PNG")
    mask.add_argument("file", type=Path)
    mask.add_argument("--out", required=True, type=Path, metavar="MASK.png")
    mask.add_argument(
        "--remover",
        choices=["model", "fallback"],
        help="default: the model when one is installed, else the fallback",
    )
    mask.set_defaults(func=write_mask)


def output_paths(sources: list[Path], out: Path, extension: str) -> list[Path]:
    """One output per source, named after it; same-named sources get -2, -3, ..."""
    taken: set[str] = set()
    outputs = []
    for source in sources:
        name, number = f"{source.stem}{extension}", 1
        while name.lower() in taken:
            number += 1
            name = f"{source.stem}-{number}{extension}"
        taken.add(name.lower())
        outputs.append(out / name)
    return outputs


def process_photos(args: argparse.Namespace) -> int:
    try:
        recipe = shipped_preset(args.preset)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return EXIT_USAGE
    sources = collect_photos(args.inputs)
    if not sources:
        print("error: no photos found in the given files and folders", file=sys.stderr)
        return EXIT_USAGE
    args.out.mkdir(parents=True, exist_ok=True)
    settings = recipe.find(Export) or Export()
    outputs = output_paths(sources, args.out, EXTENSIONS[settings.format])
    model = active_model()
    if model is None:
        print(
            "note: no background-removal model installed; using the fallback for plain "
            "backdrops (`studio models install` adds one)",
            file=sys.stderr,
        )
    # Imported here: the batch machinery pulls in SciPy, which every other command can skip.
    from studio.imaging.batch import BatchJob, BatchRunner

    runner = BatchRunner(recipe, photos_dir(args.data_dir), model, args.workers)

    def show(result: "JobResult") -> None:
        if result.ok:
            print(f"ok     {result.source} -> {result.output} ({result.seconds:.1f} s)", flush=True)
        else:
            print(f"FAILED {result.source}: {result.error}", flush=True)

    started = time.monotonic()
    try:
        outcome = runner.run(
            [BatchJob(s, o) for s, o in zip(sources, outputs, strict=True)], on_result=show
        )
    except KeyboardInterrupt:
        runner.cancel()
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    succeeded = len(outcome.results) - len(outcome.failed)
    print(
        f"{len(sources)} photos: {succeeded} succeeded, {len(outcome.failed)} failed "
        f"in {time.monotonic() - started:.1f} s -> {args.out}"
    )
    return EXIT_OK if outcome.all_succeeded else EXIT_FAILED


def write_mask(args: argparse.Namespace) -> int:
    model = active_model()
    remover = args.remover or ("model" if model else "fallback")
    if remover == "fallback" and args.remover is None:
        print("note: no background-removal model installed; using the fallback", file=sys.stderr)
    from PIL import Image

    from studio.imaging import decode
    from studio.imaging.remover import MaskProvider

    store = PhotoStore(photos_dir(args.data_dir))
    try:
        info = decode.probe(args.file)
        mask = MaskProvider(store, model).mask(args.file, file_sha256(args.file), remover)
    except PhotoError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    full = mask.resize((info.width, info.height), Image.Resampling.BILINEAR)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    full.save(args.out, "PNG")
    print(f"{args.out} ({info.width}x{info.height}, remover: {remover})")
    return EXIT_OK
