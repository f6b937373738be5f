"""Seller API throughput on loopback: create listings, then read the whole feed back.

    python -m bench marketplace [--listings 10000] [--workers 8] [--page 1000]

Prints one JSON object as its last line: create_rps, create_p95_ms, feed_events_per_s.
"""

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx


def _create_batch(base_url: str, token: str, indices: range) -> list[float]:
    latencies = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        for index in indices:
            body = {"title": f"Bench item {index}", "price_cents": 1000 + index, "sku": f"B{index}"}
            started = time.perf_counter()
            response = client.post(
                "/v1/listings", json=body, headers={"Idempotency-Key": f"bench-{index}"}
            )
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()
    return latencies


@contextmanager
def _server(data_dir: str) -> Iterator[tuple[str, str]]:
    """A server in its own process, so the load generator does not share its GIL."""
    command = [sys.executable, "-m", "marketplace"]
    token = subprocess.run(
        [*command, "create-seller", "bench", "--data", data_dir],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [*command, "serve", "--data", data_dir, "--port", str(port), "--rate-limit", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base_url}/openapi.json", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base_url, token
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench marketplace")
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--page", type=int, default=1000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as data_dir, _server(data_dir) as (base_url, token):
        batches = [range(w, args.listings, args.workers) for w in range(args.workers)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            results = list(pool.map(lambda b: _create_batch(base_url, token, b), batches))
        create_s = time.perf_counter() - started
        latencies = sorted(latency for batch in results for latency in batch)

        events = 0
        cursor = 0
        started = time.perf_counter()
        with httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as client:
            while True:
                page = client.get("/v1/events", params={"after": cursor, "limit": args.page})
                body = page.raise_for_status().json()
                events += len(body["events"])
                cursor = body["next_cursor"]
                if not body["has_more"]:
                    break
        feed_s = time.perf_counter() - started

    if events != args.listings:
        print(f"feed returned {events} events for {args.listings} listings")
        return 1
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0]
    print(
        json.dumps(
            {
                "listings": args.listings,
                "workers": args.workers,
                "create_rps": round(args.listings / create_s, 1),
                "create_p95_ms": round(p95 * 1000, 2),
                "feed_events_per_s": round(events / feed_s, 1),
            }
        )
    )
    return 0
