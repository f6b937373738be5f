"""Read what a clip is before anything is done with it: size, length, codec, rotation.

`probe` refuses, with a message the seller can act on, anything the encoder would trip over
later: a file that is not a video, one cut off while copying, one far too big or too long.
It reads the whole file's packets (not its pixels), which is what catches a truncated clip
whose index promises frames that are not there.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studio.video.errors import VideoError
from studio.video.limits import LISTING_LIMITS, VideoLimits, describe_bytes, describe_seconds

if TYPE_CHECKING:
    import av

# Suffixes the studio offers to import; what decides is whether the file decodes.
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".3gp"}
# Packets short of what the index promises before a clip counts as cut off.
_MISSING_PACKETS = 2


@dataclass(frozen=True)
class VideoInfo:
    duration: float  # seconds, from the first video frame
    width: int  # as shown, after the rotation
    height: int
    rotation: int  # counter-clockwise degrees a player turns the stored picture
    codec: str
    fps: float
    has_audio: bool
    size_bytes: int


def display_rotation(stream: "av.video.stream.VideoStream", first: "av.VideoFrame") -> int:
    """The picture's turn in degrees (0, 90, 180, 270): display matrix, else rotate tag."""
    rotation = first.rotation
    if not rotation:
        try:
            rotation = -int(stream.metadata.get("rotate", "0"))  # older files: clockwise
        except ValueError:
            rotation = 0
    return round(rotation / 90) * 90 % 360


def open_video(path: Path) -> "av.container.InputContainer":
    # PyAV takes ~100 ms to import: it loads with the first clip read, not with every module
    # that stores or syncs videos (the sync engine, which the app's scheduler imports at start).
    import av
    import av.error

    try:
        return av.open(str(path), "r")
    except av.error.FileNotFoundError as exc:
        raise VideoError("the file does not exist (was it moved?)") from exc
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        raise VideoError(
            "cannot be read as a video: it is not a video file, or it was cut off while "
            "copying; copy it from the phone again"
        ) from exc


def probe(path: Path, limits: VideoLimits = LISTING_LIMITS) -> VideoInfo:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise VideoError("the file does not exist (was it moved?)") from exc
    if size > limits.max_source_bytes:
        raise VideoError(
            f"is {describe_bytes(size)}; the studio takes clips up to "
            f"{describe_bytes(limits.max_source_bytes)}: cut it shorter on the phone first"
        )
    with open_video(path) as container:
        if not container.streams.video:
            raise VideoError("has no picture (is it a sound recording?)")
        stream = container.streams.video[0]
        info = _read(container, stream, size)
    if info.duration > limits.max_source_seconds:
        raise VideoError(
            f"is {describe_seconds(info.duration)} long; the studio takes clips up to "
            f"{describe_seconds(limits.max_source_seconds)} (a listing video is at most "
            f"{describe_seconds(limits.max_seconds)}): cut it shorter on the phone first"
        )
    return info


def _read(
    container: "av.container.InputContainer", stream: "av.video.stream.VideoStream", size: int
) -> VideoInfo:
    from av.error import FFmpegError

    codec = stream.codec_context.name
    try:
        first = next(container.decode(stream))
    except StopIteration as exc:
        raise VideoError("has no frames; it may have been cut off while copying") from exc
    except FFmpegError as exc:
        raise VideoError(f"its picture ({codec}) cannot be decoded: {exc.strerror}") from exc
    rotation = display_rotation(stream, first)
    start = first.time or 0.0
    container.seek(0)
    packets, end = 0, start
    time_base = float(stream.time_base or 0)
    try:
        for packet in container.demux(stream):
            if packet.pts is None or packet.size == 0:
                continue
            packets += 1
            finish = (packet.pts + (packet.duration or 0)) * time_base
            end = max(end, finish)
    except FFmpegError as exc:
        raise VideoError("is damaged or cut off part way; copy it from the phone again") from exc
    if stream.frames and packets < stream.frames - _MISSING_PACKETS:
        raise VideoError(
            f"is cut off: it holds {packets} of its {stream.frames} frames; copy it from "
            "the phone again"
        )
    width, height = first.width, first.height
    if rotation in (90, 270):
        width, height = height, width
    rate = stream.average_rate or stream.guessed_rate
    return VideoInfo(
        duration=max(0.0, end - start),
        width=width,
        height=height,
        rotation=rotation,
        codec=codec,
        fps=float(rate) if rate else 30.0,
        has_audio=bool(container.streams.audio),
        size_bytes=size,
    )
