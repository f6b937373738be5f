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
import threading
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
WINDOW_TIMEOUT_S = 120


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


def window_env(data_dir: Path) -> dict[str, str]:
    """The app's environment: offscreen, with a bytecode cache (warmed here) beside the data."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_EXIT_WHEN_READY": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(data_dir / "pycache")
    studio = Path(__file__).resolve().parent.parent / "studio"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(studio)], env=env, check=True)
    return env


def measure_window(data_dir: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds from process start to data on screen (wall clock, and the processor time the
    process had used by then: the figure a loaded machine disturbs least), and the process's
    peak RSS in MB."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "studio", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    stuck = threading.Timer(WINDOW_TIMEOUT_S, process.kill)  # a dialog waiting for a click
    stuck.start()
    assert process.stdout is not None
    ready = cpu = None
    for line in process.stdout:
        if line.startswith("ready"):
            ready = time.monotonic() - started
            cpu = _cpu_seconds(process.pid)
    _pid, status, usage = os.wait4(process.pid, 0)
    stuck.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    if ready is None or cpu is None:
        raise SystemExit(f"the app exited ({process.returncode}) without showing data")
    return ready, cpu, usage.ru_maxrss / 1024


def _cpu_seconds(pid: int) -> float:
    """User and system time of a running process, from /proc (Linux); NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    window_dir = root / f"items-{args.items[0]}"
    env = window_env(window_dir)
    starts = [measure_window(window_dir, env) for _ in range(args.runs)]
    result["window_ready_s"] = round(statistics.median(s[0] for s in starts), 3)
    result["window_ready_cpu_s"] = round(statistics.median(s[1] for s in starts), 3)
    result["peak_rss_mb"] = round(max(s[2] for s in starts), 1)
    print(json.dumps(result))
    return 0
