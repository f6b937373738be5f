"""`python -m bench inventory`: search latency, window start-up and memory at 50,000 items,
and search latency at 200,000.

Builds each database with `studio demo-data`, replays 200 search states as a person types
them (under the window's default filter, Active), timing what the window waits for: the
first page of ids and the visible rows. The bare FTS5 prefix query for the same words and
page size is timed beside it, as the reference. Then it starts the real app offscreen and
times it until the inventory shows data, with Python's bytecode cache warm as on any
installed copy (this machine's PYTHONDONTWRITEBYTECODE would otherwise compile every module
on every start).
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

from studio.inventory.fields import STATUSES
from studio.inventory.queries import (
    PAGE_ROWS,
    ItemQuery,
    OrderCache,
    count_matches,
    fetch_rows,
    fts_expression,
    search_page,
)
from studio.storage.database import open_database

TYPED = (
    "lululemon leggings", "coach tote", "black", "vintage wool", "madewell jeans 27",
    "patagonia fleece", "BAG-01", "free people", "cashmere", "nike", "levi", "dr martens",
    "silk", "y2k", "kate spade crossbody", "north face parka", "linen", "birkenstock",
    "floral midi", "carhartt", "TOP-0", "embroidered", "sage", "reformation",
)  # fmt: skip
QUERIES = 200
VISIBLE_ROWS = 40
ACTIVE = tuple(status for status in STATUSES if status != "archived")  # the window's default
SIZES = (50_000, 200_000)


def typing_states(phrases: tuple[str, ...], count: int) -> list[str]:
    """Every prefix a person produces while typing each phrase: 'c', 'co', 'coa', ..."""
    states = [phrase[:end] for phrase in phrases for end in range(1, len(phrase) + 1)]
    return [state for state in states if state.strip()][:count]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_search(data_dir: Path) -> dict[str, list[float]]:
    """Milliseconds per typed state: the window's search (first page of ids and the visible
    rows), the count that follows it when more than a page matched, and the bare FTS5 query."""
    database = open_database(data_dir)
    timings: dict[str, list[float]] = {"search": [], "count": [], "fts": []}
    cache = OrderCache()  # as the Inventory section keeps one
    with database.session() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        search_page(session, ItemQuery(statuses=ACTIVE), cache)  # the window's first search
        for text in typing_states(TYPED, QUERIES):
            query = ItemQuery(text=text, statuses=ACTIVE)
            started = time.perf_counter()
            page = search_page(session, query, cache)
            fetch_rows(session, page.ids[:VISIBLE_ROWS])
            timings["search"].append((time.perf_counter() - started) * 1000)
            if page.total is None:
                started = time.perf_counter()
                count_matches(session, query, cache)
                timings["count"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            raw.execute(
                "SELECT rowid FROM item_fts WHERE item_fts MATCH ? LIMIT ?",
                (fts_expression(text), PAGE_ROWS),
            ).fetchall()
            timings["fts"].append((time.perf_counter() - started) * 1000)
    database.close()
    return timings


def measure_window(data_dir: Path) -> tuple[float, float]:
    """Seconds from process start to data on screen, and the process's peak RSS in MB."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_EXIT_WHEN_READY": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(data_dir / "pycache")
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


def _built(data_dir: Path, items: int) -> Path:
    if not (data_dir / "studio.sqlite3").exists():
        subprocess.run(
            [sys.executable, "-m", "studio", "--data-dir", str(data_dir), "demo-data",
             "--items", str(items)],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return data_dir


def _figures(timings: dict[str, list[float]], suffix: str) -> dict[str, float]:
    figures = {
        f"search_p50_ms{suffix}": statistics.median(timings["search"]),
        f"search_p95_ms{suffix}": percentile(timings["search"], 0.95),
        f"fts_p50_ms{suffix}": statistics.median(timings["fts"]),
        f"fts_p95_ms{suffix}": percentile(timings["fts"], 0.95),
    }
    if timings["count"]:
        figures[f"count_p95_ms{suffix}"] = percentile(timings["count"], 0.95)
    figures[f"search_to_fts_p95{suffix}"] = (
        figures[f"search_p95_ms{suffix}"] / figures[f"fts_p95_ms{suffix}"]
    )
    return {key: round(value, 2) for key, value in figures.items()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench inventory")
    parser.add_argument(
        "--items", type=int, nargs="+", default=list(SIZES), help="inventory sizes to search"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="reuse this folder: one inventory per size (built if absent)"
    )
    parser.add_argument("--runs", type=int, default=3, help="window starts; the median counts")
    args = parser.parse_args(argv)
    root = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-inventory-"))
    result: dict[str, float] = {"items": args.items[0]}
    for index, items in enumerate(args.items):
        data_dir = _built(root / f"items-{items}", items)
        suffix = "" if index == 0 else f"_{items // 1000}k"
        result.update(_figures(measure_search(data_dir), suffix))
    # The window starts on the first size (50,000 by default).
    starts = [measure_window(root / f"items-{args.items[0]}") for _ in range(args.runs)]
    result["window_ready_s"] = round(statistics.median(s[0] for s in starts), 3)
    result["peak_rss_mb"] = round(max(s[1] for s in starts), 1)
    print(json.dumps(result))
    return 0
