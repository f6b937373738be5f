"""Synthetic product photos with a known subject mask, and small photo files of every kind."""

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

Photo = tuple[Image.Image, np.ndarray]  # the photo and its true mask (True = garment)


def tshirt_mask(width: int, height: int) -> Image.Image:
    """A T-shirt silhouette with sleeves and a neckline, drawn at 4x and reduced for soft edges."""
    big = Image.new("L", (width * 4, height * 4), 0)
    draw = ImageDraw.Draw(big)
    w, h = width * 4, height * 4

    def at(x: float, y: float) -> tuple[float, float]:
        return x * w, y * h

    outline = [
        at(0.38, 0.16), at(0.44, 0.19), at(0.50, 0.20), at(0.56, 0.19), at(0.62, 0.16),
        at(0.80, 0.25), at(0.86, 0.40), at(0.74, 0.44), at(0.70, 0.36), at(0.70, 0.84),
        at(0.30, 0.84), at(0.30, 0.36), at(0.26, 0.44), at(0.14, 0.40), at(0.20, 0.25),
    ]  # fmt: skip
    draw.polygon(outline, fill=255)
    return big.resize((width, height), Image.Resampling.LANCZOS)


def make_product_photo(
    width: int = 480,
    height: int = 600,
    backdrop: str = "plain",
    seed: int = 1,
) -> Photo:
    rng = np.random.default_rng(seed)
    soft = tshirt_mask(width, height)
    truth = np.asarray(soft) >= 128
    if backdrop == "plain":
        base = np.full((height, width, 3), (236, 234, 229), np.float32)
    else:  # a paper sweep lit from above: lighter at the top, warmer below
        ramp = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
        base = (
            np.array([248, 247, 245], np.float32) * (1 - ramp)
            + np.array([196, 190, 182], np.float32) * ramp
        )
        base = np.broadcast_to(base, (height, width, 3)).copy()
    shadow = soft.transform(soft.size, Image.Transform.AFFINE, (1, 0, -12, 0, 1, -18))
    shadow_alpha = np.asarray(shadow.filter(ImageFilter.GaussianBlur(14)), np.float32) / 255.0
    base *= 1.0 - 0.35 * shadow_alpha[..., None]
    y, x = np.mgrid[0:height, 0:width]
    stripes = ((y // 12) % 2).astype(np.float32)[..., None]
    cloth = (
        np.array([52, 84, 150], np.float32) * (1 - stripes)
        + np.array([200, 70, 60], np.float32) * stripes
    )
    cloth *= 0.9 + 0.1 * np.sin(x / 7.0)[..., None]  # weave-like shading
    alpha = np.asarray(soft, np.float32)[..., None] / 255.0
    pixels = base * (1 - alpha) + cloth * alpha + rng.normal(0, 3.0, base.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    return image, truth


def iou(mask: Image.Image, truth: np.ndarray) -> float:
    if mask.size != (truth.shape[1], truth.shape[0]):
        mask = mask.resize((truth.shape[1], truth.shape[0]), Image.Resampling.BILINEAR)
    found = np.asarray(mask) >= 128
    return float((found & truth).sum() / max((found | truth).sum(), 1))


def png_16bit_rgb(path: Path, pixels: np.ndarray) -> None:
    """Pillow cannot write 48-bit PNGs, so write the chunks by hand."""
    height, width, _ = pixels.shape

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + pixels[row].astype(">u2").tobytes() for row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def product_photo() -> Callable[..., Photo]:
    return make_product_photo


@pytest.fixture
def mask_iou() -> Callable[[Image.Image, np.ndarray], float]:
    return iou


@pytest.fixture
def write_16bit_png() -> Callable[[Path, np.ndarray], None]:
    return png_16bit_rgb


@pytest.fixture
def product_jpeg(tmp_path: Path) -> Path:
    image, _ = make_product_photo()
    path = tmp_path / "shirt.jpg"
    image.save(path, quality=90)
    return path


def _patch_png_size(data: bytes, width: int, height: int) -> bytes:
    """The same PNG claiming another size: a header that promises pixels it does not hold."""
    header = struct.pack(">II", width, height) + data[24:29]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return data[:16] + header + crc + data[33:]


@pytest.fixture
def oversized_png() -> Callable[[Path, int, int], Path]:
    def make(path: Path, width: int, height: int) -> Path:
        path.write_bytes(_patch_png_size(_tiny_png(), width, height))
        return path

    return make


def _tiny_png() -> bytes:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty models dir, so commands fall back to the classical remover."""
    empty = tmp_path / "no-models"
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(empty))
    monkeypatch.setenv("U2NET_HOME", str(empty))
    monkeypatch.setenv("REMBG_HOME", str(empty))
    return empty
