"""Install a background-removal model from the first source that works, or from a file.

Sources, in order: rembg's own download of isnet-general-use; then the ISNet model in the
npm package @imgly/background-removal-data, fetched with `npm pack` and rebuilt from the
chunk files its dist/resources.json lists.
"""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from studio.imaging.model_catalog import (
    DEFAULT_MODEL,
    DOWNLOAD_MB,
    LICENCE_NOTE,
    NPM_MODELS,
    NPM_PACKAGE,
    InstalledModel,
    configure_rembg_home,
    custom_model_path,
    default_model_path,
    installed_models,
)

Report = Callable[[str], None]
Progress = Callable[[int, int], None]  # (done, total); total 0 means "busy, no measure yet"
MODEL_INPUT_SHAPE = [1, 3, 1024, 1024]
_NPM_TIMEOUT_S = 900
_POLL_S = 0.2  # how often a running download looks at Cancel


class InstallError(Exception):
    """No source could provide the model; the message lists what each source said."""


class InstallCancelled(InstallError):
    """The person cancelled; nothing was installed and nothing is left behind."""


def install(
    name: str | None,
    report: Report,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> InstalledModel:
    """Install `name` (None: the default, from the first source that works). Setting
    `cancel` stops the install within a fraction of a second."""
    step = progress or _no_progress
    stop = cancel or threading.Event()
    if name in (None, DEFAULT_MODEL):
        sources: list[tuple[str, Callable[[], InstalledModel]]] = [
            ("rembg download", lambda: _from_rembg(report, step))
        ]
        if name is None:
            sources.append(("npm", lambda: _from_npm("imgly-isnet-medium", report, step, stop)))
    elif name in NPM_MODELS:
        sources = [("npm", lambda: _from_npm(name, report, step, stop))]
    else:
        known = ", ".join([DEFAULT_MODEL, *NPM_MODELS])
        raise InstallError(f"unknown model {name!r}; installable models: {known}")
    failures = []
    for label, source in sources:
        if stop.is_set():
            raise InstallCancelled("cancelled")
        report(f"trying {label} ...")
        try:
            return source()
        except InstallCancelled:
            raise
        except InstallError as exc:
            report(f"  {label} failed: {exc}")
            failures.append(f"{label}: {exc}")
    raise InstallError("no source worked (" + "; ".join(failures) + ")")


def import_model(file: Path, name: str | None, report: Report) -> InstalledModel:
    """Copy an ISNet-style ONNX file (input 1x3x1024x1024) into the models dir."""
    if not file.is_file():
        raise InstallError(f"{file} is not a file")
    _check_onnx(file)
    target = custom_model_path(configure_rembg_home(), name or file.stem)
    _place(file, target)
    report(f"imported {file.name} as {target.stem}")
    return _installed(target.stem)


def _no_progress(_done: int, _total: int) -> None:
    pass


def _from_rembg(report: Report, progress: Progress) -> InstalledModel:
    progress(0, 0)  # rembg's download shows its progress only on the terminal
    home = configure_rembg_home()
    folder = default_model_path(home).parent
    try:
        from rembg.sessions.dis_general_use import DisSession

        DisSession.download_models()
    except Exception as exc:  # pooch raises whatever requests or the socket raised
        # An offline attempt leaves an empty folder behind; it must not look installed.
        if folder.is_dir() and not any(p.stat().st_size for p in folder.iterdir()):
            shutil.rmtree(folder, ignore_errors=True)
        raise InstallError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    report(f"downloaded {DEFAULT_MODEL} with rembg")
    return _installed(DEFAULT_MODEL)


def _from_npm(
    name: str, report: Report, progress: Progress, cancel: threading.Event
) -> InstalledModel:
    npm = shutil.which("npm")
    if npm is None:
        raise InstallError("npm is not installed")
    report(LICENCE_NOTE)
    home = configure_rembg_home()
    with tempfile.TemporaryDirectory(dir=home, prefix=".npm-") as scratch:
        report(f"fetching {NPM_PACKAGE} with npm pack (a {DOWNLOAD_MB} MB download) ...")
        progress(0, 0)  # npm pack reports nothing until it is done
        returncode, output = _run_cancellably(
            [npm, "pack", NPM_PACKAGE, "--pack-destination", scratch, "--silent"],
            Path(scratch),
            cancel,
        )
        tarballs = list(Path(scratch).glob("*.tgz"))
        if returncode != 0 or not tarballs:
            raise InstallError(f"npm pack failed: {output.strip()[:300]}")
        model = Path(scratch) / f"{name}.onnx"
        _join_chunks(tarballs[0], NPM_MODELS[name], model, progress, cancel)
        _check_onnx(model)
        _place(model, custom_model_path(home, name))
    report(f"built {name} from {NPM_PACKAGE}")
    return _installed(name)


def _run_cancellably(command: list[str], folder: Path, cancel: threading.Event) -> tuple[int, str]:
    # Its own process group, so a cancel also ends what npm started (which holds the pipe).
    with subprocess.Popen(
        command,
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=os.name == "posix",
    ) as process:
        waited = 0.0
        while True:
            try:
                output, _ = process.communicate(timeout=_POLL_S)
                return process.returncode, output or ""
            except subprocess.TimeoutExpired:
                waited += _POLL_S
            if cancel.is_set() or waited > _NPM_TIMEOUT_S:
                if os.name == "posix":
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
                process.communicate()
                if cancel.is_set():
                    raise InstallCancelled("cancelled")
                raise InstallError("npm pack took too long")


def _join_chunks(
    tarball: Path, resource: str, target: Path, progress: Progress, cancel: threading.Event
) -> None:
    """Concatenate the chunks of one resource in order, checking each chunk's sha256 name."""
    with tarfile.open(tarball) as archive:
        listing = archive.extractfile("package/dist/resources.json")
        if listing is None:
            raise InstallError("the npm package has no dist/resources.json")
        entry = json.load(listing).get(resource)
        if not entry or not entry.get("chunks"):
            raise InstallError(f"the npm package does not list {resource}")
        chunks = entry["chunks"]
        with target.open("wb") as out:
            for number, chunk in enumerate(chunks, start=1):
                if cancel.is_set():
                    raise InstallCancelled("cancelled")
                member = archive.extractfile(f"package/dist/{chunk['hash']}")
                data = member.read() if member else b""
                if hashlib.sha256(data).hexdigest() != chunk["hash"]:
                    raise InstallError(f"chunk {chunk['hash'][:12]} is missing or damaged")
                out.write(data)
                progress(number, len(chunks))
    if entry.get("size") and target.stat().st_size != entry["size"]:
        raise InstallError(f"{resource} came out at the wrong size")


def _check_onnx(path: Path) -> None:
    import onnxruntime

    try:
        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
        raise InstallError(f"{path.name} is not a loadable ONNX model: {exc}") from exc
    shape = list(session.get_inputs()[0].shape)
    if shape != MODEL_INPUT_SHAPE:
        raise InstallError(f"{path.name} takes input {shape}, not {MODEL_INPUT_SHAPE} (ISNet)")


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_suffix(".partial")
    shutil.copyfile(source, temp)
    temp.replace(target)


def _installed(name: str) -> InstalledModel:
    from studio.imaging.model_session import free_size_model

    for model in installed_models():
        if model.name == name:
            free_size_model(model.path)  # made now, so the first batch need not make it
            return model
    raise InstallError(f"{name} was written but cannot be found in the models dir")
