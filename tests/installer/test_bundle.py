"""The Linux bundle, built from the spec and unpacked from its tarball as a user would, run
headless with an environment that has nothing of this project's: the self-test, the app
opening an older inventory, and the marketplace that demo mode starts from the bundle.

Slow (about 3 minutes here: ~1.5 to build, ~1 for the self-test's first run, in which numba
compiles what rembg imports), so it is marked; `make test` still runs it."""

import os
import socket
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import httpx
import pytest

from studio.demo.mode import FROZEN_MARKETPLACE_ARG

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "seller-studio.spec"
PYINSTALLER = Path(sys.executable).with_name("pyinstaller")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux bundle"),
]


def run(command: list[str], env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (
        f"{command[1:]} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    )
    return done.stdout


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    """The app folder from a fresh build's tarball, unpacked somewhere new."""
    if not PYINSTALLER.exists():
        pytest.fail("pyinstaller is missing: `make bundle` (or pip install -e .[bundle]) adds it")
    work = tmp_path_factory.mktemp("bundle")
    run(
        [str(PYINSTALLER), "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
         "--workpath", str(ROOT / "build" / "pyinstaller"), str(SPEC)],
        dict(os.environ),
        timeout=900,
    )  # fmt: skip
    run(
        [sys.executable, str(ROOT / "installer" / "linux" / "make_tarball.py"),
         str(work / "dist" / "seller-studio"), str(work)],
        dict(os.environ),
    )  # fmt: skip
    (tarball,) = work.glob("seller-studio-*.tar.gz")
    with tarfile.open(tarball) as archive:
        archive.extractall(work / "installed", filter="tar")
    (folder,) = (work / "installed").iterdir()
    return folder


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """No display, no virtualenv, no project on the path: only what any desktop has."""
    return {"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def test_the_tarball_holds_the_app_its_menu_entry_and_icons(unpacked: Path) -> None:
    for name in ("seller-studio", "seller-studio.desktop", "install-desktop-entry.sh"):
        assert (unpacked / name).is_file(), name
    assert os.access(unpacked / "seller-studio", os.X_OK)
    assert (unpacked / "icons" / "seller-studio-256.png").is_file()
    internal = unpacked / "_internal"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    for plugin in (
        "platforms/libqoffscreen.so",
        "platforms/libqxcb.so",
        "imageformats/libqjpeg.so",
        "printsupport/libcupsprintersupport.so",
        "networkinformation",
    ):
        assert (plugins / plugin).exists(), plugin
    assert (internal / "PySide6" / "Qt" / "lib" / "libQt6Pdf.so.6").exists()
    assert (internal / "studio" / "storage" / "migrations" / "versions").is_dir()
    assert not list(internal.rglob("*.onnx")), "a model must never be bundled"
    assert not (internal / "torch").exists() and not (internal / "tests").exists()


def test_the_self_test_passes_headless(unpacked: Path, clean_env) -> None:
    out = run([str(unpacked / "seller-studio"), "--self-test"], clean_env)
    print(out)
    assert out.splitlines()[-1] == "self-test: all passed"


def test_the_app_starts_and_upgrades_an_older_inventory(
    unpacked: Path, clean_env, older_inventory: Path, check_upgraded
) -> None:
    env = {**clean_env, "QT_QPA_PLATFORM": "offscreen", "STUDIO_EXIT_WHEN_READY": "1"}
    out = run([str(unpacked / "seller-studio"), "--data-dir", str(older_inventory)], env)
    assert out.startswith("ready"), out
    check_upgraded(older_inventory)


def test_the_bundle_runs_the_demo_marketplace(unpacked: Path, clean_env, tmp_path: Path) -> None:
    command = [str(unpacked / "seller-studio"), FROZEN_MARKETPLACE_ARG]
    token = run([*command, "create-seller", "shop", "--data", str(tmp_path / "m")], clean_env)
    assert len(token.strip()) >= 20
    assert "simulate" in run([*command, "--help"], clean_env)
    port = free_port()
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--data", str(tmp_path / "m")],
        env=clean_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        served = answers(f"http://127.0.0.1:{port}/openapi.json", server)
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert served, errors.decode()[-3000:]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str, server: subprocess.Popen, within_s: float = 60) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline and server.poll() is None:
        try:
            return httpx.get(url, timeout=2).status_code == 200
        except httpx.TransportError:
            time.sleep(0.3)
    return False
