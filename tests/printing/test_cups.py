"""Printing through a real CUPS queue (cups-pdf, set up by `make printer-setup`), which
writes what it receives into ~/PDF: the page that arrives is still exactly 4x6 in."""

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from studio.printing.calibration import calibration_page
from studio.printing.output import Destination, print_pages
from studio.printing.paper import PAPERS

from .conftest import page_size, pdf_pages

QUEUE = "studio-pdf"
pytestmark = pytest.mark.skipif(
    not (shutil.which("lpstat") and Path("/usr/sbin/cupsd").exists()),
    reason="CUPS (lpstat, cupsd) is not installed; `make printer-setup` installs it",
)


def wait_for_output(name: str, timeout_s: float = 60) -> Path:
    folder = Path.home() / "PDF"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = sorted(folder.glob(f"{name}*.pdf")) if folder.exists() else []
        if found and found[0].stat().st_size > 0:
            time.sleep(0.3)  # cups-pdf may still be finishing the file
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"cups-pdf wrote no {name}*.pdf into {folder}")


def test_a_label_printed_through_cups_arrives_as_4x6() -> None:
    queues = subprocess.run(["lpstat", "-p", QUEUE], capture_output=True, text=True)
    assert queues.returncode == 0, f"no CUPS queue {QUEUE}: run `make printer-setup`"
    job = f"studio-test-{uuid.uuid4().hex[:8]}"
    page = calibration_page(PAPERS["4x6"], "label")
    assert print_pages([page], lambda _kind: Destination(QUEUE), job) == [QUEUE]
    output = wait_for_output(job)
    try:
        (printed,) = pdf_pages(output)
        assert page_size(printed) == (288.0, 432.0)
    finally:
        output.unlink()
