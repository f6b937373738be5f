"""`studio --self-test`: proves, on this machine and without a display or the user's data,
that the parts an installed build most often lacks all work: the database migrations (with
the backup before an upgrade), the photo pipeline with the fallback remover, HEIC photos,
the model runtime, listing videos, and label printing to PDF. Prints one PASS/FAIL line per
check."""

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from PIL import Image

from studio.storage.database import (
    current_revision,
    head_revision,
    make_engine,
    open_database,
    upgrade_to,
)
from studio.storage.paths import backups_dir, database_file

LABEL_SIZE_PT = (288.0, 432.0)  # 4x6 in
CALIBRATION_TEXT = "Calibration (4 x 6 in)"
OLDEST_REVISION = "0001_inventory"


class CheckFailed(Exception):
    pass


def _expect(condition: bool, problem: str) -> None:
    if not condition:
        raise CheckFailed(problem)


def check_database(scratch: Path) -> str:
    """An inventory saved by the first release upgrades to this one, after a backup."""
    folder = scratch / "data"
    folder.mkdir()
    old = make_engine(database_file(folder))
    upgrade_to(old, OLDEST_REVISION)
    old.dispose()
    database = open_database(folder)
    try:
        revision = current_revision(database.engine)
    finally:
        database.close()
    _expect(revision == head_revision(), f"schema is at {revision}, not {head_revision()}")
    backups = list(backups_dir(folder).glob("*"))
    _expect(bool(backups), "no backup was taken before the upgrade")
    return f"migrated {OLDEST_REVISION} to {revision}, backup {backups[0].name}"


def check_photo(scratch: Path) -> str:
    """A product on a plain backdrop comes out cut out, centred on white, 1600 px square."""
    from studio.demo.photos import draw_product
    from studio.imaging.presets import SQUARE_WHITE, shipped_preset
    from studio.imaging.remover import MaskProvider
    from studio.imaging.render import Renderer

    source = scratch / "product.jpg"
    draw_product("Tops", "navy", seed=1).save(source, quality=92)
    started = time.monotonic()
    picture = Renderer(None, MaskProvider(None, None)).render(
        source, None, shipped_preset(SQUARE_WHITE)
    )
    seconds = time.monotonic() - started
    _expect(picture.size == (1600, 1600), f"rendered at {picture.size}, not 1600x1600")
    rgb = picture.convert("RGB")
    corner, centre = rgb.getpixel((20, 20)), rgb.getpixel((800, 800))
    assert isinstance(corner, tuple) and isinstance(centre, tuple)
    # The backdrop was off-white (244, 241, 236): pure white means it was replaced.
    _expect(min(corner) >= 250, f"the backdrop was not removed (corner {corner})")
    _expect(max(centre) < 120, f"the product is missing from the centre ({centre})")
    return f"fallback remover, 1600x1600 on white in {seconds:.1f} s"


def check_heic(scratch: Path) -> str:
    """iPhone photos (HEIC) decode through the studio's own loader."""
    from studio.imaging import decode

    source = scratch / "phone.heic"
    Image.new("RGB", (64, 48), (200, 40, 60)).save(source, format="HEIF", quality=90)
    image = decode.load(source)
    _expect(image.size == (64, 48), f"decoded at {image.size}, not 64x48")
    return "encoded and decoded a HEIC photo"


def check_model_runtime(_scratch: Path) -> str:
    """The runtime for background-removal models is present (the model itself never is)."""
    import onnx  # noqa: F401 (the free-size copy of a model is made with it)
    import onnxruntime
    import rembg  # noqa: F401 (importing is the check: it pulls in pymatting and numba)

    providers = onnxruntime.get_available_providers()
    _expect("CPUExecutionProvider" in providers, f"onnxruntime offers only {providers}")
    return f"onnxruntime {onnxruntime.__version__}, onnx and rembg load"


def check_video(scratch: Path) -> str:
    """A phone's HEVC clip, stored turned and tagged with a location, becomes an upright
    H.264 + AAC listing video with no location in it."""
    import av

    from studio.video.encode import encode
    from studio.video.limits import LISTING_LIMITS
    from studio.video.probe import probe
    from studio.video.recipe import VideoRecipe
    from studio.video.sample_clip import make_clip

    source = make_clip(scratch / "phone.mov", seconds=1.2, codec="hevc", rotation=270)
    output = scratch / "listing.mp4"
    encoded = encode(
        source, probe(source), VideoRecipe(), LISTING_LIMITS, output, scratch / "cover.jpg"
    )
    with av.open(str(output)) as result:
        codecs = sorted(stream.codec_context.name for stream in result.streams)
        tags = " ".join(result.metadata.values())
    _expect(codecs == ["aac", "h264"], f"the video holds {codecs}, not AAC and H.264")
    _expect((encoded.width, encoded.height) == (160, 284), "the video was not turned upright")
    _expect("+48.85" not in tags, "the phone's location was copied into the video")
    return f"HEVC turned clip to upright H.264 + AAC, {encoded.size_bytes // 1024} KB"


def check_label_pdf(scratch: Path) -> str:
    """A 4x6 label and a calibration page print to a PDF that reads back as printed."""
    from studio.printing.pdf_pages import read_pdf
    from studio.printing.sample_label import write_sample_labels

    pages = read_pdf(write_sample_labels(scratch))
    _expect(len(pages) == 2, f"{len(pages)} pages, not 2")
    for number, page in enumerate(pages, start=1):
        size = (round(page.width_pt, 1), round(page.height_pt, 1))
        _expect(size == LABEL_SIZE_PT, f"page {number} is {size} pt, not {LABEL_SIZE_PT}")
    _expect(pages[0].ink > 0.05, f"the label page is blank ({pages[0].ink:.1%} inked)")
    text = " ".join(pages[1].text.split())
    _expect(CALIBRATION_TEXT in text, f"{CALIBRATION_TEXT!r} is not in the PDF's text")
    return "2 pages of 288x432 pt, label inked, text readable"


CHECKS: dict[str, Callable[[Path], str]] = {
    "database": check_database,
    "photo": check_photo,
    "heic": check_heic,
    "model runtime": check_model_runtime,
    "video": check_video,
    "label pdf": check_label_pdf,
}


@dataclass(frozen=True)
class Outcome:
    name: str
    passed: bool
    detail: str


def run_checks() -> list[Outcome]:
    """Every check, each in its own scratch folder; one failing never stops the rest."""
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="studio-self-test-") as scratch:
        for name, check in CHECKS.items():
            folder = Path(scratch) / name.replace(" ", "-")
            folder.mkdir()
            try:
                outcomes.append(Outcome(name, True, check(folder)))
            except Exception as error:  # a self-test reports every failure, whatever it is
                outcomes.append(Outcome(name, False, f"{type(error).__name__}: {error}"))
    return outcomes


def main(out: TextIO | None = None) -> int:
    """Printing goes offscreen (studio.printing picks that platform when it starts Qt), so
    no display is needed. Returns the exit status: 0 only if every check passed."""
    out = out or sys.stdout
    outcomes = run_checks()
    for outcome in outcomes:
        print(f"{'PASS' if outcome.passed else 'FAIL'}  {outcome.name}: {outcome.detail}", file=out)
    failed = [o.name for o in outcomes if not o.passed]
    summary = f"{len(failed)} of {len(outcomes)} checks failed" if failed else "all passed"
    print(f"self-test: {summary}", file=out)
    return 1 if failed else 0
