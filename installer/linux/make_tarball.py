"""Packs the PyInstaller folder into the Linux tarball: the app, its .desktop file, icons and
the script that puts it in the applications menu.

    python installer/linux/make_tarball.py dist/seller-studio dist
"""

import argparse
import platform
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from studio import __version__  # noqa: E402

EXTRAS = {
    HERE / "seller-studio.desktop": "seller-studio.desktop",
    HERE / "install-desktop-entry.sh": "install-desktop-entry.sh",
    HERE / "README.txt": "README.txt",
    ROOT / "resources" / "icons": "icons",
}


def tarball_name() -> str:
    return f"seller-studio-{__version__}-linux-{platform.machine()}"


def make_tarball(bundle: Path, out_dir: Path) -> Path:
    if not (bundle / "seller-studio").is_file():
        raise SystemExit(f"{bundle} holds no seller-studio executable: run pyinstaller first")
    name = tarball_name()
    target = out_dir / f"{name}.tar.gz"
    partial = target.with_suffix(".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=name)
        for source, arcname in EXTRAS.items():
            archive.add(source, arcname=f"{name}/{arcname}")
    partial.replace(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the PyInstaller folder (dist/seller-studio)")
    parser.add_argument("out_dir", type=Path, help="where the tarball goes")
    args = parser.parse_args()
    target = make_tarball(args.bundle, args.out_dir)
    print(f"{target} ({target.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
