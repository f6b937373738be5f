"""A video's edit, kept apart from its original: trim, cover frame and mute.

Times are seconds on the original clip's own timeline (0 is its first frame), so a recipe
stays valid whatever else changes. The trim keeps the frames whose time lies in
[start, end); the cover is the frame shown at `cover`.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass

from studio.video.errors import VideoError
from studio.video.limits import VideoLimits, describe_seconds

# Bumped when the encoder's output changes, so cached encodes are made again.
ENCODER_VERSION = 1
_TIME = re.compile(r"^(?:(\d+):)?(\d+(?:\.\d*)?)$")


@dataclass(frozen=True)
class VideoRecipe:
    start: float = 0.0
    end: float | None = None  # None: to the end of the clip
    cover: float | None = None  # None: the first kept frame
    mute: bool = False

    def span(self, duration: float) -> tuple[float, float]:
        end = duration if self.end is None else min(self.end, duration)
        return self.start, end

    def cover_time(self) -> float:
        return self.start if self.cover is None else self.cover

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> "VideoRecipe":
        if not text:
            return cls()
        data = json.loads(text)
        return cls(
            start=float(data.get("start", 0.0)),
            end=None if data.get("end") is None else float(data["end"]),
            cover=None if data.get("cover") is None else float(data["cover"]),
            mute=bool(data.get("mute", False)),
        )

    def key(self) -> str:
        """Names the encode this recipe makes, in the store's derived folder."""
        text = f"{ENCODER_VERSION}:{self.to_json()}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def check(recipe: VideoRecipe, duration: float, limits: VideoLimits) -> None:
    """Raise VideoError unless the recipe makes a clip the marketplace takes."""
    start, end = recipe.span(duration)
    if start < 0 or start >= duration:
        raise VideoError(
            f"the trim starts at {describe_seconds(start)}, but the clip is only "
            f"{describe_seconds(duration)} long"
        )
    if end <= start:
        raise VideoError("the trim ends before it starts; give START-END with END later")
    length = end - start
    if length < limits.min_seconds:
        raise VideoError(
            f"is {describe_seconds(length)} long; a listing video needs at least "
            f"{describe_seconds(limits.min_seconds)}: keep more of the clip"
        )
    if length > limits.max_seconds + 1e-6:
        raise VideoError(
            f"is {describe_seconds(length)} long; a listing video is at most "
            f"{describe_seconds(limits.max_seconds)}: choose the part to keep with a trim "
            f"(--trim START-END, or the trim handles)"
        )
    cover = recipe.cover_time()
    if not start <= cover < end:
        raise VideoError(
            f"the cover frame at {describe_seconds(cover)} is outside the kept part "
            f"({describe_seconds(start)} to {describe_seconds(end)})"
        )


def parse_time(text: str) -> float:
    """'7', '7.5', '0:07.5' or '1:02' as seconds."""
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(f"“{text}” is not a time: write seconds (7.5) or minutes:seconds (1:02)")
    minutes, seconds = match.groups()
    return int(minutes or 0) * 60 + float(seconds)


def parse_trim(text: str) -> tuple[float, float | None]:
    """'2-7.5', '0:02-0:07.5' or '2-' (to the end)."""
    start, dash, end = text.partition("-")
    if not dash:
        raise ValueError(f"“{text}” is not a trim: write START-END, for example 2-7.5")
    return parse_time(start), parse_time(end) if end.strip() else None
