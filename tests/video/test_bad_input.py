"""Clips the studio refuses: one clear message each, and nothing kept or changed."""

from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest
from sqlmodel import select

from studio.cli import main
from studio.inventory.tables import Item
from studio.storage.database import open_database
from studio.video.errors import VideoError
from studio.video.limits import LISTING_LIMITS
from studio.video.probe import probe
from studio.video.recipe import VideoRecipe, check
from studio.video.sample_clip import make_clip
from studio.video.store import VideoStore
from studio.video.tables import Video


def truncated(source: Path, target: Path, keep: float) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def test_each_kind_of_bad_clip_has_its_own_message(clips, tmp_path) -> None:
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("shopping list")
    # moov at the end (as phones write it), cut off: there is no index at all
    no_index = truncated(clips["portrait"], tmp_path / "cut.mp4", 0.6)
    # fast start (index first), cut off: the index promises frames that are not there
    fast = make_clip(tmp_path / "fast.mp4", seconds=3.0, audio=False)
    fast_start = tmp_path / "faststart.mp4"
    with (
        av.open(str(fast)) as inp,
        av.open(str(fast_start), "w", options={"movflags": "+faststart"}) as out,
    ):
        stream = out.add_stream_from_template(inp.streams.video[0])
        for packet in inp.demux(inp.streams.video[0]):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)
    cut_fast = truncated(fast_start, tmp_path / "cutfast.mp4", 0.5)
    expected = {
        not_video: "not a video file",
        no_index: "cut off while copying",
        cut_fast: "cut off",
    }
    for path, words in expected.items():
        with pytest.raises(VideoError, match=words):
            probe(path)
    with pytest.raises(VideoError, match="does not exist"):
        probe(tmp_path / "gone.mov")
    voice_memo = tmp_path / "memo.mp4"  # sound only, named like a video
    with av.open(str(voice_memo), "w") as out:
        sound = out.add_stream("aac", rate=44100, layout="mono")
        silence = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), "fltp", "mono")
        silence.sample_rate, silence.pts = 44100, 0
        out.mux(sound.encode(silence))
        out.mux(sound.encode(None))
    with pytest.raises(VideoError, match="has no picture"):
        probe(voice_memo)


def test_limits_on_length_and_size(clips) -> None:
    with pytest.raises(VideoError, match=r"the studio takes clips up to 2\.0 s"):
        probe(clips["portrait"], replace(LISTING_LIMITS, max_source_seconds=2.0))
    with pytest.raises(VideoError, match=r"is \d+ KB; the studio takes clips up to 1 KB"):
        probe(clips["landscape"], replace(LISTING_LIMITS, max_source_bytes=1024))
    with pytest.raises(VideoError, match=r"needs at least 1\.0 s"):
        check(VideoRecipe(start=1.0, end=1.5), 3.0, LISTING_LIMITS)
    with pytest.raises(VideoError, match=r"at most 2\.0 s: choose the part to keep"):
        check(VideoRecipe(), 3.0, replace(LISTING_LIMITS, max_seconds=2.0))
    with pytest.raises(VideoError, match="outside the kept part"):
        check(VideoRecipe(start=1.0, end=2.0, cover=2.5), 3.0, LISTING_LIMITS)


def test_the_cli_reports_each_file_and_keeps_nothing_of_the_bad_ones(
    clips, data_dir, add_item, capsys
) -> None:
    add_item(title="Coach tote", category="Bags")
    bad = data_dir.parent / "party.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)
    short = ["--trim", "0-0.5"]
    code = main(["--data-dir", str(data_dir), "video", "import", "BAG-0001", str(bad), *short])
    assert code == 1
    code = main(
        ["--data-dir", str(data_dir), "video", "import", "BAG-0001", str(clips["portrait"]), *short]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert f"FAILED {bad}: cannot be read as a video" in out
    assert "needs at least 1.0 s" in out
    assert "Traceback" not in out
    store = VideoStore(data_dir / "videos")
    assert not list((store.root / "originals").rglob("*.*"))
    db = open_database(data_dir)
    with db.session() as session:
        assert session.exec(select(Video)).all() == []
        assert len(session.exec(select(Item)).all()) == 1
    db.close()
