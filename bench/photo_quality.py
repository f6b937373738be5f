"""Cut-out quality: `python -m bench photo_quality [--size WxH]`.

Scores, on the composed scenes of bench/photo_scenes.py (their true masks are known), three
removers side by side from the same run:
- `bare_model`: the model's mask alone, scaled to the photo (what the studio did before);
- `studio_model`: the same model mask after the studio's refinement (refine.py at mask size,
  then matting.refine_edge at the photo's size), exactly as a render makes it;
- `fallback`: the classical remover, on the scenes it is meant for (plain and gradient).
Each gets mean and worst intersection-over-union and a boundary F-score (edge pixels found
within 2 px of the true edge), overall and per backdrop kind. The model runs once a scene.
The last line printed is one JSON object.
"""

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from scipy import ndimage

from bench.photo_scenes import KINDS, Scene, scenes
from studio.imaging import matting, refine
from studio.imaging.errors import PhotoError
from studio.imaging.fallback import fallback_mask
from studio.imaging.model_catalog import active_model
from studio.imaging.remover import MaskProvider

BOUNDARY_TOLERANCE_PX = 2


def iou(mask: Image.Image, truth: np.ndarray) -> float:
    found = _solid(mask, truth)
    return float((found & truth).sum() / max((found | truth).sum(), 1))


def boundary_f(mask: Image.Image, truth: np.ndarray) -> float:
    """The F-score of the mask's outline against the true outline, within a small tolerance."""
    found, true_edge = _outline(_solid(mask, truth)), _outline(truth)
    if not found.any() or not true_edge.any():
        return 0.0
    near_truth = ndimage.distance_transform_edt(~true_edge) <= BOUNDARY_TOLERANCE_PX
    near_found = ndimage.distance_transform_edt(~found) <= BOUNDARY_TOLERANCE_PX
    precision = float((found & near_truth).sum() / found.sum())
    recall = float((true_edge & near_found).sum() / true_edge.sum())
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def studio_mask(image: Image.Image, model_mask: Image.Image) -> Image.Image:
    """What a render makes of the model's mask, at the photo's size."""
    return matting.refine_edge(image, refine.refine(image, model_mask))


def _solid(mask: Image.Image, truth: np.ndarray) -> np.ndarray:
    if mask.size != (truth.shape[1], truth.shape[0]):
        mask = mask.resize((truth.shape[1], truth.shape[0]), Image.Resampling.BILINEAR)
    result: np.ndarray = np.asarray(mask) >= 128
    return result


def _outline(mask: np.ndarray) -> np.ndarray:
    result: np.ndarray = mask & ~ndimage.binary_erosion(mask)
    return result


def _summary(rows: list[dict[str, Any]], method: str) -> dict[str, Any]:
    scored = [r for r in rows if method in r]
    if not scored:
        return {}
    ious = [r[method]["iou"] for r in scored]
    worst = min(scored, key=lambda r: r[method]["iou"])
    return {
        "mean_iou": round(statistics.fmean(ious), 4),
        "min_iou": round(min(ious), 4),
        "worst": worst["scene"],
        "boundary_f": round(statistics.fmean(r[method]["boundary_f"] for r in scored), 4),
        "photos": len(scored),
    }


def score(
    photos: list[Scene],
    model_mask: Callable[[Image.Image], Image.Image] | None,
    with_fallback: bool = True,
) -> dict[str, Any]:
    """Per-scene scores and summaries; `model_mask` None scores the fallback alone."""
    rows: list[dict[str, Any]] = []
    refine_s, model_s = 0.0, 0.0
    for scene in photos:
        row: dict[str, Any] = {"scene": scene.name, "kind": scene.kind}
        if model_mask is not None:
            started = time.perf_counter()
            bare = model_mask(scene.image)
            model_s += time.perf_counter() - started
            started = time.perf_counter()
            studio = studio_mask(scene.image, bare)
            refine_s += time.perf_counter() - started
            for method, mask in (("bare_model", bare), ("studio_model", studio)):
                row[method] = {
                    "iou": iou(mask, scene.truth),
                    "boundary_f": boundary_f(mask, scene.truth),
                }
        if with_fallback and scene.kind in ("plain", "gradient"):
            try:
                mask = fallback_mask(scene.image)
                row["fallback"] = {
                    "iou": iou(mask, scene.truth),
                    "boundary_f": boundary_f(mask, scene.truth),
                }
            except PhotoError:  # it refuses a photo it cannot do: that is a zero, not a skip
                row["fallback"] = {"iou": 0.0, "boundary_f": 0.0}
        rows.append(row)
    methods = ("bare_model", "studio_model", "fallback")
    return {
        "rows": rows,
        "overall": {m: _summary(rows, m) for m in methods},
        "by_kind": {
            kind: {m: _summary([r for r in rows if r["kind"] == kind], m) for m in methods}
            for kind in KINDS
        },
        "model_s": model_s,
        "refine_s": refine_s,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench photo_quality")
    parser.add_argument("--size", default="480x600", help="scene size WxH (default 480x600)")
    args = parser.parse_args(argv)
    width, height = (int(side) for side in args.size.lower().split("x"))
    model = active_model()
    provider = MaskProvider(None, model, refine_steps=()) if model else None

    def model_mask(image: Image.Image) -> Image.Image:
        assert provider is not None
        return provider.mask(Path("scene.png"), None, "model", decoded=image)

    photos = scenes((width, height))
    result = score(photos, model_mask if provider else None)
    for row in result["rows"]:
        print(
            json.dumps(
                {
                    k: v if not isinstance(v, dict) else {n: round(x, 4) for n, x in v.items()}
                    for k, v in row.items()
                }
            ),
            flush=True,
        )
    overall = result["overall"]
    report: dict[str, Any] = {
        "photos": len(photos),
        "photo_size": f"{width}x{height}",
        "model": model.name if model else None,
        "bare_model_mean_iou": overall["bare_model"].get("mean_iou"),
        "bare_model_min_iou": overall["bare_model"].get("min_iou"),
        "studio_model_mean_iou": overall["studio_model"].get("mean_iou"),
        "studio_model_min_iou": overall["studio_model"].get("min_iou"),
        "fallback_plain_mean_iou": result["by_kind"]["plain"]["fallback"].get("mean_iou"),
        "boundary_f": {m: s.get("boundary_f") for m, s in overall.items()},
        "by_kind": result["by_kind"],
        "refine_ms_per_photo": round(result["refine_s"] / len(photos) * 1000, 1),
        "model_ms_per_photo": round(result["model_s"] / len(photos) * 1000, 1),
    }
    print(json.dumps(report))
    return 0
