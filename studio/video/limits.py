"""What a listing video may be: the studio's defaults, which match the reference marketplace.

A marketplace declares its own limits (`GET /v1/video-limits` on the Seller API); the push
checks an encoded video against them before uploading and parks it with the reason if it
does not fit.
"""

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class VideoLimits:
    min_seconds: float = 1.0
    max_seconds: float = 60.0
    max_bytes: int = 100 * MB  # of the encoded file that is uploaded
    long_side: int = 1080
    max_fps: float = 30.0
    # What import takes in before anything is trimmed: a phone clip of a few minutes, not a
    # film. Bigger files are refused before they are read.
    max_source_bytes: int = 2 * 1024 * MB
    max_source_seconds: float = 10 * 60.0


LISTING_LIMITS = VideoLimits()


def describe_seconds(seconds: float) -> str:
    """'42.5 s' or '31 min 5 s', for messages."""
    if seconds < 120:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def describe_bytes(size: int) -> str:
    if size >= 1024 * MB:
        return f"{size / (1024 * MB):.1f} GB"
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
