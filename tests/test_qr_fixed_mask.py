"""QR codes use one fixed data mask (fast); every size of code still decodes at 150 dpi
when printed at the smallest module size the renderer allows."""

from __future__ import annotations

import io

import pymupdf
import zxingcpp
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from routinekit.render import qr

URLS = [
    "https://v.example.org/a",
    "https://videos.example-clinic.org/exercises/cat-cow",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
    "https://clinic.example.org/routines/back-spasm-prevention?lang=es&size=large",
    "https://videos.example-clinic.org/exercises/" + "knees-to-chest-" * 5 + "end",
]


def _page(urls: list[str]) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(612, 792))
    y = 760.0
    for url in urls:
        matrix = qr.qr_matrix(url)
        size = matrix.printed_mm(0) * qr.MM  # the smallest allowed module size
        y -= size + 30
        m = size / matrix.size
        c.addLiteral(f"q 0 g {m:.5f} 0 0 {m:.5f} 40 {y:.3f} cm {matrix.pdf_ops} Q")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_codes_use_the_fixed_mask_and_decode_at_150_dpi() -> None:
    qr.qr_matrix.cache_clear()
    page = pymupdf.open(stream=_page(URLS))[0]
    pix = page.get_pixmap(dpi=150)
    img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    found = {r.text: r for r in zxingcpp.read_barcodes(img)}
    assert set(found) == set(URLS)
    sizes = {qr.qr_matrix(u).size for u in URLS}
    assert len(sizes) >= 4  # several QR versions, not one
