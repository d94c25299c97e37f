"""Draw the site's icon: a white speech bubble holding a star, on the accent colour.

    python scripts/make_favicon.py [kansou/static/kansou]

Writes ``favicon.svg`` (modern browsers) and ``favicon.ico`` (16, 32 and 48 pixels, for
``/favicon.ico`` and older browsers) from one geometry on a 64-unit grid, so both agree. Needs
Pillow (a development tool only; the site serves the files). Deterministic: the same geometry
gives byte-identical files.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = "#9b1c31"  # --accent in site.css
WHITE = "#ffffff"
GRID = 64
CORNER = 14
BUBBLE = (10, 12, 54, 46)  # left, top, right, bottom
BUBBLE_CORNER = 9
TAIL = [(18, 44), (17, 55), (30, 44)]
STAR_CENTRE = (32, 29.5)
STAR_RADII = (12.5, 5.2)  # outer, inner
ICO_SIZES = (16, 32, 48)
SCALE = 16  # drawn large, then reduced, for smooth edges


def star_points() -> list[tuple[float, float]]:
    cx, cy = STAR_CENTRE
    points = []
    for i in range(10):
        radius = STAR_RADII[i % 2]
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(
            (round(cx + radius * math.cos(angle), 2), round(cy + radius * math.sin(angle), 2))
        )
    return points


def svg() -> str:
    left, top, right, bottom = BUBBLE
    tail = " ".join(f"{x},{y}" for x, y in TAIL)
    star = " ".join(f"{x},{y}" for x, y in star_points())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="{CORNER}" fill="{ACCENT}"/>'
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}"'
        f' rx="{BUBBLE_CORNER}" fill="{WHITE}"/>'
        f'<polygon points="{tail}" fill="{WHITE}"/>'
        f'<polygon points="{star}" fill="{ACCENT}"/>'
        "</svg>\n"
    )


def bitmap() -> Image.Image:
    size = GRID * SCALE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def scaled(points):
        return [(x * SCALE, y * SCALE) for x, y in points]

    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=CORNER * SCALE, fill=ACCENT)
    box = [v * SCALE for v in BUBBLE]
    draw.rounded_rectangle(box, radius=BUBBLE_CORNER * SCALE, fill=WHITE)
    draw.polygon(scaled(TAIL), fill=WHITE)
    draw.polygon(scaled(star_points()), fill=ACCENT)
    return image


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "favicon.svg").write_text(svg(), encoding="utf-8")
    large = bitmap()
    frames = [large.resize((n, n), Image.Resampling.LANCZOS) for n in ICO_SIZES]
    frames[-1].save(out / "favicon.ico", sizes=[(n, n) for n in ICO_SIZES], append_images=frames)
    print(f"wrote {out / 'favicon.svg'} and {out / 'favicon.ico'}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "kansou/static/kansou"))
