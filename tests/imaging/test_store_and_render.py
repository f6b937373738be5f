"""The photo store, rendering with a recipe, its caches, and what an export may contain."""

import os
import stat
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.imaging.export import encode
from studio.imaging.presets import shipped_preset
from studio.imaging.recipe import (
    Background,
    Canvas,
    Export,
    FitSubject,
    Recipe,
    RemoveBackground,
    Rotate,
    Shadow,
    Watermark,
)
from studio.imaging.remover import MaskProvider
from studio.imaging.render import Renderer
from studio.imaging.store import PhotoStore

FALLBACK_COVER = Recipe(
    (
        RemoveBackground("fallback"),
        Background("white"),
        Shadow(),
        FitSubject(margin_pct=10),
        Canvas("1:1", min_long_side=400),
        Export(quality=90),
    )
)


@pytest.fixture
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "photos")


@pytest.fixture
def renderer(store: PhotoStore) -> Renderer:
    return Renderer(store, MaskProvider(store, None))


def test_importing_the_same_bytes_twice_stores_them_once(
    store: PhotoStore, product_jpeg: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "same-photo-other-name.jpg"
    copy.write_bytes(product_jpeg.read_bytes())

    first = store.import_file(product_jpeg)
    second = store.import_file(copy)

    assert first.is_new and not second.is_new
    assert first.file_hash == second.file_hash and first.path == second.path
    assert list((store.root / "originals").rglob("*.jpg")) == [first.path]
    assert first.path.read_bytes() == product_jpeg.read_bytes()
    assert not first.path.stat().st_mode & stat.S_IWUSR  # never modified afterwards
    assert (first.width, first.height) == (480, 600)
    with Image.open(store.thumbnail(first.file_hash)) as thumb:
        assert max(thumb.size) == 256


def test_a_broken_file_is_not_stored(store: PhotoStore, tmp_path: Path) -> None:
    from studio.imaging.errors import PhotoError

    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with pytest.raises(PhotoError):
        store.import_file(broken)
    assert not list(store.root.rglob("*.jpg"))


def test_export_strips_gps_and_personal_exif(
    store: PhotoStore, renderer: Renderer, tmp_path: Path
) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Home Seller"  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 12.0)
    path = tmp_path / "at-home.jpg"
    Image.new("RGB", (200, 150), "tan").save(path, exif=exif)
    with Image.open(path) as original:
        assert original.getexif().get_ifd(0x8825)  # the fixture really carries GPS

    stored = store.import_file(path)
    for recipe in (Recipe(()), shipped_preset("keep")):
        with Image.open(renderer.export(stored.file_hash, recipe)) as exported:
            tags = exported.getexif()
            assert not tags.get_ifd(0x8825) and 0x010F not in tags and 0x013B not in tags
            assert b"Home Seller" not in exported.fp.read() if exported.fp else True


def test_a_second_render_of_an_unchanged_recipe_does_no_work(
    store: PhotoStore, renderer: Renderer, product_jpeg: Path
) -> None:
    stored = store.import_file(product_jpeg)

    first = renderer.export(stored.file_hash, FALLBACK_COVER)
    again = renderer.export(stored.file_hash, Recipe.from_json(FALLBACK_COVER.to_json()))

    assert first == again
    assert renderer.stats.renders == 1 and renderer.stats.file_hits == 1
    assert renderer.masks.computed == 1


def test_changing_only_the_layout_reuses_the_cut_out_and_the_mask(
    store: PhotoStore, renderer: Renderer, product_jpeg: Path
) -> None:
    stored = store.import_file(product_jpeg)
    renderer.preview(stored.file_hash, FALLBACK_COVER, 300)
    blue = Recipe(
        tuple(
            Background("color", "#2040a0") if isinstance(s, Background) else s
            for s in FALLBACK_COVER.steps
        )
    )
    renderer.preview(stored.file_hash, blue, 300)
    assert renderer.stats.renders == 2 and renderer.stats.cutout_hits == 1
    assert renderer.masks.computed == 1

    # A new renderer (a restarted app) still finds the mask in the store.
    fresh = Renderer(store, MaskProvider(store, None))
    fresh.export(stored.file_hash, blue)
    assert fresh.masks.computed == 0


def test_white_square_cover_centres_the_subject_with_a_shadow(
    store: PhotoStore, renderer: Renderer, product_photo
) -> None:
    image, _ = product_photo(width=400, height=400)
    path = store.root.parent / "shirt.png"
    image.save(path)
    stored = store.import_file(path)

    with Image.open(renderer.export(stored.file_hash, FALLBACK_COVER)) as result:
        pixels = np.asarray(result.convert("RGB"), dtype=np.int16)
    assert pixels.shape == (400, 400, 3)
    assert (pixels[:20, :20] >= 250).all()  # white corner
    subject = (np.abs(pixels - 255).sum(axis=-1) > 60).nonzero()
    top, bottom = subject[0].min(), subject[0].max()
    left, right = subject[1].min(), subject[1].max()
    assert top >= 30 and left >= 30 and right <= 370  # the 10% margin, shadow aside
    assert abs((left + right) / 2 - 200) <= 6
    below = pixels[bottom - 2 : bottom + 1, 190:210].mean()
    assert below < 250  # the contact shadow darkens the floor under the subject


def test_straighten_crops_the_tilted_corners_away(
    store: PhotoStore, renderer: Renderer, tmp_path: Path
) -> None:
    path = tmp_path / "flat.png"
    Image.new("RGB", (300, 200), (90, 160, 90)).save(path)
    stored = store.import_file(path)
    picture = renderer.render(stored.path, stored.file_hash, Recipe((Rotate(angle=10),)))
    assert picture.width < 300 and picture.height < 200
    corners = [picture.getpixel(p) for p in ((0, 0), (picture.width - 1, picture.height - 1))]
    assert all(c == pytest.approx((90, 160, 90), abs=6) for c in corners)  # no empty wedge
    quarter = renderer.render(stored.path, stored.file_hash, Recipe((Rotate(quarter_turns=1),)))
    assert quarter.size == (200, 300)


def test_transparent_result_stays_transparent_in_png(
    store: PhotoStore, renderer: Renderer, product_jpeg: Path
) -> None:
    stored = store.import_file(product_jpeg)
    recipe = Recipe((RemoveBackground("fallback"), Export(format="png")))
    with Image.open(renderer.export(stored.file_hash, recipe)) as result:
        assert result.mode == "RGBA"
        assert result.getpixel((2, 2))[3] == 0 and result.getpixel((240, 400))[3] == 255


def test_watermark_and_byte_budget(store: PhotoStore, renderer: Renderer, tmp_path: Path) -> None:
    noise = np.random.default_rng(3).integers(0, 255, (900, 900, 3), dtype=np.uint8)
    path = tmp_path / "busy.png"
    Image.fromarray(noise).save(path)
    stored = store.import_file(path)
    marked = renderer.render(
        stored.path, stored.file_hash, Recipe((Watermark(text="@closet", opacity=1.0),))
    )
    changed = np.abs(np.asarray(marked, np.int16) - noise).sum(axis=-1) > 0
    assert changed[700:, 450:].sum() > 1000  # text in the bottom-right corner
    assert not changed[:450, :450].any()  # and nowhere else

    big = encode(Image.fromarray(noise), Export(quality=95))
    small = encode(Image.fromarray(noise), Export(quality=95, max_bytes=len(big) // 2))
    assert len(small) <= len(big) // 2


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_photo_store_is_private_to_its_owner(tmp_path: Path, product_jpeg: Path) -> None:
    # A permissive umask, as on many shared machines: the store must not rely on it.
    previous = os.umask(0o022)
    try:
        store = PhotoStore(tmp_path / "data" / "photos")
        stored = store.import_file(product_jpeg)
        renderer = Renderer(store, MaskProvider(store, None))
        renderer.export(stored.file_hash, FALLBACK_COVER)
        renderer.preview(stored.file_hash, FALLBACK_COVER, 300)
    finally:
        os.umask(previous)
    folders = [store.root, *(path for path in store.root.rglob("*") if path.is_dir())]
    files = [path for path in store.root.rglob("*") if path.is_file()]
    assert {stat.S_IMODE(folder.stat().st_mode) for folder in folders} == {0o700}
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o400  # the original: read-only
    derived = [path for path in files if path != stored.path]
    assert len(derived) >= 3  # the thumbnail, the preview and the export at least
    assert {stat.S_IMODE(path.stat().st_mode) for path in derived} == {0o600}
