"""Clips with known frames, made with PyAV: for the self-test, the benchmark and the tests.

Each frame shows its own number as eight black or white bars (bit 0 at the left), so a
reader can tell exactly which frames a trim kept and which frame became the cover. A red
square marks the picture's top left corner as it is meant to be seen, so a turn can be
checked too. Phone-style tags (location, make, model) are written into the container.
"""

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

BITS = 8
PHONE_TAGS = {
    "location": "+48.8584+002.2945/",
    "com.apple.quicktime.location.ISO6709": "+48.8584+002.2945+035.000/",
    "make": "Apple",
    "model": "iPhone 15 Pro",
    "creation_time": "2026-11-29T10:00:00.000000Z",
}
_MARK = (200, 30, 30)
_NUMPY_TURNS = {0: 0, 90: -1, 180: 2, 270: 1}  # stored = shown turned back by the rotation


def frame_picture(number: int, width: int, height: int) -> np.ndarray:
    picture = np.zeros((height, width, 3), np.uint8)
    bar = width // BITS
    for bit in range(BITS):
        if number >> bit & 1:
            picture[height // 4 :, bit * bar : (bit + 1) * bar] = 255
    side = max(8, min(width, height) // 6)
    picture[:side, :side] = _MARK
    return picture


def read_frame_number(picture: np.ndarray) -> int:
    """The number drawn by frame_picture, from an RGB array of any size it was scaled to."""
    height, width = picture.shape[:2]
    row = picture[height * 5 // 8, :, :].mean(axis=1)
    bar = width / BITS
    return sum(1 << bit for bit in range(BITS) if row[int((bit + 0.5) * bar)] > 128)


def has_mark_top_left(picture: np.ndarray) -> bool:
    height, width = picture.shape[:2]
    side = max(2, min(width, height) // 12)
    corner = picture[:side, :side].reshape(-1, 3).mean(axis=0)
    return bool(corner[0] > 120 and corner[1] < 90 and corner[2] < 90)


def make_clip(
    path: Path,
    seconds: float = 2.0,
    size: tuple[int, int] = (160, 284),
    rate: int = 25,
    codec: str = "libx264",
    rotation: int = 0,
    audio: bool = True,
    tags: bool = True,
    gop: int = 30,
    jitter_ms: int = 0,
) -> Path:
    """Write a clip of `seconds` shown at `size` (width, height); `rotation` is stored as a
    display matrix with the pixels turned the other way, as a phone does; `jitter_ms` moves
    every other frame that much later, a variable frame rate as phones record in low light."""
    width, height = size
    frames = round(seconds * rate)
    options = {"movflags": "use_metadata_tags"} if path.suffix.lower() == ".mov" else {}
    with av.open(str(path), "w", options=options) as out:
        if tags:
            out.metadata.update(PHONE_TAGS)
        stored = (height, width) if rotation in (90, 270) else (width, height)
        video = out.add_stream(codec, rate=rate)
        assert isinstance(video, av.VideoStream)
        video.width, video.height = stored
        video.pix_fmt = "yuv420p"
        video.gop_size = gop
        video.codec_context.time_base = Fraction(1, 1000)  # fine enough for uneven frames
        if codec == "libx264":
            video.options = {"preset": "ultrafast", "crf": "18"}
        elif codec in ("hevc", "libx265"):
            video.options = {"preset": "ultrafast", "x265-params": "log-level=error"}
        if rotation:
            video.set_display_rotation(rotation)
        sound = out.add_stream("aac", rate=44100, layout="mono") if audio else None
        assert sound is None or isinstance(sound, av.AudioStream)
        for number in range(frames):
            shown = frame_picture(number, width, height)
            picture = np.ascontiguousarray(np.rot90(shown, _NUMPY_TURNS[rotation]))
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            shift = jitter_ms if number % 2 else 0
            frame.pts, frame.time_base = number * 1000 // rate + shift, Fraction(1, 1000)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if sound is not None:
            _write_tone(out, sound, seconds)
    return path


def _write_tone(
    out: "av.container.OutputContainer", sound: "av.AudioStream", seconds: float
) -> None:
    total, sample = round(44100 * seconds), 0
    while sample < total:
        count = min(1024, total - sample)
        wave = 0.2 * np.sin(2 * np.pi * 440 * np.arange(sample, sample + count) / 44100)
        frame = av.AudioFrame.from_ndarray(wave.astype(np.float32)[None, :], "fltp", "mono")
        frame.sample_rate, frame.pts = 44100, sample
        out.mux(sound.encode(frame))
        sample += count
    out.mux(sound.encode(None))
