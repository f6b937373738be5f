"""`studio photos ...` and `studio models ...`: output lines and exit codes."""

from pathlib import Path

import pytest
from PIL import Image

from studio.cli import main


@pytest.fixture
def shirts(tmp_path: Path, product_photo) -> Path:
    folder = tmp_path / "shoot"
    folder.mkdir()
    for number in (1, 2):
        image, _ = product_photo(width=240, height=300, seed=number)
        image.save(folder / f"shirt-{number}.jpg", quality=88)
    return folder


def test_process_exits_0_when_every_photo_succeeds(
    tmp_path: Path, shirts: Path, no_models, capsys
) -> None:
    out = tmp_path / "covers"
    code = main(["--data-dir", str(tmp_path / "data"), "photos", "process", str(shirts),
                 "--preset", "Square white", "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out.splitlines()

    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["shirt-1.jpg", "shirt-2.jpg"]
    assert sum(line.startswith("ok ") for line in printed) == 2
    assert "2 succeeded, 0 failed" in printed[-1]
    with Image.open(out / "shirt-1.jpg") as cover:
        assert cover.size == (1600, 1600)


def test_process_exits_1_when_a_photo_fails(
    tmp_path: Path, shirts: Path, no_models, capsys
) -> None:
    (shirts / "list.jpg").write_text("not a photo")
    code = main(["--data-dir", str(tmp_path / "data"), "photos", "process", str(shirts),
                 "--preset", "keep", "--out", str(tmp_path / "out")])  # fmt: skip
    printed = capsys.readouterr().out

    assert code == 1
    assert "FAILED" in printed and "list.jpg" in printed and "1 failed" in printed


def test_process_refuses_an_unknown_preset(tmp_path: Path, shirts: Path, capsys) -> None:
    code = main(["--data-dir", str(tmp_path / "data"), "photos", "process", str(shirts),
                 "--preset", "Sepia", "--out", str(tmp_path / "out")])  # fmt: skip
    assert code == 2 and "Sepia" in capsys.readouterr().err


def test_mask_writes_an_8_bit_png_of_the_subject(
    tmp_path: Path, product_photo, mask_iou, capsys
) -> None:
    image, truth = product_photo()
    source = tmp_path / "shirt.png"
    image.save(source)
    target = tmp_path / "mask.png"

    code = main(["--data-dir", str(tmp_path / "data"), "photos", "mask", str(source),
                 "--out", str(target), "--remover", "fallback"])  # fmt: skip

    assert code == 0
    with Image.open(target) as mask:
        assert mask.mode == "L" and mask.size == image.size
        assert mask_iou(mask, truth) >= 0.90


def test_mask_of_a_broken_file_exits_1(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.jpg"
    empty.touch()
    code = main(["--data-dir", str(tmp_path / "data"), "photos", "mask", str(empty),
                 "--out", str(tmp_path / "m.png"), "--remover", "fallback"])  # fmt: skip
    assert code == 1 and "empty" in capsys.readouterr().err


def test_models_install_if_missing_returns_at_once_when_present(
    tmp_path: Path, no_models: Path, capsys
) -> None:
    assert main(["--data-dir", str(tmp_path), "models", "list"]) == 0
    assert "no model installed" in capsys.readouterr().out

    # A stand-in file with a model's name and size: enough for listing, never loaded here.
    fake = no_models / "models" / "dis_custom" / "imgly-isnet-small.onnx"
    fake.parent.mkdir(parents=True)
    fake.write_bytes(b"\0" * 1_100_000)

    assert main(["--data-dir", str(tmp_path), "models", "install", "--if-missing"]) == 0
    assert "already installed: imgly-isnet-small" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path), "models", "list"]) == 0
    assert "AGPL" in capsys.readouterr().out


def test_models_import_refuses_a_file_that_is_not_a_model(
    tmp_path: Path, no_models: Path, capsys
) -> None:
    junk = tmp_path / "model.onnx"
    junk.write_bytes(b"certainly not onnx")
    assert main(["--data-dir", str(tmp_path), "models", "import", str(junk)]) == 1
    assert "not a loadable ONNX model" in capsys.readouterr().err
    assert not (no_models / "models" / "dis_custom" / "model.onnx").exists()
