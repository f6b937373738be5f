"""Which background-removal models are installed, where they live, and which one is used.

Models sit in rembg's own home, which is the user's shared models dir, so rembg finds its
downloads there and accepts our custom models (it only loads custom paths under its home):
    models/isnet-general-use/isnet-general-use.onnx   rembg's download
    models/dis_custom/<name>.onnx                      built from npm, or imported
"""

import os
from dataclasses import dataclass
from pathlib import Path

from studio.storage.paths import models_dir

DEFAULT_MODEL = "isnet-general-use"
NPM_PACKAGE = "@imgly/background-removal-data@1.4.5"
NPM_MODELS = {"imgly-isnet-medium": "/models/medium", "imgly-isnet-small": "/models/small"}
# What a person is told before installing: the package fetched, and the model kept of it.
DOWNLOAD_MB = 136
MODEL_MB = 90
LICENCE_NOTE = (
    f"The npm package {NPM_PACKAGE.rsplit('@', 1)[0]} is AGPL-licensed: it is downloaded onto "
    "this machine for your own use and is never bundled with Seller Studio."
)
_MIN_MODEL_BYTES = 1_000_000  # anything smaller is a failed download, not a model
CUSTOM_SESSION = "dis_custom"


@dataclass(frozen=True)
class InstalledModel:
    name: str
    path: Path
    session: str  # the rembg session class that loads it

    @property
    def size_mb(self) -> float:
        return self.path.stat().st_size / 1e6


def configure_rembg_home() -> Path:
    """Point rembg at the shared models dir; must run before rembg looks for a model."""
    home = models_dir()
    os.environ["U2NET_HOME"] = str(home)
    os.environ["REMBG_HOME"] = str(home)
    return home


def default_model_path(home: Path) -> Path:
    return home / "models" / DEFAULT_MODEL / f"{DEFAULT_MODEL}.onnx"


def custom_model_path(home: Path, name: str) -> Path:
    return home / "models" / CUSTOM_SESSION / f"{name}.onnx"


def installed_models(home: Path | None = None) -> list[InstalledModel]:
    """Installed models, the one to use first: rembg's default, then npm builds, then imports."""
    home = home or models_dir()
    found: list[InstalledModel] = []
    default = default_model_path(home)
    if _usable(default):
        found.append(InstalledModel(DEFAULT_MODEL, default, DEFAULT_MODEL))
    custom = sorted(
        (home / "models" / CUSTOM_SESSION).glob("*.onnx"),
        key=lambda p: (list(NPM_MODELS).index(p.stem) if p.stem in NPM_MODELS else 99, p.stem),
    )
    found.extend(InstalledModel(p.stem, p, CUSTOM_SESSION) for p in custom if _usable(p))
    return found


def active_model(home: Path | None = None) -> InstalledModel | None:
    models = installed_models(home)
    return models[0] if models else None


def _usable(path: Path) -> bool:
    return path.is_file() and path.stat().st_size >= _MIN_MODEL_BYTES
