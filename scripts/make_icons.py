"""Draws the site's icons (favicon, phone home-screen icons) as PNG with the standard library
only: a civic-red square with a white 共-like mark of bars. Run from the repository root:
``python scripts/make_icons.py``; the files go to static/icons/."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

RED = (0xB3, 0x26, 0x1E)
WHITE = (0xFF, 0xFF, 0xFF)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
# The mark on a 16 × 16 design grid: (x0, y0, x1, y1) white bars, two posts and two beams.
BARS = ((5, 2, 7, 11), (9, 2, 11, 11), (2, 5, 14, 7), (2, 9, 14, 11), (4, 12, 6, 14),
        (10, 12, 12, 14))


def _pixel(x: int, y: int, size: int) -> tuple[int, int, int]:
    gx, gy = x * 16 / size, y * 16 / size
    inside = any(x0 <= gx < x1 and y0 <= gy < y1 for x0, y0, x1, y1 in BARS)
    return WHITE if inside else RED


def png(size: int) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(_pixel(x, y, size)) for x in range(size)) for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def ico(image: bytes, size: int) -> bytes:
    """An .ico holding one PNG image (read by every current browser)."""
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size in (("icon-32.png", 32), ("apple-touch-icon.png", 180),
                       ("icon-192.png", 192), ("icon-512.png", 512)):
        (OUT / name).write_bytes(png(size))
    (OUT / "favicon.ico").write_bytes(ico(png(32), 32))


if __name__ == "__main__":
    main()
