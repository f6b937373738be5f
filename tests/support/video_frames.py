"""Reading test clips back: which numbered frames a video holds, and its first picture."""

from pathlib import Path

import av
import numpy as np

from studio.video.sample_clip import read_frame_number


def frame_numbers(path: Path) -> list[int]:
    with av.open(str(path)) as container:
        return [
            read_frame_number(frame.to_ndarray(format="rgb24"))
            for frame in container.decode(video=0)
        ]


def first_picture(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")
