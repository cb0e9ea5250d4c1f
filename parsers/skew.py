"""The skew of a scanned page without table rules, and its words put straight.

A page fed into a scanner at an angle of one degree rises or falls by 7 points across a 430-point text line:
more than half a line's height, so the left and right halves of one table row no longer share a line band,
and a label that wraps over two lines lands on the line of the row above. Tesseract itself reads skewed text
well; only the positions of its words need turning back.

A page with rules is turned straight by its rules' angle before OCR (`parsers.rules`). On a page without
them the angle comes from the ink: text lines are the rows of ink, and when the ink is sheared by the right
angle the rows' projection is sharpest (the sum of squares of the row counts is largest). Words are then
turned about the page's centre by that angle, as ``Image.rotate`` would turn the pixels, so the rest of the
pipeline sees the page as if it had been fed in straight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SkewSettings:
    max_degrees: float = 3.0  # steeper than this is not a page fed in at an angle but a page turned
    coarse_step: float = 0.25  # degrees, the first search
    fine_step: float = 0.02  # degrees, around the best coarse angle
    min_degrees: float = 0.1  # a smaller skew moves a word by less than a point across the page: left as is
    max_points: int = 200_000  # dark pixels sampled (evenly) for the projection
    min_points: int = 500  # fewer dark pixels than this: a blank page, no angle to find


SETTINGS = SkewSettings()


def _sharpness(ys: np.ndarray, xs: np.ndarray, slopes: np.ndarray, height: int) -> np.ndarray:
    """For each slope, how sharply the ink falls into rows when sheared by it."""
    out = np.empty(len(slopes))
    for i, slope in enumerate(slopes):
        rows = np.rint(ys - xs * slope).astype(np.int64) + height
        out[i] = np.square(np.bincount(rows, minlength=3 * height).astype(np.float64)).sum()
    return out


def skew_degrees(dark: np.ndarray, settings: SkewSettings = SETTINGS) -> float:
    """The angle in degrees by which the page must be turned counter-clockwise (as ``Image.rotate``) to put
    its text lines level; 0.0 when there is too little ink to say or the angle is below ``min_degrees``."""
    ys, xs = np.nonzero(dark)
    if ys.size < settings.min_points:
        return 0.0
    if ys.size > settings.max_points:
        pick = np.linspace(0, ys.size - 1, settings.max_points).astype(np.int64)
        ys, xs = ys[pick], xs[pick]
    ys, xs = ys.astype(np.float64), xs.astype(np.float64) - dark.shape[1] / 2
    height = dark.shape[0]
    coarse = np.arange(-settings.max_degrees, settings.max_degrees + 1e-9, settings.coarse_step)
    best = coarse[int(np.argmax(_sharpness(ys, xs, np.tan(np.radians(coarse)), height)))]
    fine = np.arange(best - settings.coarse_step, best + settings.coarse_step + 1e-9, settings.fine_step)
    angle = float(fine[int(np.argmax(_sharpness(ys, xs, np.tan(np.radians(fine)), height)))])
    # along a text line y - x·tan(a) is constant: the line falls by tan(a) per pixel to the right (y points
    # down), and turning the page counter-clockwise by a lifts its right side by as much
    return angle if abs(angle) >= settings.min_degrees else 0.0


def turn_words(words: list[list], degrees: float, size: tuple[int, int]) -> list[list]:
    """Word boxes ([text, left, top, width, height, conf] in pixels) where they would stand had the image of
    ``size`` been turned ``degrees`` counter-clockwise about its centre: each box keeps its size and moves
    with its centre."""
    if not degrees:
        return words
    phi = np.radians(degrees)
    cos, sin = np.cos(phi), np.sin(phi)
    cx, cy = size[0] / 2, size[1] / 2
    out = []
    for text, left, top, width, height, conf in words:
        dx, dy = left + width / 2 - cx, top + height / 2 - cy
        x, y = cx + dx * cos + dy * sin, cy - dx * sin + dy * cos
        out.append([text, round(x - width / 2), round(y - height / 2), width, height, conf])
    return out
