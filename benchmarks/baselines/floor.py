"""The raw floors routinekit is measured against (benchmark code, not part of routinekit).

``render_canvas`` — the good reportlab design with the least work: the hand layout of
:mod:`layout` drawn on a raw ``reportlab.pdfgen.canvas`` with routinekit's embedded
(subset) DejaVu fonts, QR codes encoded by segno once per URL and cached as
position-independent PDF path operators (a bounded LRU cache), placed with ``cm``.

``render_raw`` — the absolute floor: the same layout written by a ~60-line PDF
serializer with the 14 standard fonts (no font embedding, Latin-1 text only), so it
is a bound on speed, not a handout a clinic could use.

Cold single render (what ``routinekit build`` is compared with)::

    python benchmarks/baselines/floor.py CONTENT.json -o out.pdf [--raw]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import layout as L

FONT_DIR = Path(__file__).resolve().parents[2] / "src" / "routinekit" / "fonts"
TTF = {"R": ("FloorSans", "DejaVuSans.ttf"), "B": ("FloorSans-Bold", "DejaVuSans-Bold.ttf")}
STD = {"R": "Helvetica", "B": "Helvetica-Bold"}


@lru_cache(maxsize=512)
def qr_ops(url: str, size: float) -> str:
    """Fill operators for a QR code (ECC M, 4-module quiet zone) at the origin, one path."""
    import segno

    matrix = segno.make(url, error="m", boost_error=False, micro=False).matrix
    n = len(matrix)
    mod = size / (n + 8)
    x0, top = 4 * mod, size - 4 * mod
    out = ["0 g"]
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                s = c
                while c < n and row[c]:
                    c += 1
                out.append(
                    f"{x0 + s * mod:.2f} {top - (r + 1) * mod:.2f} {(c - s) * mod:.2f} {mod:.2f} re"
                )
            else:
                c += 1
    out.append("f")
    return " ".join(out)


_FONTS_READY: list[bool] = []


def _register_fonts() -> None:
    if _FONTS_READY:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in TTF.values():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    _FONTS_READY.append(True)


def render_canvas(content: dict[str, Any]) -> bytes:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    _register_fonts()
    fonts = {k: v[0] for k, v in TTF.items()}
    pages = L.layout(content, fonts, stringWidth)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(L.PAGE_W, L.PAGE_H), pageCompression=1, invariant=1)
    c.setTitle(content["title"])
    c.setAuthor(content["clinic"] or "")
    for ops in pages:
        for op in ops:
            kind = op[0]
            if kind == "t":
                _, font, size, rgb, x, y, text = op
                c.setFont(font, size)
                c.setFillColorRGB(*rgb)
                c.drawString(x, y, text)
            elif kind == "q":
                _, url, x, y, size = op
                c.addLiteral(f"q 1 0 0 1 {x:.2f} {y:.2f} cm {qr_ops(url, size)} Q")
            else:
                _, x1, y1, x2, y2, width, rgb = op
                c.setStrokeColorRGB(*rgb)
                c.setLineWidth(width)
                if kind == "l":
                    c.line(x1, y1, x2, y2)
                else:
                    c.rect(x1, y1, x2, y2, stroke=1, fill=0)
        c.showPage()
    c.save()
    return buf.getvalue()


def _pdfstr(s: str) -> bytes:
    b = s.encode("cp1252", errors="replace")
    return b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def render_raw(content: dict[str, Any]) -> bytes:
    from reportlab.pdfbase.pdfmetrics import stringWidth  # metrics tables only

    pages = L.layout(content, STD, stringWidth)
    fnum = {STD["R"]: 1, STD["B"]: 2}
    streams = []
    for ops in pages:
        parts = []
        for op in ops:
            kind = op[0]
            if kind == "t":
                _, font, size, rgb, x, y, text = op
                parts.append(
                    b"BT %.3f %.3f %.3f rg /F%d %g Tf %.2f %.2f Td %s Tj ET"
                    % (*rgb, fnum[font], size, x, y, _pdfstr(text))
                )
            elif kind == "q":
                _, url, x, y, size = op
                parts.append(b"q 1 0 0 1 %.2f %.2f cm %s Q" % (x, y, qr_ops(url, size).encode()))
            else:
                _, x1, y1, x2, y2, width, rgb = op
                draw = b"%.2f %.2f m %.2f %.2f l S" if kind == "l" else b"%.2f %.2f %.2f %.2f re S"
                parts.append(b"%.3f %.3f %.3f RG %.2f w " % (*rgb, width) + draw % (x1, y1, x2, y2))
        streams.append(zlib.compress(b"\n".join(parts)))
    n = len(pages)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(n)), n),
        *(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
            % f.encode()
            for f in STD.values()
        ),
        b"<< /Title " + _pdfstr(content["title"]) + b" /Producer (floor) >>",
    ]
    for i, s in enumerate(streams):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
            b"<< /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % (7 + 2 * i)
        )
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(s), s))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (k, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        xref,
    )
    return bytes(out)


def main() -> None:
    ap = argparse.ArgumentParser(description="Render the benchmark handout with a floor baseline.")
    ap.add_argument("content", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--raw", action="store_true", help="the hand-written PDF writer")
    a = ap.parse_args()
    content = json.loads(a.content.read_text(encoding="utf-8"))
    a.output.write_bytes((render_raw if a.raw else render_canvas)(content))


if __name__ == "__main__":
    main()
