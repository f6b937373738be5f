"""The installed ISNet model run directly with onnxruntime: one session per process, reused.

rembg installs the model but is not needed to run it: its import alone costs ~3 s and
~100 MB (pymatting, numba), and its pre-processing works in float64 at 1024 x 1024. The
arithmetic here is the same as rembg's ISNet sessions (pixels over their maximum, minus 0.5;
the first output min-max scaled), so masks match what rembg gives.
"""

import ctypes
import ctypes.util
from typing import Any

import numpy as np
from PIL import Image

from studio.imaging.model_catalog import InstalledModel

MODEL_SIDE = 1024  # ISNet's fixed input size


def session_options() -> Any:
    """Options chosen by measuring peak memory and time per photo on the 2-core machine
    (`python -m bench photos`, see the README): the peak is the convolutions' working memory
    at 1024 x 1024, which no thread count or layout option lowered; what the options do
    decide is what stays resident between photos."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # Without the arena and the memory pattern, tensors go back to the allocator when a run
    # ends instead of staying reserved for the next photo (~1.2 GB more, no faster).
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    # Basic (constant folding, no layout change) keeps the fp16 weights as they are: the full
    # level converts and re-lays them out, +350 MB resident, and was not faster here.
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    return options


class ModelSession:
    """One onnxruntime session, created on first use and reused for every photo after that."""

    def __init__(self, model: InstalledModel) -> None:
        self.model = model
        self.session: Any = None
        self._output: list[str] = []

    def predict(self, square: Image.Image) -> Image.Image:
        """The model's mask (8-bit) of a MODEL_SIDE x MODEL_SIDE RGB photo."""
        if self.session is None:
            import onnxruntime

            self.session = onnxruntime.InferenceSession(
                str(self.model.path), session_options(), providers=["CPUExecutionProvider"]
            )
            # ISNet also returns its side outputs and feature maps; asking for the final mask
            # alone lets the session free those as soon as they are used.
            self._output = [self.session.get_outputs()[0].name]
        pixels = np.asarray(square.convert("RGB"), np.float32)
        pixels *= 1.0 / max(float(pixels.max()), 1e-6)
        pixels -= 0.5
        batch = pixels.transpose(2, 0, 1)[None]
        (prediction,) = self.session.run(self._output, {self.session.get_inputs()[0].name: batch})
        del batch, pixels
        _give_back_freed_memory()
        plane = prediction[0, 0]
        low, high = float(plane.min()), float(plane.max())
        scaled = (plane - low) * (255.0 / max(high - low, 1e-6))
        return Image.fromarray(scaled.astype(np.uint8), "L")


def _give_back_freed_memory() -> None:
    """After a run, hand the freed activations back to the system: without it glibc keeps
    them, and a worker's resident memory creeps up photo by photo."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> Any:
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    return libc if hasattr(libc, "malloc_trim") else None  # only glibc has it


_LIBC = _glibc()
