"""Tiny clips with known frames (studio/video/sample_clip.py), made once per test session."""

from pathlib import Path

import pytest

from studio.video.sample_clip import make_clip


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {
        # 3 s at 25 fps, portrait, H.264 + AAC, with a phone's location and device tags
        "portrait": make_clip(folder / "portrait.mp4", seconds=3.0),
        # as an iPhone stores portrait HEVC: the picture turned, a display matrix to undo it
        "rotated_hevc": make_clip(
            folder / "rotated.mov", seconds=2.0, codec="hevc", rotation=270, audio=False
        ),
        "landscape": make_clip(folder / "landscape.mp4", seconds=2.0, size=(320, 180)),
    }
