"""`studio video import|export`: an item's listing video from the command line."""

import argparse
import shutil
import sys
from pathlib import Path

from sqlmodel import select

from studio.inventory.tables import Item
from studio.storage.database import Database, open_database
from studio.storage.paths import videos_dir
from studio.video import library
from studio.video.errors import VideoError
from studio.video.limits import describe_bytes, describe_seconds
from studio.video.recipe import VideoRecipe, parse_time, parse_trim
from studio.video.store import StoredVideo, VideoStore
from studio.video.tables import Video, VideoState

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("video", help="an item's listing video: import, trim, export")
    actions = parser.add_subparsers(dest="video_command", metavar="ACTION", required=True)

    importing = actions.add_parser(
        "import", help="make a clip the item's listing video (trimmed, upright, no location)"
    )
    importing.add_argument("sku", metavar="SKU")
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importing.add_argument(
        "--trim", metavar="START-END", help="the part to keep, in seconds or m:ss (2-14.5)"
    )
    importing.add_argument("--cover", metavar="T", help="the cover frame's time in the clip")
    importing.add_argument("--mute", action="store_true", help="leave the sound out")
    importing.set_defaults(func=import_video)

    export = actions.add_parser("export", help="write the item's listing video and its cover")
    export.add_argument("sku", metavar="SKU")
    export.add_argument("--out", required=True, type=Path, metavar="DIR")
    export.set_defaults(func=export_video)


def recipe_from(args: argparse.Namespace) -> VideoRecipe:
    start, end = parse_trim(args.trim) if args.trim else (0.0, None)
    cover = parse_time(args.cover) if args.cover else None
    return VideoRecipe(start=start, end=end, cover=cover, mute=args.mute)


def import_video(args: argparse.Namespace) -> int:
    try:
        recipe = recipe_from(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    database = open_database(args.data_dir)
    item_id = _item_id(database, args.sku)
    if item_id is None:
        print(f"error: no item has the SKU {args.sku}", file=sys.stderr)
        return EXIT_USAGE
    store = VideoStore(videos_dir(args.data_dir))
    chosen: StoredVideo | None = None
    failed = 0
    for path in args.files:
        try:
            stored = store.import_file(path, recipe)
        except VideoError as exc:
            print(f"FAILED {path}: {exc}")
            failed += 1
            continue
        except OSError as exc:
            print(f"FAILED {path}: cannot read the file ({exc.strerror or exc})")
            failed += 1
            continue
        if chosen is None:
            chosen = stored
            info = stored.info
            print(
                f"ok     {path}: {info.width}x{info.height}, {describe_seconds(info.duration)}, "
                f"{info.codec}"
            )
        else:
            print(f"unused {path}: a listing has one video; {chosen.filename} is this item's")
    if chosen is None:
        print(f"{args.sku.upper()} keeps the video it had (if any).", file=sys.stderr)
        return EXIT_FAILED
    with database.transaction() as session:
        video_id = library.attach(session, library.Owner(item_id=item_id), chosen, recipe).id
    assert video_id is not None
    ok = _encode(database, store, video_id, args.sku.upper())
    return EXIT_OK if ok and not failed else EXIT_FAILED


def export_video(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    item_id = _item_id(database, args.sku)
    if item_id is None:
        print(f"error: no item has the SKU {args.sku}", file=sys.stderr)
        return EXIT_USAGE
    with database.session() as session:
        video = library.find(session, library.Owner(item_id=item_id))
    sku = args.sku.upper()
    if video is None or video.id is None:
        print(f"error: {sku} has no video; add one with `studio video import`", file=sys.stderr)
        return EXIT_FAILED
    store = VideoStore(videos_dir(args.data_dir))
    recipe = VideoRecipe.from_json(video.recipe)
    ready = video.state == VideoState.READY
    if not (ready and store.encoded_path(video.file_hash, recipe).exists()) and not _encode(
        database, store, video.id, sku
    ):
        return EXIT_FAILED
    args.out.mkdir(parents=True, exist_ok=True)
    outputs = {
        store.encoded_path(video.file_hash, recipe): args.out / f"{sku}.mp4",
        store.cover_path(video.file_hash, recipe): args.out / f"{sku}-cover.jpg",
    }
    for source, target in outputs.items():
        shutil.copyfile(source, target)
        print(target)
    return EXIT_OK


def _encode(database: Database, store: VideoStore, video_id: int, sku: str) -> bool:
    def show(part: float) -> None:
        print(f"\rencoding {sku}: {part:4.0%}", end="", file=sys.stderr, flush=True)

    outcome = library.encode_video(database, store, video_id, show)
    print(file=sys.stderr)
    if outcome.state is not VideoState.READY:
        print(f"FAILED {sku}: {outcome.error}")
        return False
    with database.session() as session:
        video = session.get(Video, video_id)
    assert video is not None
    recipe = VideoRecipe.from_json(video.recipe)
    start, end = recipe.span(video.duration_ms / 1000)
    print(
        f"{sku}: listing video of {describe_seconds(end - start)} "
        f"({describe_bytes(video.encoded_bytes)}), cover at {recipe.cover_time():.2f} s"
        + (", muted" if recipe.mute else "")
    )
    return True


def _item_id(database: Database, sku: str) -> int | None:
    with database.session() as session:
        return session.exec(select(Item.id).where(Item.sku == sku.upper())).first()
