"""Cancelling a model install stops the download at once and leaves nothing behind."""

import os
import threading
import time

import pytest

from studio.imaging import model_install


def test_cancel_stops_a_slow_download_and_installs_nothing(tmp_path, monkeypatch) -> None:
    # A stand-in for npm that takes a minute, as a slow connection would: the real download
    # cannot be slowed down from here. Named as what it is.
    slow_npm = tmp_path / "bin" / "npm"
    slow_npm.parent.mkdir()
    slow_npm.write_text("#!/bin/sh\nsleep 60\n")
    slow_npm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{slow_npm.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path / "models"))
    cancel = threading.Event()
    said: list[str] = []
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            model_install.install("imgly-isnet-medium", said.append, cancel=cancel)
        except model_install.InstallError as error:
            outcome.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.5)
    asked = time.monotonic()
    cancel.set()
    worker.join(timeout=5)
    assert not worker.is_alive()
    assert time.monotonic() - asked < 2.0
    assert isinstance(outcome[0], model_install.InstallCancelled)
    assert any("136 MB download" in line for line in said)
    left = [p for p in (tmp_path / "models").rglob("*") if p.is_file()]
    assert left == []


def test_an_unknown_model_is_named() -> None:
    with pytest.raises(model_install.InstallError, match="unknown model 'isnet-tiny'"):
        model_install.install("isnet-tiny", print)
