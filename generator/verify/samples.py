"""The bundled sample for the weights tier: two drawn images and a few sentences.

Image ``i`` of :func:`sample_images` is described by text ``i``; texts 2-4 are an anchor, its
paraphrase and an unrelated sentence (``SAMPLE_PAIRS``).
"""

from __future__ import annotations


def _drawn(shape: str, rgb: tuple[int, int, int], size: int = 224) -> list[list[tuple[int, int, int]]]:
    """A coloured square or disc on white, as rows of RGB pixels."""
    white = (255, 255, 255)
    centre, radius = size / 2, size / 3
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            if shape == "square":
                inside = abs(x - centre) < radius and abs(y - centre) < radius
            else:
                inside = (x - centre) ** 2 + (y - centre) ** 2 < radius**2
            row.append(rgb if inside else white)
        rows.append(row)
    return rows


def sample_images() -> list[list[list[tuple[int, int, int]]]]:
    """The two drawn images (made on demand: only the weights tier needs them)."""
    return [_drawn("square", (220, 20, 20)), _drawn("disc", (20, 40, 220))]


SAMPLE_TEXTS = [
    "a red square",
    "a blue circle",
    "A man is playing a guitar on stage.",
    "Someone performs music with a guitar.",
    "The central bank raised interest rates again.",
]
SAMPLE_PAIRS = (2, 3, 4)
