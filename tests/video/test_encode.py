"""The listing video made from a phone clip: trimmed to the frame, upright, scaled, clean."""

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from video_frames import first_picture, frame_numbers

from studio.video.encode import encode
from studio.video.frames import FrameReader
from studio.video.limits import LISTING_LIMITS
from studio.video.probe import probe
from studio.video.recipe import VideoRecipe
from studio.video.sample_clip import PHONE_TAGS, has_mark_top_left, make_clip, read_frame_number

SMALL = replace(LISTING_LIMITS, long_side=160)


def make(source: Path, tmp_path: Path, recipe: VideoRecipe, limits=LISTING_LIMITS):
    output, cover = tmp_path / "out.mp4", tmp_path / "out.jpg"
    encoded = encode(source, probe(source, limits), recipe, limits, output, cover)
    return encoded, output, cover


def test_the_trim_keeps_exactly_the_frames_between_start_and_end(clips, tmp_path) -> None:
    recipe = VideoRecipe(start=0.6, end=2.2, cover=1.0)
    encoded, output, cover = make(clips["portrait"], tmp_path, recipe)
    # 25 fps: frame n is shown at n / 25 s, so [0.6, 2.2) is frames 15 to 54.
    assert frame_numbers(output) == list(range(15, 55))
    assert encoded.duration == pytest.approx(1.6)
    with av.open(str(output)) as result:
        sound = result.streams.audio[0]
        assert float(sound.duration * sound.time_base) == pytest.approx(1.6, abs=0.05)
    cover_picture = np.asarray(Image.open(cover).convert("RGB"))
    assert read_frame_number(cover_picture) == 25


def test_output_is_h264_aac_mp4_with_fast_start_and_no_phone_tags(clips, tmp_path) -> None:
    with av.open(str(clips["portrait"])) as source:
        assert source.metadata.get("location")  # the source does carry them
    _encoded, output, _cover = make(clips["portrait"], tmp_path, VideoRecipe(end=1.0))
    with av.open(str(output)) as result:
        kinds = {s.type: s.codec_context.name for s in result.streams}
        assert kinds == {"video": "h264", "audio": "aac"}
        tags = dict(result.metadata)
        for stream in result.streams:
            tags.update(stream.metadata)
        audio = result.streams.audio[0]
        video = result.streams.video[0]
        assert float(audio.duration * audio.time_base) == pytest.approx(1.0, abs=0.05)
        assert float(video.duration * video.time_base) == pytest.approx(1.0, abs=0.05)
    leaked = {key: value for key, value in tags.items() if key.split("-")[0] in PHONE_TAGS}
    assert leaked == {}
    assert not any("48.858" in value or "iPhone" in value for value in tags.values())
    data = output.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # fast start: the index comes first


def test_a_rotated_hevc_clip_comes_out_upright(clips, tmp_path) -> None:
    info = probe(clips["rotated_hevc"])
    assert (info.codec, info.rotation, info.width, info.height) == ("hevc", 270, 160, 284)
    encoded, output, cover = make(clips["rotated_hevc"], tmp_path, VideoRecipe(cover=0.4))
    assert (encoded.width, encoded.height, encoded.has_audio) == (160, 284, False)
    picture = first_picture(output)
    assert picture.shape[:2] == (284, 160)
    assert has_mark_top_left(picture)
    with av.open(str(output)) as result:
        assert next(result.decode(video=0)).rotation == 0  # turned in the pixels, not a tag
    cover_picture = np.asarray(Image.open(cover).convert("RGB"))
    assert has_mark_top_left(cover_picture) and read_frame_number(cover_picture) == 10


def test_a_variable_frame_rate_comes_out_steady_and_in_order(tmp_path) -> None:
    uneven = make_clip(tmp_path / "low-light.mp4", seconds=2.0, jitter_ms=15, audio=False)
    encoded, output, _cover = make(uneven, tmp_path, VideoRecipe(start=0.5, end=1.5))
    with av.open(str(output)) as result:
        stream = result.streams.video[0]
        assert stream.average_rate == 25
        times = [frame.time for frame in result.decode(stream)]
    steps = {round(later - earlier, 3) for earlier, later in pairwise(times)}
    assert steps == {0.04}
    numbers = frame_numbers(output)
    assert numbers[0] == 13 and numbers == sorted(numbers)  # 13 is the first at 0.5 s or later
    assert encoded.duration == pytest.approx(1.0)


def test_the_long_side_is_scaled_to_the_limit_and_mute_drops_the_sound(clips, tmp_path) -> None:
    encoded, output, _cover = make(
        clips["landscape"], tmp_path, VideoRecipe(start=1.0, mute=True), SMALL
    )
    assert (encoded.width, encoded.height) == (160, 90)
    with av.open(str(output)) as result:
        assert not result.streams.audio
    assert frame_numbers(output) == list(range(25, 50))


def test_the_cover_preview_picks_the_frame_at_the_time(clips) -> None:
    with FrameReader(clips["portrait"]) as reader:
        for seconds, number in ((2.0, 50), (0.0, 0), (1.52, 38), (0.44, 11)):
            picture = np.asarray(reader.frame(seconds, 120))
            assert picture.shape[:2] == (120, 68)
            assert read_frame_number(picture) == number
