"""A new version opening an older inventory: the app backs it up, then migrates it, and
leaves it where it was (the data dir is never inside the installed program)."""

import os
import subprocess
import sys
from pathlib import Path


def test_the_app_backs_up_then_upgrades_an_older_inventory(
    older_inventory: Path, check_upgraded, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "STUDIO_EXIT_WHEN_READY": "1",
        "STUDIO_MODELS_DIR": str(tmp_path / "models"),
    }
    started = subprocess.run(
        [sys.executable, "-m", "studio", "--data-dir", str(older_inventory)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert started.returncode == 0, started.stderr[-2000:]
    assert started.stdout.startswith("ready"), started.stdout
    check_upgraded(older_inventory)
