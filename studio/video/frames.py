"""Pictures out of a clip: the shaping filter graph the encoder uses, and single frames.

A phone stores a portrait clip as a landscape picture plus a display matrix saying how to
turn it; the studio turns the pixels themselves, so every player shows the clip upright.
"""

import io
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import av.error
import av.filter
from PIL import Image

from studio.video.errors import VideoError
from studio.video.probe import display_rotation, open_video

# Frame times are floats of rational timestamps; this absorbs their rounding.
TIME_EPSILON = 1e-4
_TURN_FILTERS = {
    90: [("transpose", "cclock")],
    270: [("transpose", "clock")],
    180: [("hflip", ""), ("vflip", "")],
}
_PIL_TURNS = {
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}
_SEEK_BACKOFF_S = 1.0


def output_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """The shown size scaled so its long side is at most `long_side`, both sides even."""
    scale = min(1.0, long_side / max(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


class Shaper:
    """Frames in, upright, resized frames at a steady rate out (libavfilter does the work)."""

    def __init__(
        self,
        stream: "av.video.stream.VideoStream",
        rotation: int,
        size: tuple[int, int],
        rate: Fraction,
    ) -> None:
        width, height = size if rotation in (0, 180) else size[::-1]
        steps = [
            ("setpts", "PTS-STARTPTS"),
            # Variable frame rate in, constant out: each tick takes the nearest frame.
            ("fps", f"fps={rate.numerator}/{rate.denominator}"),
            ("scale", f"w={width}:h={height}:flags=bicubic"),
            *_TURN_FILTERS.get(rotation, []),
            ("format", "yuv420p"),
        ]
        self.graph = _chain(av.filter.Graph(), stream, steps, "buffersink")

    def push(self, frame: "av.VideoFrame | None") -> Iterator["av.VideoFrame"]:
        """Feed a frame (None at the end) and take what comes out."""
        self.graph.push(frame)
        yield from _drain(self.graph)


class AudioShaper:
    """Audio cut to [start, end) on the clip's timeline, as 48 kHz stereo in AAC-sized frames."""

    def __init__(self, stream: "av.audio.stream.AudioStream", start: float, end: float) -> None:
        steps = [
            ("atrim", f"start={start:.6f}:end={end:.6f}"),
            ("asetpts", "PTS-STARTPTS"),
            ("aresample", "48000"),
            ("aformat", "sample_fmts=fltp:channel_layouts=stereo"),
            ("asetnsamples", "n=1024:p=0"),
        ]
        self.graph = _chain(av.filter.Graph(), stream, steps, "abuffersink")

    def push(self, frame: "av.AudioFrame | None") -> Iterator["av.AudioFrame"]:
        self.graph.push(frame)
        yield from _drain(self.graph)


def _chain(
    graph: av.filter.Graph,
    stream: "av.VideoStream | av.AudioStream",
    steps: list[tuple[str, str]],
    sink: str,
) -> av.filter.Graph:
    if isinstance(stream, av.VideoStream):
        node = graph.add_buffer(template=stream)
    else:
        node = graph.add_abuffer(template=stream)
    for name, arguments in [*steps, (sink, "")]:
        following = graph.add(name, arguments) if arguments else graph.add(name)
        node.link_to(following)
        node = following
    graph.configure()
    return graph


def _drain(graph: av.filter.Graph) -> Iterator:
    while True:
        try:
            yield graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return


class FrameReader:
    """One clip kept open, for picking a cover: a frame by time, upright and small."""

    def __init__(self, path: Path) -> None:
        self.container = open_video(path)
        if not self.container.streams.video:
            self.container.close()
            raise VideoError("has no picture")
        self.stream = self.container.streams.video[0]
        # Frame threads: reaching a frame means decoding from the keyframe before it, and
        # two cores do that about 1.4x faster than one (measured on a 1080p phone clip).
        self.stream.thread_type = "FRAME"
        self.time_base = float(self.stream.time_base or Fraction(1, 90000))
        self.origin = (self.stream.start_time or 0) * self.time_base
        self.rotation: int | None = None

    def close(self) -> None:
        self.container.close()

    def __enter__(self) -> "FrameReader":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def frame(self, seconds: float, long_side: int) -> Image.Image:
        """The first frame at or after `seconds`, the long side at most `long_side`."""
        target = self.origin + max(0.0, seconds)
        frame = self._decode_from(target, target)
        if frame is None:
            raise VideoError(f"has no frame at {seconds:.2f} s")
        if self.rotation is None:
            self.rotation = display_rotation(self.stream, frame)
        shown = (frame.width, frame.height)
        if self.rotation in (90, 270):
            shown = shown[::-1]
        width, height = output_size(*shown, long_side)
        if self.rotation in (90, 270):
            width, height = height, width
        image = frame.reformat(width, height, "rgb24").to_image()
        turn = _PIL_TURNS.get(self.rotation)
        return image.transpose(turn) if turn is not None else image

    def _decode_from(self, seek_to: float, target: float) -> "av.VideoFrame | None":
        self.container.seek(int(seek_to / self.time_base), stream=self.stream, backward=True)
        last = None
        try:
            for packet in self.container.demux(self.stream):
                for frame in packet.decode():
                    if frame.time is None:
                        continue
                    if last is None and frame.time > target + TIME_EPSILON and seek_to > 0:
                        # Landed past the frame (a keyframe after it): start further back.
                        return self._decode_from(max(0.0, seek_to - _SEEK_BACKOFF_S), target)
                    last = frame
                    if frame.time >= target - TIME_EPSILON:
                        return frame
        except av.error.FFmpegError as exc:
            raise VideoError(f"cannot be decoded at {target - self.origin:.2f} s") from exc
        return last  # past the last frame: the last one


def frame_at(path: Path, seconds: float, long_side: int) -> Image.Image:
    with FrameReader(path) as reader:
        return reader.frame(seconds, long_side)


def jpeg_bytes(image: Image.Image, quality: int = 88) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()
