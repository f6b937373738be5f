"""Subject masks: from the installed model (one session, loaded once) or the fallback.

Masks are cached per photo in the store, keyed by the remover, so restyling a photo, or
running a second preset over it, never runs the model again.
"""

import io
from collections.abc import Collection
from pathlib import Path

from PIL import Image, ImageChops

from studio.imaging import decode
from studio.imaging.errors import PhotoError
from studio.imaging.model_catalog import InstalledModel
from studio.imaging.model_session import MODEL_SIDE, ModelSession
from studio.imaging.store import PhotoStore, write_atomically

FALLBACK_ID = "fallback1"
# refine.STEPS, named here too so that making a provider does not load SciPy
REFINE_STEPS = ("shadow", "fuse", "holes")
REFINE_VERSION = 1  # bump when refine.py changes what it makes, so cached masks are made again


class MaskProvider:
    """Answers "what is the subject of this photo?", from cache when it can.

    `remover` in each call is "model", "fallback" or "auto" (model when one is installed).
    """

    def __init__(
        self,
        store: PhotoStore | None,
        model: InstalledModel | None,
        refine_steps: Collection[str] | None = None,
    ) -> None:
        """`model` is normally `model_catalog.active_model()`; None means fallback only.
        `refine_steps` (default: all of refine.STEPS) refine the model's masks; () leaves
        them as the model made them, for measuring."""
        self.store = store
        self.model = model
        self.refine_steps = REFINE_STEPS if refine_steps is None else tuple(refine_steps)
        self._session = ModelSession(self.model) if self.model else None
        self.computed = 0  # masks worked out rather than read from the cache

    def remover_id(self, remover: str, refine: bool = True) -> str:
        if remover == "fallback" or (remover == "auto" and self.model is None):
            return FALLBACK_ID
        if self.model is None:
            raise PhotoError(
                "no background-removal model is installed: run `studio models install`, "
                "or use the fallback remover for photos on a plain backdrop"
            )
        steps = "-".join(self.refine_steps) if refine else ""
        refined = f"-refined{REFINE_VERSION}-{steps}" if steps else ""
        return f"model-{self.model.name}{refined}"

    def mask(
        self,
        source: Path,
        file_hash: str | None,
        remover: str,
        decoded: Image.Image | None = None,
        refine: bool = True,
    ) -> Image.Image:
        """The subject mask of the upright photo, at up to MODEL_SIDE px on its long side.

        `decoded` is the photo if the caller has it already, to save decoding it again;
        without `refine` the model's mask is left as it made it (the recipe's choice).
        """
        remover_id = self.remover_id(remover, refine)
        cached = self.store.mask_path(file_hash, remover_id) if self.store and file_hash else None
        if cached is not None and cached.exists():
            with Image.open(cached) as stored:
                return stored.convert("L")
        image = decoded if decoded is not None else decode.load(source, min_long_side=MODEL_SIDE)
        mask = self._compute(image, remover_id, self.refine_steps if refine else ())
        self.computed += 1
        if cached is not None:
            buffer = io.BytesIO()
            mask.save(buffer, "PNG")
            write_atomically(cached, buffer.getvalue())
        return mask

    def _compute(
        self, image: Image.Image, remover_id: str, refine_steps: Collection[str]
    ) -> Image.Image:
        scale = min(1.0, MODEL_SIDE / max(image.size))
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        if remover_id == FALLBACK_ID or self._session is None:
            # SciPy and scikit-image load only when a mask is really computed (~0.3 s), not
            # with every screen that can start a batch.
            from studio.imaging.fallback import fallback_mask

            mask = fallback_mask(image)
        else:
            # The model squeezes every photo to a square anyway; squeezing it here, in one
            # cheap step from the decoded size, saves rembg two full-size Lanczos passes.
            square = image.resize(
                (MODEL_SIDE, MODEL_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0
            )
            mask = self._session.predict(square).resize(size, Image.Resampling.BILINEAR)
            if refine_steps:
                from studio.imaging.refine import refine

                mask = refine(image, mask, refine_steps)
        mask = mask.resize(size, Image.Resampling.BILINEAR)
        if image.mode == "RGBA":
            # A photo that is already cut out keeps its own transparency as the outer limit.
            alpha = image.getchannel("A").resize(size, Image.Resampling.BILINEAR)
            mask = ImageChops.darker(mask, alpha)
        return mask
