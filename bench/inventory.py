"""`python -m bench inventory`: search latency, window start-up and memory at 50,000 items.

Builds the database with `studio demo-data`, replays 200 search states as a person types
them, then starts the real app offscreen and times it until the inventory shows data.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from studio.inventory.queries import ItemQuery, OrderCache, fetch_rows, search_ids
from studio.storage.database import open_database

TYPED = (
    "lululemon leggings", "coach tote", "black", "vintage wool", "madewell jeans 27",
    "patagonia fleece", "BAG-01", "free people", "cashmere", "nike", "levi", "dr martens",
    "silk", "y2k", "kate spade crossbody", "north face parka", "linen", "birkenstock",
    "floral midi", "carhartt", "TOP-0", "embroidered", "sage", "reformation",
)  # fmt: skip
QUERIES = 200
VISIBLE_ROWS = 40


def typing_states(phrases: tuple[str, ...], count: int) -> list[str]:
    """Every prefix a person produces while typing each phrase: 'c', 'co', 'coa', ..."""
    states = [phrase[:end] for phrase in phrases for end in range(1, len(phrase) + 1)]
    return [state for state in states if state.strip()][:count]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_search(data_dir: Path) -> list[float]:
    database = open_database(data_dir)
    timings = []
    cache = OrderCache()  # as the Inventory section keeps one
    with database.session() as session:
        search_ids(session, ItemQuery(), cache)  # the window's first, unfiltered search
        for text in typing_states(TYPED, QUERIES):
            started = time.perf_counter()
            ids = search_ids(session, ItemQuery(text=text), cache)
            fetch_rows(session, ids[:VISIBLE_ROWS])
            timings.append((time.perf_counter() - started) * 1000)
    database.close()
    return timings


def measure_window(data_dir: Path) -> tuple[float, float]:
    """Seconds from process start to data on screen, and the process's peak RSS in MB."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_EXIT_WHEN_READY": "1"}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "studio", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    ready = None
    for line in process.stdout:
        if line.startswith("ready"):
            ready = time.monotonic() - started
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if ready is None:
        raise SystemExit(f"the app exited ({process.returncode}) without showing data")
    return ready, usage.ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench inventory")
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--data-dir", type=Path, help="reuse this folder (built if empty)")
    parser.add_argument("--runs", type=int, default=3, help="window starts; the median counts")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-inventory-"))
    if not (data_dir / "studio.sqlite3").exists():
        subprocess.run(
            [sys.executable, "-m", "studio", "--data-dir", str(data_dir), "demo-data",
             "--items", str(args.items)],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    timings = measure_search(data_dir)
    starts = [measure_window(data_dir) for _ in range(args.runs)]
    result = {
        "items": args.items,
        "search_p50_ms": round(statistics.median(timings), 2),
        "search_p95_ms": round(percentile(timings, 0.95), 2),
        "window_ready_s": round(statistics.median(s[0] for s in starts), 3),
        "peak_rss_mb": round(max(s[1] for s in starts), 1),
    }
    print(json.dumps(result))
    return 0
