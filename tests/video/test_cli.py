"""`studio video import|export` on a good clip: trimmed, covered, muted, written out."""

import av
import numpy as np
from PIL import Image
from video_frames import frame_numbers

from studio.cli import main
from studio.video.sample_clip import read_frame_number


def test_import_with_trim_cover_and_mute_then_export(clips, data_dir, add_item, capsys) -> None:
    add_item(title="Coach tote", category="Bags")
    args = ["--data-dir", str(data_dir), "video"]
    clip = str(clips["portrait"])
    trimmed = ["--trim", "0:01-2.2", "--cover", "1.4", "--mute"]
    code = main([*args, "import", "bag-0001", clip, *trimmed])
    assert code == 0
    assert "BAG-0001: listing video of 1.2 s" in capsys.readouterr().out
    out = data_dir.parent / "export"
    assert main([*args, "export", "BAG-0001", "--out", str(out)]) == 0
    assert frame_numbers(out / "BAG-0001.mp4") == list(range(25, 55))
    with av.open(str(out / "BAG-0001.mp4")) as video:
        assert not video.streams.audio
    cover = np.asarray(Image.open(out / "BAG-0001-cover.jpg").convert("RGB"))
    assert read_frame_number(cover) == 35
    assert main([*args, "import", "BAG-0001", clip, "--trim", "two-3"]) == 2
    assert "“two” is not a time" in capsys.readouterr().err
