"""The installed ISNet model run directly with onnxruntime: one session per process, reused.

rembg installs the model but is not needed to run it: its import alone costs ~3 s and
~100 MB (pymatting, numba), and its pre-processing works in float64 at 1024 x 1024. The
arithmetic here is the same as rembg's ISNet sessions (pixels over their maximum, minus 0.5;
the first output min-max scaled), so masks match what rembg gives.
"""

from pathlib import Path
from typing import Any

from PIL import Image

from studio.heap import give_back_freed_memory
from studio.imaging.model_catalog import InstalledModel
from studio.imaging.store import write_atomically

MODEL_SIDE = 1024  # ISNet's fixed input size


def session_options() -> Any:
    """Options chosen by measuring peak memory and time per photo on the 2-core machine
    (`python -m bench photos`, see the README). Threads stay at onnxruntime's default, one
    per core: one thread was ~1.8x slower, and the count did not change the peak."""
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
                str(free_size_model(self.model.path)),
                session_options(),
                providers=["CPUExecutionProvider"],
            )
            # ISNet also returns its side outputs and feature maps; asking for the final mask
            # alone lets the session free those as soon as they are used.
            self._output = [self.session.get_outputs()[0].name]
        # Here, not at the top: the window imports this module at start and needs no NumPy.
        import numpy as np

        pixels = np.asarray(square.convert("RGB"), np.float32)
        pixels *= 1.0 / max(float(pixels.max()), 1e-6)
        pixels -= 0.5
        batch = pixels.transpose(2, 0, 1)[None]
        (prediction,) = self.session.run(self._output, {self.session.get_inputs()[0].name: batch})
        del batch, pixels
        # Without it glibc keeps the freed activations and a worker's resident memory
        # creeps up photo by photo.
        give_back_freed_memory()
        plane = prediction[0, 0]
        low, high = float(plane.min()), float(plane.max())
        scaled = (plane - low) * (255.0 / max(high - low, 1e-6))
        return Image.fromarray(scaled.astype(np.uint8), "L")


def free_size_path(model: Path) -> Path:
    """Where the free-size copy of a model file is kept: beside it, in a hidden folder that
    the model catalogue does not list."""
    return model.parent / ".free-size" / model.name


def free_size_model(path: Path) -> Path:
    """A copy of the model with its image sides left open and its inner shapes unstated,
    written once next to it (and again if the model file is replaced).

    Its outputs are the original's to 1e-3, but onnxruntime, no longer planning for fixed
    1024 x 1024 tensors, peaked at ~640 MB instead of ~890 MB of resident memory for one
    photo (the isnet model built from npm; see README, Performance). Loading the copy from
    a file keeps the onnx package out of the worker's memory for every later batch; the
    install makes it, so a batch normally finds it ready."""
    copy = free_size_path(path)
    if copy.exists() and copy.stat().st_mtime_ns >= path.stat().st_mtime_ns:
        return copy
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    for value in (*graph.input, *graph.output):
        dims = value.type.tensor_type.shape.dim
        if len(dims) == 4:
            dims[2].dim_param, dims[3].dim_param = "height", "width"
    del graph.value_info[:]
    try:
        write_atomically(copy, model.SerializeToString())
    except OSError:  # a read-only models folder: the model as it is still works
        return path
    return copy
