"""Scan a rendered PDF: its pages printed to grey images and degraded as a scanner and an archive would.

The result is an image-only PDF (no text layer), so finsam has to OCR it. A seed's ``ScanSettings`` pick the
dpi (150–300), skew, blur, grey noise, dust, a washed-out contrast and JPEG artefacts; the same seed gives
the same bytes.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from .layout import ScanSettings


def page_images(pdf: Path, dpi: int) -> list:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def degrade(image, settings: ScanSettings, seed: int):
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    if settings.contrast < 1:  # a faint copy: black prints as dark grey
        floor = int(255 * (1 - settings.contrast))
        image = image.point(lambda v: floor + v * (255 - floor) // 255)
    image = image.rotate(settings.rotation + rng.uniform(-0.1, 0.1), resample=Image.BICUBIC, fillcolor=255)
    if settings.blur > 0.05:
        image = image.filter(ImageFilter.GaussianBlur(settings.blur * settings.dpi / 200))
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(seed)
    if settings.noise > 0:
        pixels = pixels + noise.normal(0, settings.noise, pixels.shape)
    dust = int(pixels.size * settings.dust_per_pixel)
    if dust:
        ys, xs = noise.integers(0, pixels.shape[0], dust), noise.integers(0, pixels.shape[1], dust)
        pixels[ys, xs] = noise.integers(40, 160, dust)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    if settings.jpeg_quality:
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=settings.jpeg_quality)
        image = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return image


def scan_pdf(pdf: Path, out: Path, settings: ScanSettings, seed: int = 0) -> Path:
    """An image-only PDF of ``pdf``'s pages as scanned with ``settings``."""
    images = [degrade(img, settings, seed * 1000 + i) for i, img in enumerate(page_images(pdf, settings.dpi))]
    import time

    fixed = time.gmtime(946684800)  # 2000-01-01, not now: the same seed gives the same bytes
    images[0].save(
        out,
        "PDF",
        resolution=settings.dpi,
        save_all=True,
        append_images=images[1:],
        creationDate=fixed,
        modDate=fixed,
        title="scan",
    )
    return Path(out)
