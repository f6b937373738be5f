"""Make the listing video: trim, turn upright, scale, H.264 + AAC in an MP4 with fast start.

Nothing of the original's metadata is copied: the output is written from decoded pictures
and sound into a fresh container, so the phone's location, make, model and dates stay
behind. The result is written under a temporary name and renamed when complete, so a quit
mid-encode leaves no half file where a finished one is expected.

Codec choice: PyAV's wheels carry libx264 (and FFmpeg's own AAC encoder), so that is what
the studio uses; `veryfast` with CRF 23 keeps 1080p encoding faster than real time on two
cores, with a bitrate cap that keeps the file inside the marketplace's size limit.
"""

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error

from studio.imaging.store import write_atomically
from studio.video.errors import VideoError
from studio.video.frames import (
    TIME_EPSILON,
    AudioShaper,
    FrameReader,
    Shaper,
    jpeg_bytes,
    output_size,
)
from studio.video.limits import VideoLimits, describe_bytes
from studio.video.probe import VideoInfo, open_video
from studio.video.recipe import VideoRecipe, check

AUDIO_BIT_RATE = 128_000
_MAX_VIDEO_BIT_RATE = 6_000_000
_SIZE_MARGIN = 0.85  # the rate cap is an average; leave room for the mux and peaks
_PROGRESS_EVERY_S = 0.2
STANDARD_RATES = tuple(
    Fraction(rate) for rate in ("24000/1001", "24", "25", "30000/1001", "30", "50", "60")
)

Progress = Callable[[float], None]  # the fraction of the kept part encoded so far


@dataclass(frozen=True)
class Encoded:
    duration: float
    width: int
    height: int
    size_bytes: int
    has_audio: bool


def encode(
    source: Path,
    info: VideoInfo,
    recipe: VideoRecipe,
    limits: VideoLimits,
    output: Path,
    cover: Path,
    progress: Progress | None = None,
) -> Encoded:
    """Write the listing video to `output` and its cover frame (JPEG) to `cover`."""
    check(recipe, info.duration, limits)
    start, end = recipe.span(info.duration)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=output.parent, prefix=".tmp-", suffix=".mp4")
    os.close(fd)
    temp = Path(temp_name)
    try:
        encoded = _encode(source, info, recipe, limits, (start, end), temp, progress)
        if encoded.size_bytes > limits.max_bytes:
            raise VideoError(
                f"came out at {describe_bytes(encoded.size_bytes)}, over the marketplace's "
                f"{describe_bytes(limits.max_bytes)}: keep a shorter part of the clip"
            )
        write_cover(source, recipe.cover_time(), (encoded.width, encoded.height), cover)
        os.replace(temp, output)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return encoded


def write_cover(source: Path, seconds: float, size: tuple[int, int], cover: Path) -> None:
    with FrameReader(source) as reader:
        image = reader.frame(seconds, max(size))
    write_atomically(cover, jpeg_bytes(image))


def steady_rate(fps: float, max_fps: float) -> Fraction:
    """The output's constant frame rate: the clip's average (a phone's variable rate lands
    near a standard one), capped, as the nearest standard rate when within 3%."""
    wanted = min(fps, max_fps)
    nearest = min(STANDARD_RATES, key=lambda rate: abs(float(rate) - wanted))
    if abs(float(nearest) - wanted) <= 0.03 * wanted:
        return nearest
    return Fraction(max(1, round(wanted)))


def video_bit_rate(seconds: float, limits: VideoLimits) -> int:
    budget = limits.max_bytes * 8 * _SIZE_MARGIN / max(seconds, 0.1) - AUDIO_BIT_RATE
    return int(max(300_000, min(_MAX_VIDEO_BIT_RATE, budget)))


def _encode(
    source: Path,
    info: VideoInfo,
    recipe: VideoRecipe,
    limits: VideoLimits,
    span: tuple[float, float],
    temp: Path,
    progress: Progress | None,
) -> Encoded:
    start, end = span
    rate = steady_rate(info.fps, limits.max_fps)
    size = output_size(info.width, info.height, limits.long_side)
    with (
        open_video(source) as inp,
        av.open(str(temp), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        video = inp.streams.video[0]
        video.thread_type = "AUTO"
        audio = inp.streams.audio[0] if inp.streams.audio and not recipe.mute else None
        time_base = float(video.time_base or Fraction(1, 90000))
        origin = (video.start_time or 0) * time_base
        first, last = origin + start, origin + end

        video_out = out.add_stream("libx264", rate=rate)
        assert isinstance(video_out, av.VideoStream)
        video_out.width, video_out.height = size
        video_out.pix_fmt = "yuv420p"
        cap = video_bit_rate(end - start, limits)
        video_out.options = {
            "crf": "23",
            "preset": "veryfast",
            "maxrate": str(cap),
            "bufsize": str(cap * 2),
        }
        shaper = Shaper(video, info.rotation, size, rate)
        sound: tuple[AudioShaper, av.AudioStream] | None = None
        if audio is not None:
            audio_out = out.add_stream("aac", rate=48000, layout="stereo")
            assert isinstance(audio_out, av.AudioStream)
            audio_out.bit_rate = AUDIO_BIT_RATE
            sound = AudioShaper(audio, first, last), audio_out

        if start > 0:
            inp.seek(int(first / time_base), stream=video, backward=True)
        video_done, audio_done = False, audio is None
        reported = time.monotonic()
        try:
            for packet in inp.demux([video] if audio is None else [video, audio]):
                if packet.stream is video:
                    for frame in video.decode(packet):
                        if frame.time is None or frame.time < first - TIME_EPSILON:
                            continue
                        if frame.time >= last - TIME_EPSILON:
                            video_done = True
                            continue
                        for shaped in shaper.push(frame):
                            out.mux(video_out.encode(shaped))
                        if progress and time.monotonic() - reported > _PROGRESS_EVERY_S:
                            reported = time.monotonic()
                            progress(min(1.0, (frame.time - first) / (last - first)))
                elif audio is not None and sound is not None and not audio_done:
                    for piece in audio.decode(packet):
                        audio_done = audio_done or (piece.time or 0.0) >= last
                        for shaped_sound in sound[0].push(piece):
                            out.mux(sound[1].encode(shaped_sound))
                if video_done and audio_done:
                    break
        except av.error.FFmpegError as exc:
            raise VideoError(f"cannot be decoded part way ({exc.strerror}); copy it again") from exc
        for shaped in shaper.push(None):
            out.mux(video_out.encode(shaped))
        out.mux(video_out.encode(None))
        if sound is not None:
            for shaped_sound in sound[0].push(None):
                out.mux(sound[1].encode(shaped_sound))
            out.mux(sound[1].encode(None))
    if progress:
        progress(1.0)
    return Encoded(end - start, size[0], size[1], temp.stat().st_size, audio is not None)
