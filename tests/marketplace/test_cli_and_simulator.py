"""The command line and the buyer simulator."""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from marketplace.embedded import run_embedded
from marketplace.simulator import Simulator


def test_create_seller_prints_a_working_token(tmp_path: Path):
    command = [sys.executable, "-m", "marketplace", "create-seller", "cli-seller"]
    result = subprocess.run(
        [*command, "--data", str(tmp_path)], capture_output=True, text=True, timeout=60, check=True
    )
    token = result.stdout.strip()
    assert token.startswith("mkp_pat_")
    with run_embedded(tmp_path) as market:
        me = httpx.get(f"{market.base_url}/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["name"] == "cli-seller"
    again = subprocess.run(
        [*command, "--data", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 1
    assert "already exists" in again.stderr


def simulate_once(data_dir: Path, seed: int) -> tuple[dict[str, int], list[str]]:
    with run_embedded(data_dir, rate_limit_per_minute=0) as market:
        token = market.create_seller("closet")
        with httpx.Client(
            base_url=market.base_url, headers={"Authorization": f"Bearer {token}"}
        ) as seller:
            for index in range(6):
                seller.post(
                    "/v1/listings",
                    json={
                        "title": f"Dress {index}",
                        "price_cents": 2000 + 500 * index,
                        "floor_price_cents": 1800,
                    },
                )
            outcomes = Simulator(market.base_url, "closet", seed=seed, speed=0, buyers=5).run(
                actions=60
            )
            followers = seller.get("/v1/followers").json()["followers"]
    return dict(outcomes), sorted(follower["name"] for follower in followers)


def test_simulator_is_deterministic_for_a_seed(tmp_path: Path):
    first = simulate_once(tmp_path / "a", seed=7)
    second = simulate_once(tmp_path / "b", seed=7)
    other = simulate_once(tmp_path / "c", seed=8)

    assert first == second
    assert first != other
    assert sum(first[0].values()) == 60
    assert first[0]["ask:ok"] > 0  # buyers' questions, so the demo's inbox has some


def test_simulator_only_targets_loopback():
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        Simulator("http://example.com:8765", "closet")
