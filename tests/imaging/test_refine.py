"""Mask refinement, each step on a composed photo whose right answer is known, and the
studio against the bare model on the composed scenes (with the model installed)."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

from bench.photo_quality import iou, score
from bench.photo_scenes import compose, scenes
from studio.imaging import decode, matting, refine
from studio.imaging.model_catalog import active_model
from studio.imaging.recipe import Recipe, RemoveBackground
from studio.imaging.remover import MaskProvider
from studio.imaging.render import Renderer


def _mask(values: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(values * 255, 0, 255).astype(np.uint8), "L")


def test_a_cast_shadow_the_model_hesitated_over_is_removed() -> None:
    scene = compose("shadow", "plain", "tshirt", (52, 84, 150), (240, 300), shadow=0.6)
    backdrop = np.asarray(scene.image, np.float32).mean(axis=-1)
    shadow = ~scene.truth & (backdrop < 200)  # the backdrop, darkened by the cast shadow
    assert shadow.sum() > 500
    # What the model does with a strong shadow: it takes some of it, without being sure.
    model = np.where(scene.truth, 1.0, np.where(shadow, 0.7, 0.0))

    refined = np.asarray(refine.refine(scene.image, _mask(model), ("shadow",))) >= 128

    # Within a few pixels of the product the photo's edge blur mixes it into the shadow:
    # that part is the edge step's to shape.
    beyond_edge = shadow & (ndimage.distance_transform_edt(~scene.truth) > 4)
    assert (refined & beyond_edge).sum() < 0.05 * beyond_edge.sum()
    assert iou(_mask(refined.astype(float)), scene.truth) > 0.95 > iou(_mask(model), scene.truth)


def test_a_handle_hole_stays_open_and_a_missed_patch_is_filled() -> None:
    scene = compose("bag", "plain", "bag", (150, 110, 70), (240, 300), shadow=0.0)
    handle_hole = np.zeros_like(scene.truth)
    handle_hole[75:130, 95:145] = True  # inside the ring of the handle: backdrop
    handle_hole &= ~scene.truth
    patch = np.zeros_like(scene.truth)
    patch[170:200, 100:140] = True  # a patch of the bag's body the model left out
    assert scene.truth[patch].all() and handle_hole.sum() > 1000
    model = scene.truth & ~patch

    refined = np.asarray(refine.refine(scene.image, _mask(model.astype(float)), ("holes",)))

    assert (refined[patch] >= 128).all()
    assert (refined[handle_hole] < 128).all()


def test_a_small_island_apart_from_the_subject_is_dropped() -> None:
    scene = compose("island", "plain", "tshirt", (190, 60, 52), (240, 300), shadow=0.0)
    model = scene.truth.astype(float)
    model[270:280, 10:20] = 1.0  # a speck in the corner

    refined = np.asarray(refine.refine(scene.image, _mask(model), ("holes",))) >= 128

    assert not refined[270:280, 10:20].any()
    assert (refined == scene.truth).mean() > 0.999


def test_a_reflection_the_model_hesitated_over_goes_to_the_backdrop() -> None:
    scene = compose("gloss", "plain", "shoe", (190, 60, 52), (240, 300), reflection=0.35)
    bottom = int(np.flatnonzero(scene.truth.any(axis=1))[-1])
    reflection = np.zeros_like(scene.truth)  # the shoe's mirror image, its first 30 rows
    reflection[bottom + 1 : bottom + 31] = scene.truth[bottom - 29 : bottom + 1][::-1]
    model = np.where(scene.truth, 1.0, np.where(reflection, 0.6, 0.0))

    refined = np.asarray(refine.refine(scene.image, _mask(model), ("fuse",))) >= 128

    # What stays is the rim the colours leave to the edge step (within 2 px of the outline).
    assert (refined & reflection).sum() < 0.25 * reflection.sum()
    assert refined[scene.truth].mean() > 0.99


def test_the_guided_edge_follows_the_photo_better_than_scaling_up() -> None:
    scene = compose("edge", "plain", "tshirt", (52, 84, 150), (480, 600), shadow=0.0)
    small = _mask(scene.truth.astype(float)).resize((160, 200), Image.Resampling.BILINEAR)
    scaled = small.resize(scene.image.size, Image.Resampling.BILINEAR)

    guided = matting.refine_edge(scene.image, small)

    assert guided.size == scene.image.size
    assert iou(guided, scene.truth) > iou(scaled, scene.truth)


def test_no_halo_of_the_old_backdrop_on_white() -> None:
    size = (200, 200)
    big = Image.new("L", (800, 800), 0)
    ImageDraw.Draw(big).ellipse((160, 160, 640, 640), fill=255)
    alpha = big.resize(size, Image.Resampling.BOX)  # a soft, anti-aliased edge
    weight = np.asarray(alpha, np.float32)[..., None] / 255
    green, navy = np.array([40, 200, 60], np.float32), np.array([40, 50, 120], np.float32)
    photo = Image.fromarray((green * (1 - weight) + navy * weight).astype(np.uint8), "RGB")

    def greenest_edge_pixel(colours: Image.Image) -> float:
        pixels = np.asarray(colours, np.float32)
        on_white = pixels * weight + 255 * (1 - weight)
        edge = (weight[..., 0] > 0.1) & (weight[..., 0] < 0.9)
        excess = on_white[..., 1] - (on_white[..., 0] + on_white[..., 2]) / 2
        return float(excess[edge].max())

    assert greenest_edge_pixel(photo) > 20  # the blend of the green backdrop shows
    assert greenest_edge_pixel(matting.decontaminate(photo, alpha)) < 8


def test_a_recipe_can_leave_the_mask_as_the_remover_made_it(tmp_path: Path) -> None:
    """The refinement is the recipe's choice (`RemoveBackground.refine`, on by default): off,
    the cut-out is the remover's mask scaled to the photo; on, its edge follows the photo."""
    scene = next(s for s in scenes((240, 300)) if s.kind == "plain")
    path = tmp_path / "scene.png"
    scene.image.save(path)
    masks = MaskProvider(None, None)  # the fallback remover: the same on every machine
    renderer = Renderer(None, masks)

    def cut_out(refine: bool) -> np.ndarray:
        recipe = Recipe((RemoveBackground(remover="fallback", refine=refine),))
        return np.asarray(renderer.render(path, None, recipe).getchannel("A"))

    image = decode.load(path)
    made = masks.mask(path, None, "fallback", decoded=image)
    assert RemoveBackground().refine
    assert np.array_equal(cut_out(False), np.asarray(made.resize(image.size, Image.BILINEAR)))
    assert np.array_equal(cut_out(True), np.asarray(matting.refine_edge(image, made)))
    assert not np.array_equal(cut_out(True), cut_out(False))


@pytest.mark.model
def test_the_studio_is_not_worse_than_the_bare_model(tmp_path: Path) -> None:
    model = active_model()
    if model is None:
        pytest.skip("no background-removal model installed: run `studio models install`")
    provider = MaskProvider(None, model, refine_steps=())
    chosen = {"plain-shirt-shadow", "plain-shoe-reflection"}  # two photos: one model run each
    photos = [s for s in scenes((240, 300)) if s.name in chosen]

    result = score(
        photos,
        lambda image: provider.mask(tmp_path, None, "model", decoded=image),
        with_fallback=False,
    )

    overall = result["overall"]
    assert overall["studio_model"]["photos"] == 2
    assert overall["studio_model"]["mean_iou"] >= overall["bare_model"]["mean_iou"]
    assert overall["studio_model"]["min_iou"] >= overall["bare_model"]["min_iou"]


@pytest.mark.model
def test_the_model_runs_from_a_free_size_copy_beside_it() -> None:
    import onnxruntime

    from studio.imaging.model_session import free_size_model, free_size_path

    model = active_model()
    if model is None:
        pytest.skip("no background-removal model installed: run `studio models install`")

    copy = free_size_model(model.path)

    assert copy == free_size_path(model.path) and copy.parent.name == ".free-size"
    session = onnxruntime.InferenceSession(str(copy), providers=["CPUExecutionProvider"])
    assert session.get_inputs()[0].shape[2:] == ["height", "width"]
    assert active_model() == model  # the catalogue does not list the copy as a model


def test_the_provider_refines_with_every_step_the_refinement_has() -> None:
    from studio.imaging.remover import REFINE_STEPS

    assert set(REFINE_STEPS) == set(refine.STEPS)
