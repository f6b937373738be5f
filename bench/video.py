"""Listing video speed: `python -m bench video [--seconds 10] [--previews 20]`.

Makes a phone-like clip first: 1080p H.264 at 30 fps stored landscape with a display
matrix turning it to portrait (as a phone films upright), a sample photo panning across the
frame with sensor noise, and a sound track. Then measures:
- `encode_x_realtime`: seconds of that clip encoded into the listing video (trimmed to the
  whole clip, turned upright, 1080 px long side, H.264 + AAC, fast start) per second of wall
  time, by the encoder the worker process runs (target >= 1);
- `encode_full_hd_x_realtime`: the same with the long side at 1920 (a 1080x1920 output), for
  a marketplace that takes full HD;
- `trim_seek_ms`: median time to show the frame at a trim handle's new time, the clip kept
  open as the trim bar keeps it (a 320 px picture);
- `cover_preview_ms`: median time from a chosen cover time to its 1080 px picture, opening
  the clip each time (target < 150);
- `peak_rss_mb`: the process's peak resident memory.
The last line printed is one JSON object.
"""

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageOps

from studio.video.encode import encode
from studio.video.frames import FrameReader, frame_at
from studio.video.limits import LISTING_LIMITS
from studio.video.probe import probe
from studio.video.recipe import VideoRecipe

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "photos" / "people.jpg"
STORED = (1920, 1080)  # as a phone stores a portrait clip: landscape, turned on display


def make_phone_clip(path: Path, seconds: float, rate: int = 30) -> Path:
    width, height = STORED
    if SAMPLE.exists():
        with Image.open(SAMPLE) as opened:
            scene = ImageOps.fit(
                opened.convert("RGB"), (width + 240, height), Image.Resampling.BICUBIC
            )
    else:
        scene = Image.linear_gradient("L").resize((width + 240, height)).convert("RGB")
    pixels = np.asarray(scene)
    noise = np.random.default_rng(7).integers(-6, 7, (4, height, width, 3), dtype=np.int16)
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=rate)
        assert isinstance(video, av.VideoStream)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.gop_size = rate  # phones put a keyframe about every second
        video.bit_rate = 12_000_000
        video.options = {"preset": "ultrafast"}
        video.set_display_rotation(270)
        sound = out.add_stream("aac", rate=48000, layout="mono")
        assert isinstance(sound, av.AudioStream)
        for number in range(round(seconds * rate)):
            shift = number * 2 % 240
            frame_pixels = pixels[:, shift : shift + width].astype(np.int16) + noise[number % 4]
            frame = av.VideoFrame.from_ndarray(
                np.clip(frame_pixels, 0, 255).astype(np.uint8), format="rgb24"
            )
            frame.pts, frame.time_base = number, Fraction(1, rate)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        for start in range(0, round(seconds * 48000), 1024):
            wave = 0.2 * np.sin(np.arange(start, start + 1024) / 20.0)
            piece = av.AudioFrame.from_ndarray(wave.astype(np.float32)[None, :], "fltp", "mono")
            piece.sample_rate, piece.pts = 48000, start
            out.mux(sound.encode(piece))
        out.mux(sound.encode(None))
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench video")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the clip")
    parser.add_argument("--previews", type=int, default=20, help="previews timed")
    args = parser.parse_args(argv)
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        print("making a 1080p phone clip...", file=sys.stderr)
        source = make_phone_clip(root / "phone.mp4", args.seconds)
        info = probe(source)

        started = time.perf_counter()
        encoded = encode(
            source, info, VideoRecipe(), LISTING_LIMITS, root / "out.mp4", root / "out.jpg"
        )
        encode_s = time.perf_counter() - started
        print(f"encoded {encoded.duration:.1f} s in {encode_s:.1f} s", file=sys.stderr)
        full_hd = replace(LISTING_LIMITS, long_side=1920)
        started = time.perf_counter()
        encode(source, info, VideoRecipe(), full_hd, root / "hd.mp4", root / "hd.jpg")
        full_hd_s = time.perf_counter() - started

        times = [rng.uniform(0, info.duration - 0.1) for _ in range(args.previews)]
        seeks = []
        with FrameReader(source) as reader:
            reader.frame(0.0, 320)
            for seconds in times:
                started = time.perf_counter()
                reader.frame(seconds, 320)
                seeks.append((time.perf_counter() - started) * 1000)
        covers = []
        for seconds in times:
            started = time.perf_counter()
            frame_at(source, seconds, 1080)
            covers.append((time.perf_counter() - started) * 1000)

    result = {
        "clip": f"{info.width}x{info.height} {info.codec} {info.fps:.0f} fps, "
        f"{info.duration:.1f} s, rotation {info.rotation}",
        "output": f"{encoded.width}x{encoded.height}",
        "encode_s": round(encode_s, 2),
        "encode_x_realtime": round(encoded.duration / encode_s, 2),
        "encode_full_hd_x_realtime": round(encoded.duration / full_hd_s, 2),
        "trim_seek_ms": round(statistics.median(seeks), 1),
        "trim_seek_max_ms": round(max(seeks), 1),
        "cover_preview_ms": round(statistics.median(covers), 1),
        "cover_preview_max_ms": round(max(covers), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result))
    return 0
