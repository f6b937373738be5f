import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from studio.cli import main


def run(capsys, data_dir: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_items_add_list_export_import(capsys, tmp_path):
    home = tmp_path / "home"
    assert (
        run(
            capsys,
            home,
            "items",
            "add",
            "--title",
            "Coach tote",
            "--category",
            "Bags",
            "--list-price",
            "120",
        )[0]
        == 0
    )
    code, out, _ = run(capsys, home, "items", "list", "coach")
    assert code == 0 and "BAG-0001" in out and "$120.00" in out and "1 item(s)" in out

    code, _, err = run(capsys, home, "items", "add", "--title", "Bad", "--list-price=-3")
    assert code == 1 and "cannot be negative" in err

    exported = tmp_path / "out.csv"
    assert run(capsys, home, "items", "export", str(exported))[0] == 0
    code, _, err = run(capsys, home, "items", "import", str(exported))
    assert code == 1 and "BAG-0001 is already in the inventory" in err
    code, out, _ = run(capsys, home, "items", "import", str(exported), "--update-existing")
    assert code == 0 and "updated 1" in out

    other = tmp_path / "other"
    code, out, _ = run(capsys, other, "items", "import", str(exported))
    assert code == 0 and "Imported 1 new" in out


def test_db_backup_check_and_restore(capsys, tmp_path):
    home = tmp_path / "home"
    run(capsys, home, "items", "add", "--title", "Before backup")
    code, out, _ = run(capsys, home, "db", "backup")
    assert code == 0 and "Backed up to" in out
    run(capsys, home, "items", "add", "--title", "After backup")
    assert run(capsys, home, "db", "check")[1].strip() == "The database is sound."
    code, out, _ = run(capsys, home, "db", "restore")
    assert code == 0 and "Restored" in out
    listing = run(capsys, home, "items", "list")[1]
    assert "Before backup" in listing and "After backup" not in listing


def test_corrupt_database_message_points_at_restore(capsys, tmp_path):
    home = tmp_path / "home"
    run(capsys, home, "demo-data", "--items", "20")
    run(capsys, home, "db", "backup")
    database = home / "studio.sqlite3"
    for side in ("studio.sqlite3-wal", "studio.sqlite3-shm"):
        (home / side).unlink(missing_ok=True)
    database.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, home, "items", "list")
    assert code == 1 and "damaged" in err and "studio db restore" in err
    assert run(capsys, home, "db", "restore")[0] == 0
    assert "20 item(s)" in run(capsys, home, "items", "list", "--limit", "1")[1]


def test_restore_refuses_while_the_app_is_open(capsys, tmp_path):
    from studio.storage.instance_lock import InstanceLock

    home = tmp_path / "home"
    run(capsys, home, "items", "add", "--title", "x")
    run(capsys, home, "db", "backup")
    with InstanceLock(home):
        code, _, err = run(capsys, home, "db", "restore")
    assert code == 1 and "already open" in err


def test_version_and_screenshot_in_a_real_process(tmp_path):
    studio = [sys.executable, "-m", "studio"]
    version = subprocess.run([*studio, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("studio ")
    home, picture = tmp_path / "home", tmp_path / "shot.png"
    subprocess.run(
        [*studio, "--data-dir", str(home), "demo-data", "--items", "200"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*studio, "--data-dir", str(home), "screenshot", str(picture)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    from PIL import Image

    with Image.open(picture) as image:
        assert image.size == (1440, 900)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 200  # text and rows, not a blank window


@pytest.mark.parametrize("section", ["nowhere"])
def test_screenshot_of_an_unknown_section_says_which_exist(tmp_path, section):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "studio",
            "--data-dir",
            str(tmp_path),
            "screenshot",
            str(tmp_path / "x.png"),
            "--section",
            section,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "inventory" in result.stderr


def test_sku_prefix_command(capsys, tmp_path):
    home = tmp_path / "home"
    run(capsys, home, "items", "add", "--title", "Tote", "--category", "Bags")
    assert "Bags" in run(capsys, home, "items", "prefix")[1]
    assert run(capsys, home, "items", "prefix", "Bags", "hb")[0] == 0
    code, _, err = run(capsys, home, "items", "prefix", "Bags", "h-b")
    assert code == 1 and "1 to 12 letters" in err
    run(capsys, home, "items", "add", "--title", "Clutch", "--category", "Bags")
    assert "HB-0002" in run(capsys, home, "items", "list", "clutch")[1]


def test_a_second_writer_that_waited_in_vain_says_the_inventory_is_busy(
    capsys, tmp_path, monkeypatch
):
    home = tmp_path / "home"
    assert run(capsys, home, "items", "add", "--title", "First")[0] == 0
    # Another process holds the write lock longer than the busy timeout (kept short here).
    monkeypatch.setattr("studio.storage.database.BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(home / "studio.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, _, err = run(capsys, home, "items", "add", "--title", "Second")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 1
    assert err.startswith("The inventory is busy") and "Traceback" not in err
    assert "First" in run(capsys, home, "items", "list")[1]


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(
    capsys, tmp_path, monkeypatch
):
    def broken(args):
        raise RuntimeError("boom with Authorization: Bearer s3cr3t-token\nsecond line")

    monkeypatch.setattr("studio.cli.item_commands.list_items", broken)
    home = tmp_path / "home"
    code = main(["--data-dir", str(home), "items", "list"])
    err = capsys.readouterr().err
    log = home / "logs" / "studio.log"
    assert code == 1
    assert "Traceback" not in err and "s3cr3t" not in err and "second line" not in err
    assert "RuntimeError: boom" in err and str(log) in err
    written = log.read_text()
    assert "Traceback" in written and "boom" in written and "s3cr3t" not in written
