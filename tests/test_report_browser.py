"""The HTML after-action report in a real browser: headless Chromium renders it to a PNG, which
must be a real, non-blank picture of the page. `.ci/run` installs Debian's chromium; where no
chromium is installed the test is skipped, saying so.

The PNG is checked with the standard library alone (zlib): the signature, the IHDR size, and the
pixels themselves, un-filtered row by row, must hold more than one colour — both light paper and
dark ink, as a page of text does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.report_golden import play_golden_game
from wargame.cli.app import app

WIDTH, HEIGHT = 1200, 2000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(browser: str, page: Path, png: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}",
        page.resolve().as_uri(),
    ]
    env = {**os.environ, "HOME": str(profile)}
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, check=False)


# ------------------------------------------------------------------ a PNG reader (stdlib only)


def read_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows of un-filtered pixel bytes) of an 8-bit,
    non-interlaced greyscale, RGB or RGBA PNG."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    pos, ihdr, idat = 8, b"", bytearray()
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            ihdr = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    assert ihdr, "no IHDR chunk"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
    assert depth == 8 and interlace == 0, f"bit depth {depth}, interlace {interlace}"
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(bytes(idat))
    stride = width * channels
    assert len(raw) == height * (stride + 1), "the image data does not fit its size"
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous, channels)
        rows.append(row)
        previous = row
    return width, height, channels, rows


def _unfilter(kind: int, row: bytearray, up: bytes, bpp: int) -> bytes:
    n = len(row)
    if kind == 0:
        return bytes(row)
    if kind == 1:  # Sub
        for i in range(bpp, n):
            row[i] = (row[i] + row[i - bpp]) & 0xFF
    elif kind == 2:  # Up
        return bytes((a + b) & 0xFF for a, b in zip(row, up, strict=True))
    elif kind == 3:  # Average
        for i in range(n):
            left = row[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + ((left + up[i]) >> 1)) & 0xFF
    elif kind == 4:  # Paeth
        for i in range(n):
            a = row[i - bpp] if i >= bpp else 0
            b = up[i]
            c = up[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
            row[i] = (row[i] + pred) & 0xFF
    else:
        raise AssertionError(f"unknown PNG filter {kind}")
    return bytes(row)


def test_png_reader_reads_a_known_picture() -> None:
    # a 2×2 RGB picture, one row filtered with Sub and one with Paeth
    pixels = [bytes([255, 255, 255, 0, 0, 0]), bytes([10, 20, 30, 40, 50, 60])]
    sub = bytes([255, 255, 255, (0 - 255) & 0xFF, (0 - 255) & 0xFF, (0 - 255) & 0xFF])
    paeth = bytearray()
    for i, value in enumerate(pixels[1]):
        a = pixels[1][i - 3] if i >= 3 else 0
        b, c = pixels[0][i], pixels[0][i - 3] if i >= 3 else 0
        p = a + b - c
        pred = a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c
        paeth.append((value - pred) & 0xFF)
    raw = b"\x01" + sub + b"\x04" + bytes(paeth)
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = PNG_SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    assert read_png(png) == (2, 2, 3, pixels)


# ------------------------------------------------------------------ the report in Chromium


def test_html_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no chromium or chromium-browser on PATH: install Debian's chromium (as .ci/run does) "
                    "to render the HTML report in a real browser")
    log = play_golden_game(tmp_path)
    page = tmp_path / "report.html"
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(app, ["report", str(log), "--format", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output

    png = tmp_path / "report.png"
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    run = screenshot(browser, page, png, profile)
    assert png.is_file(), f"chromium wrote no screenshot (exit {run.returncode}):\n{run.stderr[-3000:]}"

    data = png.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (WIDTH, HEIGHT)

    width, height, channels, rows = read_png(data)
    colours: set[bytes] = set()
    dark = light = 0
    for row in rows[::4]:  # every fourth row is plenty to tell a page from a blank
        for x in range(0, width * channels, channels * 2):
            pixel = row[x:x + min(channels, 3)]
            colours.add(pixel)
            level = sum(pixel) / len(pixel)
            dark += level < 96
            light += level > 224
    assert len(colours) > 1, "the screenshot is one flat colour: the page did not render"
    sampled = (height // 4) * (width // 2)
    assert light > sampled // 2, "the page is not mostly light paper"
    assert dark > sampled // 500, "there is hardly any dark ink: no text rendered"
    assert len(colours) > 16, f"only {len(colours)} colours: not a rendered page of text"
