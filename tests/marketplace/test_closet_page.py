"""The public closet page, rendered by headless Chromium and looked at as a screenshot."""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
COVER = (0, 160, 120)
BADGE = (216, 27, 96)  # the SOLD badge's colour in closet_page.STYLE

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (`apt-get install chromium`)"
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=True)


def pixels_near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    data = image.convert("RGB").tobytes()
    return sum(
        1
        for i in range(0, len(data), 3)
        if all(abs(data[i + k] - colour[k]) <= tolerance for k in range(3))
    )


def test_closet_shows_covers_prices_likes_and_sold_badges(market, seller, buyer, kit, tmp_path):
    cover = kit.upload_photo(seller, kit.png_bytes(COVER, size=256))
    coat = kit.create_listing(seller, title="Camel coat", price_cents=8900, photos=[cover])
    kit.create_listing(seller, title="Striped tee", price_cents=1250, photos=[cover])
    boots = kit.create_listing(seller, title="Ankle boots", price_cents=4500)
    buyer.put(f"/v1/market/listings/{coat['id']}/like")
    buyer.post("/v1/market/orders", json={"listing_ids": [boots["id"]]})
    url = f"{market.base_url}/closet/{seller.headers['X-Test-Seller']}"

    dom = chromium(tmp_path, "--dump-dom", url).stdout
    shot = tmp_path / "closet.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,800", url)

    assert "Camel coat" in dom and "$89.00" in dom and "♥ 1" in dom
    assert dom.count('class="badge"') == 1
    image = Image.open(shot)
    assert image.size == (1000, 800)
    # Two covers of about 220 px square are on screen, in their colour; one badge in its own.
    assert pixels_near(image, COVER) > 2 * 150 * 150
    assert pixels_near(image, BADGE) > 300
