"""Subject masks: the classical fallback, the model, touch-up strokes, and the mask cache."""

from pathlib import Path

import pytest
from PIL import Image

from studio.imaging.errors import PhotoError
from studio.imaging.fallback import fallback_mask
from studio.imaging.recipe import Stroke
from studio.imaging.remover import MaskProvider
from studio.imaging.store import PhotoStore
from studio.imaging.touchup import apply_strokes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fallback_finds_the_garment_on_a_plain_backdrop(product_photo, mask_iou, seed) -> None:
    image, truth = product_photo(backdrop="plain", seed=seed)
    assert mask_iou(fallback_mask(image), truth) >= 0.90


def test_fallback_copes_with_a_lit_paper_sweep(product_photo, mask_iou) -> None:
    image, truth = product_photo(backdrop="gradient")
    assert mask_iou(fallback_mask(image), truth) >= 0.90


def test_fallback_says_so_when_the_backdrop_is_not_plain() -> None:
    busy = Image.effect_noise((300, 300), 120).convert("RGB")
    with pytest.raises(PhotoError, match="install a model"):
        fallback_mask(busy)


def test_touch_up_strokes_keep_and_erase() -> None:
    mask = Image.new("L", (100, 100), 0)
    mask.paste(255, (50, 0, 100, 100))
    touched = apply_strokes(
        mask,
        [
            Stroke("keep", 0.05, ((0.1, 0.5), (0.3, 0.5))),
            Stroke("erase", 0.05, ((0.8, 0.2),)),
        ],
    )
    assert touched.getpixel((20, 50)) == 255 and touched.getpixel((20, 10)) == 0
    assert touched.getpixel((80, 20)) == 0 and touched.getpixel((80, 80)) == 255
    assert mask.getpixel((20, 50)) == 0  # the cached mask itself is left alone


def test_masks_are_cached_per_photo_and_remover(tmp_path: Path, product_jpeg: Path) -> None:
    store = PhotoStore(tmp_path / "photos")
    stored = store.import_file(product_jpeg)
    provider = MaskProvider(store, None)

    first = provider.mask(stored.path, stored.file_hash, "fallback")
    second = provider.mask(stored.path, stored.file_hash, "auto")  # no model: the fallback
    assert provider.computed == 1
    assert first.tobytes() == second.tobytes()
    assert store.mask_path(stored.file_hash, "fallback1").exists()


def test_asking_for_the_model_without_one_says_what_to_do(product_jpeg: Path) -> None:
    with pytest.raises(PhotoError, match="studio models install"):
        MaskProvider(None, None).mask(product_jpeg, None, "model")


@pytest.fixture(scope="module")
def model_masks(tmp_path_factory: pytest.TempPathFactory) -> MaskProvider:
    """One provider for the module, so the model session is loaded once, as in the app."""
    from studio.imaging.model_catalog import active_model

    model = active_model()
    if model is None:
        pytest.skip("no background-removal model installed: run `studio models install`")
    return MaskProvider(PhotoStore(tmp_path_factory.mktemp("photos")), model)


@pytest.mark.model
@pytest.mark.parametrize(("backdrop", "seed"), [("plain", 5), ("gradient", 6)])
def test_model_mask_matches_the_garment(
    tmp_path: Path, model_masks, product_photo, mask_iou, backdrop, seed
) -> None:
    image, truth = product_photo(backdrop=backdrop, seed=seed)
    path = tmp_path / "shirt.png"
    image.save(path)
    before = model_masks.computed
    assert mask_iou(model_masks.mask(path, f"{seed}" * 64, "model"), truth) >= 0.95
    model_masks.mask(path, f"{seed}" * 64, "model")
    assert model_masks.computed == before + 1  # the second call came from the cache
